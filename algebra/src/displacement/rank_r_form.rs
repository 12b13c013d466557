//! The rank-`r` relaxation of a group matrix: `F = f 1ᵀ + Σ_i b_i a_iᵀ` in the diagonal
//! form, i.e. `M = M_f + Σ_i diag(a_i) M_{b_i}` — the approximately equivariant layer.

use super::DiagonalForm;
use crate::matrix::{GroupMatrix, Kernel};
use crate::{AnyGroup, Error, FiniteGroup, Result};
use nalgebra::DMatrix;

/// A matrix whose diagonal form is a kernel plus a rank-`r` position-dependent part:
/// `F[g, a] = f(g) + Σ_i b_i(g) a_i[a]`, so that
/// `M = Σ_g diag(F[g, ·]) B_g = M_f + Σ_i diag(a_i) M_{b_i}`.
///
/// (`docs/theory/displacement.md` writes this `F = f·1ᵀ + Σ b_i a_iᵀ`; the kernels `b_i` are
/// functions on the group, the profiles `a_i` functions on positions.) Its displacement
/// `F − F_s = Σ_i b_i (a_i − λ(s) a_i)ᵀ` has rank `≤ r`; it is a GM when every `a_i` is
/// constant. A product costs `r + 1` GM products ([`GroupMatrix::apply`], `O(n·K)` each for
/// a support of size `K`) and `r` diagonal scalings; parameters `K·(r + 1) + r·n` with `K`
/// the size of the common support of `f` and the `b_i`.
///
/// # Example
/// ```
/// use gm_algebra::displacement::RankRForm;
/// use gm_algebra::group::Cyclic;
/// use gm_algebra::matrix::Kernel;
/// use nalgebra::DMatrix;
/// let f = Kernel::sparse(4, vec![(0, 1.0), (1, 0.5)]).unwrap();
/// let b = Kernel::sparse(4, vec![(1, 1.0)]).unwrap();
/// let a = DMatrix::from_column_slice(4, 1, &[1.0, 2.0, 3.0, 4.0]);
/// let m = RankRForm::new(Cyclic::new(4).unwrap(), f, a, vec![b]).unwrap();
/// let x = [1.0, 0.0, 0.0, 0.0];
/// let y = m.matvec(&x).unwrap();
/// let dense = m.to_dense() * nalgebra::DVector::from_column_slice(&x);
/// assert!(y.iter().zip(dense.iter()).all(|(p, q)| (p - q).abs() < 1e-12));
/// assert_eq!(m.parameter_count(), 2 * 2 + 4);
/// ```
#[derive(Debug, Clone)]
pub struct RankRForm<G = AnyGroup> {
    kernel: GroupMatrix<G>,
    kernels: Vec<GroupMatrix<G>>,
    profiles: DMatrix<f64>,
}

impl<G: FiniteGroup + Clone> RankRForm<G> {
    /// The form with kernel `f`, profiles `a_i` (the columns of an `n × r` matrix) and
    /// kernels `b_i` (`r` of them).
    ///
    /// # Errors
    /// [`Error::ShapeMismatch`] when a kernel's order or the profiles' number of rows is not
    /// `n`; [`Error::InvalidGenerators`] when there are not as many kernels `b_i` as
    /// profiles.
    pub fn new(
        group: G,
        kernel: Kernel,
        profiles: DMatrix<f64>,
        kernels: Vec<Kernel>,
    ) -> Result<Self> {
        let n = group.order();
        if profiles.ncols() != kernels.len() {
            return Err(Error::InvalidGenerators {
                reason: format!(
                    "{} profiles a_i but {} kernels b_i",
                    profiles.ncols(),
                    kernels.len()
                ),
            });
        }
        if profiles.nrows() != n {
            return Err(Error::ShapeMismatch {
                what: "rows of the profiles a_i".into(),
                expected: n,
                got: profiles.nrows(),
            });
        }
        let kernels = kernels
            .into_iter()
            .map(|b| GroupMatrix::new(group.clone(), b))
            .collect::<Result<_>>()?;
        Ok(Self {
            kernel: GroupMatrix::new(group, kernel)?,
            kernels,
            profiles,
        })
    }

    /// The diagonal form of the matrix (its stack is [`RankRForm::stack`]).
    pub fn diagonal_form(&self) -> DiagonalForm<G> {
        DiagonalForm::from_values(self.group().clone(), self.stack())
            .expect("n × n by construction")
    }
}

impl<G: FiniteGroup> RankRForm<G> {
    /// The group.
    pub fn group(&self) -> &G {
        self.kernel.group()
    }

    /// The rank `r` of the position-dependent part.
    pub fn rank(&self) -> usize {
        self.kernels.len()
    }

    /// The stack `F = f 1ᵀ + Σ_i b_i a_iᵀ` (row `g`, column = position).
    pub fn stack(&self) -> DMatrix<f64> {
        let n = self.group().order();
        let f = self.kernel.kernel().to_vec();
        let mut stack = DMatrix::from_fn(n, n, |g, _| f[g]);
        for (b, a) in self.kernels.iter().zip(self.profiles.column_iter()) {
            stack += DMatrix::from_column_slice(n, 1, &b.kernel().to_vec()) * a.transpose();
        }
        stack
    }

    /// The dense matrix `M[a,b] = F[g_a⁻¹g_b, a]`.
    pub fn to_dense(&self) -> DMatrix<f64> {
        let n = self.group().order();
        let f = self.stack();
        DMatrix::from_fn(n, n, |a, b| f[(self.group().left_div_idx(a, b), a)])
    }

    /// `M x = M_f x + Σ_i a_i ⊙ (M_{b_i} x)`: `r + 1` GM products and `r` diagonal
    /// scalings.
    ///
    /// # Errors
    /// [`Error::ShapeMismatch`] when `x.len() != n`.
    pub fn matvec(&self, x: &[f64]) -> Result<Vec<f64>> {
        let n = self.group().order();
        if x.len() != n {
            return Err(Error::ShapeMismatch {
                what: "input vector of a rank-r form".into(),
                expected: n,
                got: x.len(),
            });
        }
        let mut y = self.kernel.apply(x);
        for (b, a) in self.kernels.iter().zip(self.profiles.column_iter()) {
            let z = b.apply(x);
            y.iter_mut()
                .zip(a.iter().zip(&z))
                .for_each(|(y, (a, z))| *y += a * z);
        }
        Ok(y)
    }

    /// `K·(r + 1) + r·n`, with `K` the size of the union of the stored supports of `f` and
    /// the `b_i` (`n` for dense kernels).
    pub fn parameter_count(&self) -> usize {
        let mut support = vec![false; self.group().order()];
        for m in std::iter::once(&self.kernel).chain(&self.kernels) {
            m.kernel()
                .support()
                .into_iter()
                .for_each(|g| support[g] = true);
        }
        let k = support.iter().filter(|s| **s).count();
        k * (self.rank() + 1) + self.rank() * self.group().order()
    }
}
