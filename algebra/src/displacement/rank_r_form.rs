//! The rank-`r` relaxation of a group matrix: `F = f 1ᵀ + Σ_i b_i a_iᵀ` in the diagonal
//! form, i.e. `M = M_f + Σ_i diag(a_i) M_{b_i}` — the approximately equivariant layer.

use super::krylov::check_generators;
use super::DiagonalForm;
use crate::{AnyGroup, Error, FiniteGroup, Result};
use nalgebra::DMatrix;

/// A matrix whose diagonal form is a kernel plus a rank-`r` position-dependent part:
/// `F[g, a] = f(g) + Σ_i b_i(g) a_i[a]`, so that
/// `M = Σ_g diag(F[g, ·]) B_g = M_f + Σ_i diag(a_i) M_{b_i}`.
///
/// (`docs/theory/displacement.md` writes this `F = f·1ᵀ + Σ b_i a_iᵀ`; the kernels `b_i` are
/// functions on the group, the profiles `a_i` functions on positions.) Its displacement
/// `F − F_s = Σ_i b_i (a_i − λ(s) a_i)ᵀ` has rank `≤ r`; it is a GM when every `a_i` is
/// constant. A product costs `r + 1` GM products and `r` diagonal scalings; parameters
/// `|supp|·(r + 1) + r·n` with `supp` the common support of `f` and the `b_i`.
///
/// # Example
/// ```
/// use gm_algebra::displacement::RankRForm;
/// use gm_algebra::group::Cyclic;
/// use gm_algebra::AnyGroup;
/// use nalgebra::DMatrix;
/// let g = AnyGroup::new(Cyclic::new(4).unwrap());
/// let f = vec![1.0, 0.5, 0.0, 0.0];
/// let a = DMatrix::from_column_slice(4, 1, &[1.0, 2.0, 3.0, 4.0]);
/// let b = DMatrix::from_column_slice(4, 1, &[0.0, 1.0, 0.0, 0.0]);
/// let m = RankRForm::new(g, f, a, b).unwrap();
/// let x = [1.0, 0.0, 0.0, 0.0];
/// let y = m.matvec(&x).unwrap();
/// let dense = m.to_dense() * nalgebra::DVector::from_column_slice(&x);
/// assert!(y.iter().zip(dense.iter()).all(|(p, q)| (p - q).abs() < 1e-12));
/// assert_eq!(m.parameter_count(), 2 * 2 + 4);
/// ```
#[derive(Debug, Clone)]
pub struct RankRForm<G = AnyGroup> {
    group: G,
    kernel: Vec<f64>,
    profiles: DMatrix<f64>,
    kernels: DMatrix<f64>,
}

/// `(M_f x)(a) = Σ_k f(k) x(g_a k)` over the support of `f`.
fn gm_apply<G: FiniteGroup + ?Sized>(group: &G, f: &[f64], x: &[f64]) -> Vec<f64> {
    let support: Vec<(usize, f64)> = f
        .iter()
        .copied()
        .enumerate()
        .filter(|(_, v)| *v != 0.0)
        .collect();
    (0..group.order())
        .map(|a| {
            support
                .iter()
                .map(|&(k, v)| v * x[group.mul_idx(a, k)])
                .sum()
        })
        .collect()
}

impl<G: FiniteGroup> RankRForm<G> {
    /// The form with kernel `f` (length `n`), profiles `a_i` (columns of an `n × r` matrix)
    /// and kernels `b_i` (columns of an `n × r` matrix).
    ///
    /// # Errors
    /// [`Error::ShapeMismatch`] when `f`, the profiles or the kernels do not have `n`
    /// entries/rows; [`Error::InvalidGenerators`] when profiles and kernels have different
    /// numbers of columns.
    pub fn new(
        group: G,
        kernel: Vec<f64>,
        profiles: DMatrix<f64>,
        kernels: DMatrix<f64>,
    ) -> Result<Self> {
        let n = group.order();
        if kernel.len() != n {
            return Err(Error::ShapeMismatch {
                what: "kernel length".into(),
                expected: n,
                got: kernel.len(),
            });
        }
        check_generators(n, n, &profiles, &kernels)?;
        Ok(Self {
            group,
            kernel,
            profiles,
            kernels,
        })
    }

    /// The rank `r` of the position-dependent part.
    pub fn rank(&self) -> usize {
        self.profiles.ncols()
    }

    /// The stack `F = f 1ᵀ + Σ_i b_i a_iᵀ` (row `g`, column = position).
    pub fn stack(&self) -> DMatrix<f64> {
        let n = self.group.order();
        DMatrix::from_fn(n, n, |g, _| self.kernel[g]) + &self.kernels * self.profiles.transpose()
    }

    /// The dense matrix `M[a,b] = F[g_a⁻¹g_b, a]`.
    pub fn to_dense(&self) -> DMatrix<f64> {
        let n = self.group.order();
        let f = self.stack();
        DMatrix::from_fn(n, n, |a, b| f[(self.group.left_div_idx(a, b), a)])
    }

    /// `M x = M_f x + Σ_i a_i ⊙ (M_{b_i} x)`: `r + 1` GM products (`O(n·|supp|)` each) and
    /// `r` diagonal scalings.
    ///
    /// # Errors
    /// [`Error::ShapeMismatch`] when `x.len() != n`.
    pub fn matvec(&self, x: &[f64]) -> Result<Vec<f64>> {
        let n = self.group.order();
        if x.len() != n {
            return Err(Error::ShapeMismatch {
                what: "input vector of a rank-r form".into(),
                expected: n,
                got: x.len(),
            });
        }
        let mut y = gm_apply(&self.group, &self.kernel, x);
        for (a, b) in self.profiles.column_iter().zip(self.kernels.column_iter()) {
            let z = gm_apply(&self.group, b.as_slice(), x);
            y.iter_mut()
                .zip(a.iter().zip(&z))
                .for_each(|(y, (a, z))| *y += a * z);
        }
        Ok(y)
    }

    /// `|supp|·(r + 1) + r·n`, with `supp` the union of the supports of `f` and the `b_i`.
    pub fn parameter_count(&self) -> usize {
        let n = self.group.order();
        let support = (0..n)
            .filter(|&g| self.kernel[g] != 0.0 || self.kernels.row(g).iter().any(|v| *v != 0.0))
            .count();
        support * (self.rank() + 1) + self.rank() * n
    }
}

impl<G: FiniteGroup + Clone> RankRForm<G> {
    /// The diagonal form of the matrix (its stack is [`RankRForm::stack`]).
    pub fn diagonal_form(&self) -> DiagonalForm<G> {
        DiagonalForm::from_values(self.group.clone(), self.stack()).expect("n × n by construction")
    }
}
