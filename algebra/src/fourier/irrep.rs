//! Unitary representations, irreducible ones with their Frobenius–Schur type, and complete
//! sets of irreps laid out for the Fourier transform.

use crate::{Error, FiniteGroup, Result};
use nalgebra::{DMatrix, DMatrixView};
use num_complex::Complex64;

/// Tolerance of the unitarity and homomorphism checks on user-supplied representations.
pub const REP_TOLERANCE: f64 = 1e-8;

/// A unitary representation `ρ: G → U(d)`, stored as one `d×d` matrix per element index.
///
/// # Example
/// ```
/// use gm_algebra::fourier::Representation;
/// use gm_algebra::group::Cyclic;
/// use nalgebra::{DMatrix, DMatrixView};
/// use num_complex::Complex64;
/// let z2 = Cyclic::new(2).unwrap();
/// let sign = vec![
///     DMatrix::from_element(1, 1, Complex64::new(1.0, 0.0)),
///     DMatrix::from_element(1, 1, Complex64::new(-1.0, 0.0)),
/// ];
/// let rho = Representation::new(&z2, sign).unwrap();
/// assert_eq!(rho.dim(), 1);
/// assert_eq!(rho.character()[1].re, -1.0);
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Representation {
    dim: usize,
    /// The matrices, each column-major, one after another in element-index order.
    data: Vec<Complex64>,
}

impl Representation {
    /// Validates a user-supplied representation: one square `d×d` matrix per element, `ρ(e) = I`,
    /// every matrix unitary and `ρ(a)ρ(s) = ρ(as)` for every element `a` and every generator `s`
    /// (which implies the homomorphism property on all pairs), all to [`REP_TOLERANCE`].
    ///
    /// # Errors
    /// [`Error::ShapeMismatch`] for a wrong number of matrices or a non-square / wrongly sized
    /// matrix; [`Error::InvalidRepresentation`] naming the offending element(s) when a matrix is
    /// not unitary or the homomorphism law fails.
    pub fn new<G: FiniteGroup + ?Sized>(g: &G, matrices: Vec<DMatrix<Complex64>>) -> Result<Self> {
        let n = g.order();
        if matrices.len() != n {
            return Err(Error::ShapeMismatch {
                what: "number of representation matrices".into(),
                expected: n,
                got: matrices.len(),
            });
        }
        let d = matrices[0].nrows();
        if d == 0 {
            return Err(Error::ShapeMismatch {
                what: "representation degree".into(),
                expected: 1,
                got: 0,
            });
        }
        for m in &matrices {
            if m.nrows() != d || m.ncols() != d {
                return Err(Error::ShapeMismatch {
                    what: "representation matrix size".into(),
                    expected: d,
                    got: if m.nrows() != d { m.nrows() } else { m.ncols() },
                });
            }
        }
        let rep = Self::from_matrices(d, &matrices);
        let identity = DMatrix::<Complex64>::identity(d, d);
        let id_err = (rep.matrix(0) - &identity).norm();
        if id_err > REP_TOLERANCE {
            return Err(Error::InvalidRepresentation {
                reason: format!("ρ({}) is not the identity (error {id_err:.3e})", g.label(0)),
            });
        }
        if let Some((a, err)) = rep.unitarity_violation() {
            return Err(Error::InvalidRepresentation {
                reason: format!("ρ({}) is not unitary (‖ρρ* − I‖ = {err:.3e})", g.label(a)),
            });
        }
        for s in g.generator_indices() {
            for a in 0..n {
                let err = (rep.matrix(a) * rep.matrix(s) - rep.matrix(g.mul_idx(a, s))).norm();
                if err > REP_TOLERANCE {
                    return Err(Error::InvalidRepresentation {
                        reason: format!(
                            "not a homomorphism: ρ({a_l})ρ({s_l}) ≠ ρ({a_l}·{s_l}) (error {err:.3e})",
                            a_l = g.label(a),
                            s_l = g.label(s)
                        ),
                    });
                }
            }
        }
        Ok(rep)
    }

    /// Wraps matrices the crate constructed itself (already known to form a unitary
    /// representation).
    pub(crate) fn from_matrices(dim: usize, matrices: &[DMatrix<Complex64>]) -> Self {
        let mut data = Vec::with_capacity(matrices.len() * dim * dim);
        for m in matrices {
            data.extend_from_slice(m.as_slice());
        }
        Self { dim, data }
    }

    /// Wraps a flat column-major buffer the crate constructed itself.
    pub(crate) fn from_flat(dim: usize, data: Vec<Complex64>) -> Self {
        Self { dim, data }
    }

    /// The representation with the given generator matrices, `ρ(x·s) = ρ(x)ρ(s)` along a
    /// breadth-first spanning tree of the Cayley graph (`mul` is the group product on indices,
    /// `n` the order). The caller guarantees that the matrices satisfy the group's relations.
    pub(crate) fn from_generator_images(
        n: usize,
        gens: &[usize],
        gen_mats: &[DMatrix<Complex64>],
        d: usize,
        mul: impl Fn(usize, usize) -> usize,
    ) -> Self {
        let dd = d * d;
        let mut data = vec![Complex64::default(); n * dd];
        for i in 0..d {
            data[i * d + i] = Complex64::new(1.0, 0.0);
        }
        let mut seen = vec![false; n];
        seen[0] = true;
        let mut queue = std::collections::VecDeque::from([0usize]);
        let mut tmp = DMatrix::<Complex64>::zeros(d, d);
        while let Some(x) = queue.pop_front() {
            for (&s, ms) in gens.iter().zip(gen_mats) {
                let y = mul(x, s);
                if !seen[y] {
                    seen[y] = true;
                    let rx = DMatrixView::from_slice(&data[x * dd..(x + 1) * dd], d, d);
                    tmp.gemm(Complex64::new(1.0, 0.0), &rx, ms, Complex64::default());
                    data[y * dd..(y + 1) * dd].copy_from_slice(tmp.as_slice());
                    queue.push_back(y);
                }
            }
        }
        Self { dim: d, data }
    }

    /// The first element whose matrix is not unitary to [`REP_TOLERANCE`], with the error.
    fn unitarity_violation(&self) -> Option<(usize, f64)> {
        let identity = DMatrix::<Complex64>::identity(self.dim, self.dim);
        (0..self.len()).find_map(|a| {
            let m = self.matrix(a);
            let err = (m * m.adjoint() - &identity).norm();
            (err > REP_TOLERANCE).then_some((a, err))
        })
    }

    /// The degree `d`.
    pub fn dim(&self) -> usize {
        self.dim
    }

    /// The matrix `ρ(g_a)`.
    ///
    /// # Panics
    /// If `a` is not an element index.
    pub fn matrix(&self, a: usize) -> DMatrixView<'_, Complex64> {
        let dd = self.dim * self.dim;
        DMatrixView::from_slice(&self.data[a * dd..(a + 1) * dd], self.dim, self.dim)
    }

    /// The number of matrices (the group order).
    pub fn len(&self) -> usize {
        self.data.len() / (self.dim * self.dim)
    }

    /// Always false: a group has at least one element.
    pub fn is_empty(&self) -> bool {
        self.data.is_empty()
    }

    /// The character `χ(g) = tr ρ(g)` for every element index.
    pub fn character(&self) -> Vec<Complex64> {
        (0..self.len()).map(|a| self.matrix(a).trace()).collect()
    }

    /// Whether every entry of every matrix is real (imaginary parts at most `tol`).
    pub fn is_real(&self, tol: f64) -> bool {
        self.data.iter().all(|z| z.im.abs() <= tol)
    }
}

/// The Frobenius–Schur type of an irreducible representation: its indicator
/// `ν(χ) = (1/n) Σ_g χ(g²)` is `1`, `0` or `−1`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FsType {
    /// `ν = 1`: equivalent to a real orthogonal representation.
    Real,
    /// `ν = 0`: not equivalent to its complex conjugate.
    Complex,
    /// `ν = −1`: equivalent to its conjugate, but not realisable over ℝ.
    Quaternionic,
}

impl FsType {
    /// The type of an indicator value (rounded to the nearest of `1, 0, −1`).
    pub fn from_indicator(nu: f64) -> Self {
        if nu > 0.5 {
            Self::Real
        } else if nu < -0.5 {
            Self::Quaternionic
        } else {
            Self::Complex
        }
    }

    /// The indicator value `1`, `0` or `−1`.
    pub fn indicator(self) -> i32 {
        match self {
            Self::Real => 1,
            Self::Complex => 0,
            Self::Quaternionic => -1,
        }
    }

    /// `"real"`, `"complex"` or `"quaternionic"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Real => "real",
            Self::Complex => "complex",
            Self::Quaternionic => "quaternionic",
        }
    }
}

/// The Frobenius–Schur indicator `ν(χ) = (1/n) Σ_g χ(g²)` of a character given per element.
///
/// # Panics
/// If `chi.len() != g.order()`.
pub fn fs_indicator<G: FiniteGroup + ?Sized>(g: &G, chi: &[Complex64]) -> f64 {
    let n = g.order();
    assert_eq!(chi.len(), n, "character length must equal the group order");
    let s: Complex64 = (0..n).map(|a| chi[g.mul_idx(a, a)]).sum();
    s.re / n as f64
}

/// An irreducible unitary representation with its Frobenius–Schur type. Irreps of real type
/// built by the crate are stored in a real orthogonal form (every entry real), except the
/// chain-adapted ones ([`IrrepConstruction::Adapted`]), which are real only where every block of
/// their restriction to the next subgroup is.
#[derive(Debug, Clone, PartialEq)]
pub struct Irrep {
    rep: Representation,
    fs: FsType,
}

impl Irrep {
    /// Pairs a representation (assumed irreducible) with its type.
    pub(crate) fn new(rep: Representation, fs: FsType) -> Self {
        Self { rep, fs }
    }

    /// The representation.
    pub fn rep(&self) -> &Representation {
        &self.rep
    }

    /// The degree `d_ρ`.
    pub fn dim(&self) -> usize {
        self.rep.dim
    }

    /// The Frobenius–Schur type.
    pub fn fs_type(&self) -> FsType {
        self.fs
    }

    /// For an irrep of real type stored in real form, its real orthogonal matrices; `None` for
    /// complex and quaternionic types, and for a real-type irrep stored complex (a chain-adapted
    /// one, [`IrrepConstruction::Adapted`], whose restriction has complex blocks).
    pub fn real_matrices(&self) -> Option<Vec<DMatrix<f64>>> {
        (self.fs == FsType::Real && self.rep.is_real(0.0)).then(|| {
            (0..self.rep.len())
                .map(|a| self.rep.matrix(a).map(|z| z.re))
                .collect()
        })
    }
}

/// The layout of Fourier coefficients: irrep `k`'s `d_k×d_k` block `f̂(ρ_k)` is stored
/// row-major at `offset(k)` of a flat vector of length `Σ d² = n`; with each irrep's
/// Frobenius–Schur type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CoefficientLayout {
    dims: Vec<usize>,
    types: Vec<FsType>,
    offsets: Vec<usize>,
    order: usize,
}

impl CoefficientLayout {
    /// The layout of irreps of the given degrees and types, in order.
    ///
    /// # Panics
    /// If `dims` and `types` differ in length.
    pub fn new(dims: Vec<usize>, types: Vec<FsType>) -> Self {
        assert_eq!(dims.len(), types.len(), "one type per irrep");
        let mut offsets = Vec::with_capacity(dims.len());
        let mut at = 0;
        for &d in &dims {
            offsets.push(at);
            at += d * d;
        }
        Self {
            dims,
            types,
            offsets,
            order: at,
        }
    }

    /// The Frobenius–Schur types, in order.
    pub fn types(&self) -> &[FsType] {
        &self.types
    }

    /// `Σ d²`, the group order `n`.
    pub fn order(&self) -> usize {
        self.order
    }

    /// The degrees, in order.
    pub fn dims(&self) -> &[usize] {
        &self.dims
    }

    /// Where irrep `k`'s block starts.
    ///
    /// # Panics
    /// If `k` is not an irrep index.
    pub fn offset(&self, k: usize) -> usize {
        self.offsets[k]
    }

    /// The number of irreps.
    pub fn len(&self) -> usize {
        self.dims.len()
    }

    /// Always false: a group has at least one irrep.
    pub fn is_empty(&self) -> bool {
        self.dims.is_empty()
    }

    /// Whether every irrep has degree 1.
    pub fn all_linear(&self) -> bool {
        self.dims.iter().all(|&d| d == 1)
    }
}

/// How a set of [`Irreps`] was constructed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum IrrepConstruction {
    /// The characters of an abelian group ([`super::AbelianStructure`]).
    Abelian,
    /// The closed forms of a dihedral group ([`super::DihedralStructure`]).
    Dihedral,
    /// Kronecker products over a direct product ([`super::kronecker_irreps`]).
    Kronecker,
    /// Young's orthogonal form of `S_n` ([`super::young_orthogonal_irreps`]).
    Young,
    /// Mackey's induced irreps of a semidirect product ([`super::induced_irreps`]).
    Induced,
    /// The numerical construction from the multiplication ([`super::numerical_irreps`]).
    Numerical,
    /// Irreps adapted to a subgroup chain ([`super::ChainFft`] with
    /// [`super::ChainBasis::Adapted`]): the restriction to the next subgroup is a block sum of
    /// its adapted irreps.
    Adapted,
}

/// A complete set of inequivalent unitary irreps of a group of order `n`, in the order of
/// their [`CoefficientLayout`].
#[derive(Debug, Clone, PartialEq)]
pub struct Irreps {
    layout: CoefficientLayout,
    irreps: Vec<Irrep>,
    construction: IrrepConstruction,
}

impl Irreps {
    /// Assembles a set; the crate's constructors guarantee completeness (`Σ d² = n`).
    pub(crate) fn from_parts(irreps: Vec<Irrep>, construction: IrrepConstruction) -> Self {
        let layout = CoefficientLayout::new(
            irreps.iter().map(Irrep::dim).collect(),
            irreps.iter().map(Irrep::fs_type).collect(),
        );
        Self {
            layout,
            irreps,
            construction,
        }
    }

    /// How the set was constructed.
    pub fn construction(&self) -> IrrepConstruction {
        self.construction
    }

    /// The coefficient layout.
    pub fn layout(&self) -> &CoefficientLayout {
        &self.layout
    }

    /// The group order `n`.
    pub fn order(&self) -> usize {
        self.layout.order
    }

    /// The number of irreps (= the number of conjugacy classes).
    pub fn len(&self) -> usize {
        self.irreps.len()
    }

    /// Whether the set is empty (never, for a group).
    pub fn is_empty(&self) -> bool {
        self.irreps.is_empty()
    }

    /// The irreps, in coefficient-layout order.
    pub fn irreps(&self) -> &[Irrep] {
        &self.irreps
    }

    /// Irrep `k`.
    ///
    /// # Panics
    /// If `k ≥ len()`.
    pub fn get(&self, k: usize) -> &Irrep {
        &self.irreps[k]
    }

    /// Where irrep `k`'s block starts in a flat coefficient vector.
    ///
    /// # Panics
    /// If `k ≥ len()`.
    pub fn offset(&self, k: usize) -> usize {
        self.layout.offsets[k]
    }

    /// The degrees `d_ρ`, in order.
    pub fn dims(&self) -> &[usize] {
        &self.layout.dims
    }

    /// The Frobenius–Schur types, in order.
    pub fn fs_types(&self) -> &[FsType] {
        &self.layout.types
    }
}
