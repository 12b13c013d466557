//! The crate's typed error for bad input.

use thiserror::Error;

/// Everything that can go wrong on user input in `gm-algebra`.
///
/// Validating constructors return [`Result`]; hot-path shape checks that only a programming
/// error can violate panic instead and say so under `# Panics`.
#[derive(Debug, Clone, PartialEq, Error)]
#[non_exhaustive]
pub enum Error {
    /// A size or shape did not match what the operation needs.
    #[error("shape mismatch in {what}: expected {expected}, got {got}")]
    ShapeMismatch {
        /// What was being checked (e.g. "kernel length").
        what: String,
        /// The size the operation needs.
        expected: usize,
        /// The size that was given.
        got: usize,
    },
    /// An element index outside `0..order`.
    #[error("element index {index} out of range for a group of order {order}")]
    IndexOutOfRange {
        /// The offending index.
        index: usize,
        /// The group's order.
        order: usize,
    },
    /// A parameter of a group family outside its allowed range (e.g. `D_0`).
    #[error("invalid parameter for {family}: {reason}")]
    InvalidParameter {
        /// The family or constructor.
        family: String,
        /// What is wrong.
        reason: String,
    },
    /// A Cayley table that is not a group table.
    #[error("invalid Cayley table: {reason}")]
    InvalidCayleyTable {
        /// The first violated axiom, with the offending elements.
        reason: String,
    },
    /// A group implementation that breaks a group law (found when it is wrapped by
    /// `AnyGroup::try_cached` / `AnyGroup::cached`).
    #[error("{group} is not a group: {reason}")]
    GroupLaws {
        /// The group's name.
        group: String,
        /// The first violation, as `check_group_laws` words it.
        reason: String,
    },
    /// A subset that is not a subgroup.
    #[error("not a subgroup: {reason}")]
    NotASubgroup {
        /// Why (e.g. which product falls outside the subset).
        reason: String,
    },
    /// A subgroup that is not normal where normality is needed.
    #[error("subgroup is not normal: {reason}")]
    NotNormal {
        /// A conjugate that leaves the subgroup.
        reason: String,
    },
    /// A permutation that is malformed (wrong number of points, repeated point, ...).
    #[error("invalid permutation: {reason}")]
    InvalidPermutation {
        /// What is wrong with it.
        reason: String,
    },
    /// A group specification string that could not be parsed.
    #[error("invalid group spec {spec:?} at byte {position}: {reason}")]
    InvalidSpec {
        /// The whole spec.
        spec: String,
        /// Byte offset of the problem in `spec`.
        position: usize,
        /// What was expected there.
        reason: String,
    },
    /// A group too large for the requested operation.
    #[error("group of order {order} is too large for {operation} (limit {limit})")]
    TooLarge {
        /// The group's order.
        order: usize,
        /// What was asked.
        operation: String,
        /// The largest order supported.
        limit: usize,
    },
    /// A matrix that is singular where an inverse or solve was asked for.
    #[error("matrix is singular: {reason}")]
    Singular {
        /// Details.
        reason: String,
    },
    /// A user-supplied representation that is not a homomorphism or not unitary.
    #[error("invalid representation: {reason}")]
    InvalidRepresentation {
        /// The offending element(s) and the size of the violation.
        reason: String,
    },
    /// Low-displacement-rank generators of inconsistent shape or rank.
    #[error("invalid displacement generators: {reason}")]
    InvalidGenerators {
        /// What is inconsistent.
        reason: String,
    },
    /// A matrix that does not commute with the group action where an equivariant one (a
    /// group matrix) is needed.
    #[error("matrix is not equivariant: {reason}")]
    NotEquivariant {
        /// Which commutator failed and by how much.
        reason: String,
    },
    /// A computed character table that failed a check it must pass (an orthogonality relation,
    /// an integral Frobenius–Schur indicator, a lift to cyclotomic integers): a bug, reported
    /// instead of a wrong table.
    #[error("character table check failed: {relation} (residual {residual:e})")]
    CharacterTableCheck {
        /// The relation that failed.
        relation: String,
        /// How far from holding it is.
        residual: f64,
    },
    /// An irrep given by generator images that failed a validation check (unitarity, the
    /// homomorphism law, the exact character, an invariant subspace): reported instead of a
    /// wrong matrix.
    #[error(
        "irrep {irrep} (degree {degree}) failed validation: {check} (residual {residual:e}, \
         tolerance {tolerance:e})"
    )]
    IrrepValidation {
        /// The irrep's row in the character table.
        irrep: usize,
        /// Its degree.
        degree: usize,
        /// The check that failed, with the offending element or generator.
        check: String,
        /// How far from holding it is.
        residual: f64,
        /// The tolerance it was held to.
        tolerance: f64,
    },
    /// An irrep a construction could not build (no module tried contains it, or splitting
    /// its isotypic component failed); the other irreps are still returned.
    #[error("irrep {irrep} (degree {degree}) was not built: {reason}")]
    IrrepNotBuilt {
        /// The irrep's row in the character table.
        irrep: usize,
        /// Its degree.
        degree: usize,
        /// Why, and what was tried.
        reason: String,
    },
    /// A subgroup chain `G = G_0 > G_1 > … > G_k = {e}` whose subgroup `G_step` is not a proper
    /// subgroup of `G_{step−1}` (or whose generators are not elements of the group).
    #[error("invalid subgroup chain at G_{step}: {reason}")]
    InvalidChain {
        /// The index `i ≥ 1` of the offending subgroup `G_i` (1 for the first list given).
        step: usize,
        /// What is wrong, with the offending element.
        reason: String,
    },
    /// Irreps adapted to a subgroup chain that failed a check they must pass (unitarity, the
    /// homomorphism law, the block structure of the restriction, an integral multiplicity): a
    /// bug or a numerically broken input, reported instead of a wrong transform.
    #[error(
        "irrep {irrep} (degree {degree}) of G_{level} could not be adapted to the chain: {check} \
         (residual {residual:e}, tolerance {tolerance:e})"
    )]
    ChainAdaptation {
        /// The level `i` of the subgroup `G_i` in the chain (0 for the group itself).
        level: usize,
        /// The irrep's position in `G_i`'s irreps.
        irrep: usize,
        /// Its degree.
        degree: usize,
        /// The check that failed.
        check: String,
        /// How far from holding it is.
        residual: f64,
        /// The tolerance it was held to.
        tolerance: f64,
    },
    /// An algorithm whose memory grows with the group would need more than the memory budget
    /// (see [`crate::budget`]); nothing was allocated.
    #[error(
        "{operation} needs {} but the memory budget is {}; {advice} (or raise the budget with \
         the environment variable GM_MEMORY_BUDGET or gm's --memory-budget flag)",
        crate::budget::human_bytes(*.needed),
        crate::budget::human_bytes(Some(*.budget))
    )]
    OverBudget {
        /// What was asked.
        operation: String,
        /// The bytes it would allocate (`None`: more than `u64::MAX`).
        needed: Option<u64>,
        /// The budget in force, in bytes.
        budget: u64,
        /// What to do instead.
        advice: String,
    },
}

/// `Result` with the crate's [`Error`](enum@Error).
pub type Result<T> = std::result::Result<T, Error>;
