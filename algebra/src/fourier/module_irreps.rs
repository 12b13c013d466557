//! Irreps of groups too large for the regular representation: each irreducible character `χ`
//! of the exact table cuts its isotypic component out of a small permutation module, or out
//! of a tensor product of two irreps already built, with the central idempotent `e_χ`; one
//! irreducible copy is split off, and the result is stored as generator images and validated.

use super::generator_images::{GeneratorImages, Validation};
use super::isotypic::{multiplicity, Isotypic, Module};
use super::permutation_action::{PermutationAction, PermutationModule};
use super::tensor_module::TensorModule;
use super::FsType;
use crate::character::CharacterTable;
use crate::group::{ConjugacyClasses, SchreierTree};
use crate::{Error, FiniteGroup, Result};
use nalgebra::DMatrix;
use num_complex::Complex64;
use std::collections::HashSet;
use std::sync::Arc;

/// The largest tensor product `d_ψ·d_φ` of two built irreps that [`ModuleIrreps::build`]
/// cuts (its class sums cost `r·d_ψ·d_φ` numbers and one walk over the group).
pub const MAX_TENSOR_DIM: usize = 4096;

/// One irrep built from a permutation module or a tensor product of built irreps.
#[derive(Debug, Clone)]
pub struct ModuleIrrep {
    row: usize,
    images: GeneratorImages,
    fs: FsType,
    validation: Validation,
    module: String,
    multiplicity: usize,
}

impl ModuleIrrep {
    /// Its row in the character table.
    pub fn row(&self) -> usize {
        self.row
    }

    /// The generator images.
    pub fn images(&self) -> &GeneratorImages {
        &self.images
    }

    /// The degree.
    pub fn dim(&self) -> usize {
        self.images.dim()
    }

    /// The Frobenius–Schur type (from the exact table).
    pub fn fs_type(&self) -> FsType {
        self.fs
    }

    /// What the validation measured.
    pub fn validation(&self) -> &Validation {
        &self.validation
    }

    /// The module it was cut from (a permutation module's description, or `χ_i ⊗ χ_j` for a
    /// tensor product of the irreps of rows `i` and `j`), and its multiplicity there.
    pub fn source(&self) -> (&str, usize) {
        (&self.module, self.multiplicity)
    }
}

/// The irreps of a group cut out of permutation modules and tensor products of built irreps,
/// one outcome per row of the character table: the validated irrep, or the typed error
/// saying why it is missing ([`Error::IrrepNotBuilt`], [`Error::IrrepValidation`],
/// [`Error::OverBudget`]).
///
/// For each character `χ` of degree `d`, a module `π` (see `isotypic.rs`) holds `χ` with
/// multiplicity `m = ⟨χ, π⟩`, computed from the module's character and the exact table; the
/// module with the smallest `m·d` is cut:
/// 1. `e_χ = (d/n) Σ_g conj χ(g) π(g)` is applied to a start vector `v₀` through the class
///    sums `K_k v₀ = Σ_{g ∈ C_k} π(g) v₀` (one pass over the group, no `N × N` matrix);
/// 2. the translates of `e_χ v₀` span `χ^{⊕r}`, `1 ≤ r ≤ m` (spun under the generators,
///    orthonormal basis `B`);
/// 3. if `r = 1` that is the irrep; otherwise a random self-adjoint element `a` of the group
///    algebra acts on it as `ρ_χ(a) ⊗ I_r`, so an eigenvector of `B* a B` for an eigenvalue
///    of multiplicity exactly `r` spins to one irreducible copy `W`;
/// 4. `ρ(s) = W* π(s) W`, checked to be an invariant subspace (`‖π(s)W − Wρ(s)‖`), then
///    validated by [`GeneratorImages::validate`] against the exact character.
///
/// The modules, in order:
/// * linear characters are their own images (`ρ(s) = χ(s)`, from the table);
/// * the permutation modules of the given transitive actions (`v₀ = δ_0`);
/// * then, while characters are missing, the tensor product `ψ ⊗ φ` of two built irreps
///   with `d_ψ d_φ ≤` the tensor limit ([`MAX_TENSOR_DIM`] for [`ModuleIrreps::build`]) that
///   holds a missing character (`⟨ψφ, χ⟩ > 0` from the table), the cheapest first (the walk
///   over the group that projects onto `χ` costs `d_ψ² + d_φ² + d_ψ d_φ` per element, then
///   the dimension decides); irreps built this way join the factors. By the Burnside–Brauer
///   theorem every irrep occurs in a tensor power of a faithful representation, so once the
///   constituents of one faithful module are built, only the limit stops this (e.g.
///   `ψ ⊗ sign` gives the sign twists of `S_n`, which no module on cosets of a subgroup with
///   odd elements holds).
///
/// # Example
/// ```
/// use gm_algebra::character::CharacterTable;
/// use gm_algebra::fourier::{ModuleIrreps, PermutationAction};
/// use gm_algebra::group::{Alternating, ConjugacyClasses, Group, Subgroup};
/// use gm_algebra::FiniteGroup;
/// let a5 = Alternating::new(5).unwrap();
/// let classes = ConjugacyClasses::compute(&a5);
/// let table = CharacterTable::compute(&a5, &classes).unwrap();
/// let gens = a5.generator_indices();
/// let actions = PermutationAction::candidates(&a5, &classes, &gens, 60).unwrap();
/// let irreps = ModuleIrreps::build(&a5, &classes, &table, &actions).unwrap();
/// assert!(irreps.is_complete());
/// let dims: Vec<usize> = irreps.built().map(|r| r.dim()).collect();
/// assert_eq!(dims, [1, 3, 3, 4, 5]);
/// // From the 5 points alone (1 + 4), the two 3s and the 5 come from 4 ⊗ 4 = 1 + 3 + 3 + 4 + 5.
/// let fixing_4: Vec<usize> = (0..60).filter(|&a| a5.element(a).apply(4) == 4).collect();
/// let a4 = Subgroup::from_subset(&a5, &fixing_4).unwrap();
/// let points = PermutationAction::on_cosets(&a5, &a4, &gens).unwrap();
/// let irreps = ModuleIrreps::build(&a5, &classes, &table, &[points]).unwrap();
/// assert!(irreps.is_complete());
/// assert_eq!(irreps.built().filter(|r| r.source().0.contains('⊗')).count(), 3);
/// ```
#[derive(Debug, Clone)]
pub struct ModuleIrreps {
    tree: Arc<SchreierTree>,
    outcomes: Vec<Result<ModuleIrrep>>,
}

impl ModuleIrreps {
    /// Builds every irrep of `g` (one per row of `table`, over `classes`) from the given
    /// transitive actions, whose generator images follow `g.generator_indices()`, and then
    /// from tensor products of dimension at most [`MAX_TENSOR_DIM`].
    ///
    /// # Errors
    /// Those of [`ModuleIrreps::build_with_tensor_limit`].
    pub fn build<G: FiniteGroup + ?Sized>(
        g: &G,
        classes: &ConjugacyClasses,
        table: &CharacterTable,
        actions: &[PermutationAction],
    ) -> Result<Self> {
        Self::build_with_tensor_limit(g, classes, table, actions, MAX_TENSOR_DIM)
    }

    /// [`ModuleIrreps::build`] with tensor products of dimension at most `max_tensor_dim`
    /// (0: none).
    ///
    /// # Errors
    /// Those of [`SchreierTree::new`]; [`Error::OverBudget`] when the per-class counts of an
    /// action do not fit; [`Error::ShapeMismatch`] when an action's generators, the table and
    /// the classes disagree. Failures of single irreps are outcomes, not errors.
    pub fn build_with_tensor_limit<G: FiniteGroup + ?Sized>(
        g: &G,
        classes: &ConjugacyClasses,
        table: &CharacterTable,
        actions: &[PermutationAction],
        max_tensor_dim: usize,
    ) -> Result<Self> {
        let n = g.order();
        let r = classes.count();
        if table.values().len() != r || table.order() != n {
            return Err(Error::ShapeMismatch {
                what: "character table rows (one per class)".into(),
                expected: r,
                got: table.values().len(),
            });
        }
        let tree = Arc::new(SchreierTree::new(g, &g.generator_indices())?);
        let modules = actions
            .iter()
            .map(|action| PermutationModule::new(g, classes, &tree, action))
            .collect::<Result<Vec<_>>>()?;
        let builder = Builder {
            g,
            classes,
            table,
            chars: table.complex_values(),
            degrees: table.degrees(),
            tree: Arc::clone(&tree),
        };
        let mut cuts: Vec<Isotypic<'_, PermutationModule<'_>>> =
            modules.iter().map(Isotypic::new).collect();
        // Whether some module holds the character (else the error says where it looked).
        let mut held = vec![false; r];
        let mut outcomes: Vec<Result<ModuleIrrep>> = (0..r)
            .map(|row| {
                if builder.degrees[row] == 1 {
                    held[row] = true;
                    builder.validated(row, builder.linear_images(row))
                } else {
                    builder.cut_from_permutation_modules(&mut cuts, row, &mut held[row])
                }
            })
            .collect();
        builder.tensor_products(&mut outcomes, &mut held, max_tensor_dim);
        for (row, outcome) in outcomes
            .iter_mut()
            .enumerate()
            .filter(|(row, _)| !held[*row])
        {
            *outcome = Err(Error::IrrepNotBuilt {
                irrep: row,
                degree: builder.degrees[row],
                reason: format!(
                    "none of the {} permutation modules tried contains it, nor does any tensor \
                     product of two built irreps of dimension at most {max_tensor_dim} (offer \
                     larger actions or a higher tensor limit)",
                    modules.len()
                ),
            });
        }
        Ok(Self { tree, outcomes })
    }

    /// One outcome per row of the character table.
    pub fn outcomes(&self) -> &[Result<ModuleIrrep>] {
        &self.outcomes
    }

    /// The irreps that were built and validated, in table order.
    pub fn built(&self) -> impl Iterator<Item = &ModuleIrrep> {
        self.outcomes.iter().filter_map(|o| o.as_ref().ok())
    }

    /// Why the others were not.
    pub fn failures(&self) -> impl Iterator<Item = &Error> {
        self.outcomes.iter().filter_map(|o| o.as_ref().err())
    }

    /// Whether every irrep was built.
    pub fn is_complete(&self) -> bool {
        self.outcomes.iter().all(Result::is_ok)
    }

    /// The Schreier tree shared by all the irreps.
    pub fn tree(&self) -> &Arc<SchreierTree> {
        &self.tree
    }
}

/// What cutting `ψ ⊗ φ` costs, in the order products are tried: first the operations per
/// element of the walk over the group that computes its class sums,
/// `d_ψ² + d_φ² + d_ψ d_φ`, then the dimension `d_ψ d_φ`. The walk dominates: in A9,
/// `8 ⊗ 168` (1,344 dimensions) comes after `42 ⊗ 42` (1,764), whose walk is 5.6 times
/// cheaper.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct TensorCost {
    walk: usize,
    dim: usize,
}

impl TensorCost {
    /// The cost of the product of irreps of degrees `a` and `b`.
    fn new(a: usize, b: usize) -> Self {
        Self {
            walk: a * a + b * b + a * b,
            dim: a * b,
        }
    }
}

/// Generator images, the module they were cut from and the multiplicity there.
type Source = (GeneratorImages, String, usize);

/// What building one irrep needs: the group, its classes, the exact table (also as complex
/// numbers) and the Schreier tree the images follow.
struct Builder<'a, G: ?Sized> {
    g: &'a G,
    classes: &'a ConjugacyClasses,
    table: &'a CharacterTable,
    chars: Vec<Vec<Complex64>>,
    degrees: Vec<usize>,
    tree: Arc<SchreierTree>,
}

impl<G: FiniteGroup + ?Sized> Builder<'_, G> {
    /// The irrep of `row` from `source`, validated against the exact character.
    fn validated(&self, row: usize, source: Result<Source>) -> Result<ModuleIrrep> {
        let (images, module, multiplicity) = source?;
        let validation = images.validate(self.g, self.classes, &self.chars[row], row)?;
        Ok(ModuleIrrep {
            row,
            images,
            fs: self.table.fs_types()[row],
            validation,
            module,
            multiplicity,
        })
    }

    /// One copy of the character of `row`, occurring `m` times in the module being cut.
    fn cut<M: Module>(
        &self,
        cut: &mut Isotypic<'_, M>,
        row: usize,
        m: usize,
    ) -> Result<ModuleIrrep> {
        let d = self.degrees[row];
        let source = cut
            .irrep(self.g, &self.tree, &self.chars[row], (row, d, m))
            .and_then(|images| GeneratorImages::new(Arc::clone(&self.tree), images))
            .map(|images| (images, cut.module().description().to_string(), m));
        self.validated(row, source)
    }

    /// A linear character as a representation: `ρ(s_j) = χ(s_j)`, read off the table.
    fn linear_images(&self, row: usize) -> Result<Source> {
        let images = self
            .tree
            .generators()
            .iter()
            .map(|&s| DMatrix::from_element(1, 1, self.chars[row][self.classes.class_of(s)]))
            .collect();
        let images = GeneratorImages::new(Arc::clone(&self.tree), images)?;
        Ok((images, "the character itself (degree 1)".into(), 1))
    }

    /// The irrep of `row` from the permutation module holding it with the smallest `m·d`
    /// (ties: fewer points); `held` is set when one does, or when a multiplicity is not an
    /// integer (an error that names the module).
    fn cut_from_permutation_modules(
        &self,
        cuts: &mut [Isotypic<'_, PermutationModule<'_>>],
        row: usize,
        held: &mut bool,
    ) -> Result<ModuleIrrep> {
        let d = self.degrees[row];
        let sizes = self.table.class_sizes();
        let mut best: Option<(usize, usize)> = None;
        for (t, cut) in cuts.iter().enumerate() {
            let module = cut.module();
            let m = multiplicity(sizes, &self.chars[row], module.character()).map_err(|value| {
                *held = true;
                Error::IrrepNotBuilt {
                    irrep: row,
                    degree: d,
                    reason: format!(
                        "the multiplicity in {} is {value}, not an integer: the character \
                         table does not belong to this group",
                        module.description()
                    ),
                }
            })?;
            let points = |t: usize| cuts[t].module().dim();
            if m > 0 && best.is_none_or(|(bt, bm)| (m, module.dim()) < (bm, points(bt))) {
                best = Some((t, m));
            }
        }
        let (t, m) = best.ok_or_else(|| Error::IrrepNotBuilt {
            irrep: row,
            degree: d,
            reason: "no module holds it".into(),
        })?;
        *held = true;
        self.cut(&mut cuts[t], row, m)
    }

    /// While rows are missing, cuts them out of the cheapest ([`TensorCost`]) untried tensor
    /// product `χ_i ⊗ χ_j` of built irreps (dimension at most `limit`) that holds one; `held`
    /// marks the rows some product holds.
    fn tensor_products(
        &self,
        outcomes: &mut [Result<ModuleIrrep>],
        held: &mut [bool],
        limit: usize,
    ) {
        let mut tried: HashSet<(usize, usize)> = HashSet::new();
        while let Some(product) = self.cheapest_product(outcomes, &tried, limit) {
            let (i, j) = product.factors;
            tried.insert((i, j));
            let factor = |row: usize| outcomes[row].as_ref().ok().map(|r| r.images.clone());
            let (Some(left), Some(right)) = (factor(i), factor(j)) else {
                return;
            };
            let module = TensorModule::new(
                &left,
                &right,
                self.classes,
                product.character,
                format!("χ_{i} ⊗ χ_{j}"),
            );
            let mut cut = Isotypic::new(&module);
            for (row, m) in product.holds {
                held[row] = true;
                outcomes[row] = self.cut(&mut cut, row, m);
            }
        }
    }

    /// The cheapest product of two built irreps, not in `tried` and of dimension at most
    /// `limit`, that holds a missing row.
    fn cheapest_product(
        &self,
        outcomes: &[Result<ModuleIrrep>],
        tried: &HashSet<(usize, usize)>,
        limit: usize,
    ) -> Option<Product> {
        let sizes = self.table.class_sizes();
        let (built, missing): (Vec<usize>, Vec<usize>) =
            (0..outcomes.len()).partition(|&row| outcomes[row].is_ok());
        let mut best: Option<Product> = None;
        for (a, &i) in built.iter().enumerate() {
            for &j in &built[a..] {
                let cost = TensorCost::new(self.degrees[i], self.degrees[j]);
                if cost.dim > limit
                    || tried.contains(&(i, j))
                    || best.as_ref().is_some_and(|b| b.cost <= cost)
                {
                    continue;
                }
                let character: Vec<Complex64> = self.chars[i]
                    .iter()
                    .zip(&self.chars[j])
                    .map(|(x, y)| x * y)
                    .collect();
                // The table's orthogonality (checked when it was computed) makes these inner
                // products integers.
                let holds: Vec<(usize, usize)> = missing
                    .iter()
                    .filter_map(|&row| {
                        let m = multiplicity(sizes, &self.chars[row], &character).ok()?;
                        (m > 0).then_some((row, m))
                    })
                    .collect();
                if !holds.is_empty() {
                    best = Some(Product {
                        cost,
                        factors: (i, j),
                        character,
                        holds,
                    });
                }
            }
        }
        best
    }
}

/// A tensor product of two built irreps to cut.
struct Product {
    cost: TensorCost,
    /// The rows of the factors.
    factors: (usize, usize),
    /// Its character, per class.
    character: Vec<Complex64>,
    /// The missing rows it holds, with their multiplicities.
    holds: Vec<(usize, usize)>,
}
