//! Hankel-like matrices: low displacement rank under `∇_{Z₁,Z₋₁ᵀ}`.

use super::{Displacement, LdrMatrix, Operator, ToeplitzLike};
use crate::Result;
use nalgebra::DMatrix;

/// The `n × n` matrix `M` with `∇_{Z₁,Z₋₁ᵀ}(M) = Z₁M − MZ₋₁ᵀ = G Hᵀ` (rank `r`).
///
/// Since `J Z₋₁ᵀ = Z₋₁ J` (`J` the reversal), `M` is Hankel-like exactly when `MJ` is
/// Toeplitz-like, with generators `(G, JH)`: every Hankel matrix has `r ≤ 2`, and
/// `M = T J` with `T` the [`ToeplitzLike`] matrix of `(G, JH)` (Pan form
/// `2M = Σ_i Z₁(g_i) Z₋₁(h_i) J`). Product: reverse `x`, then `O(r n log n)`.
///
/// # Example
/// ```
/// use gm_algebra::displacement::{HankelLike, LdrMatrix};
/// use nalgebra::DMatrix;
/// let g = DMatrix::from_fn(6, 1, |i, _| i as f64);
/// let h = DMatrix::from_fn(6, 1, |i, _| (i * i) as f64);
/// let m = HankelLike::new(g, h).unwrap();
/// assert_eq!(m.displacement().rank(&m.to_dense()).unwrap(), 1);
/// ```
#[derive(Debug, Clone)]
pub struct HankelLike {
    g: DMatrix<f64>,
    h: DMatrix<f64>,
    toeplitz: ToeplitzLike,
}

impl HankelLike {
    /// The Hankel-like matrix with generators `G` and `H` (both `n × r`).
    ///
    /// # Errors
    /// As [`ToeplitzLike::new`].
    pub fn new(g: DMatrix<f64>, h: DMatrix<f64>) -> Result<Self> {
        let n = h.nrows();
        let reversed = DMatrix::from_fn(n, h.ncols(), |i, j| h[(n - 1 - i, j)]);
        let toeplitz = ToeplitzLike::new(g.clone(), reversed)?;
        Ok(Self { g, h, toeplitz })
    }
}

impl LdrMatrix for HankelLike {
    fn shape(&self) -> (usize, usize) {
        self.toeplitz.shape()
    }

    fn displacement(&self) -> Displacement {
        let n = self.g.nrows();
        let z = Operator::shift(n, -1.0)
            .expect("n ≥ 1")
            .to_dense()
            .transpose();
        Displacement::sylvester(
            Operator::shift(n, 1.0).expect("n ≥ 1"),
            Operator::dense(z).expect("square"),
        )
    }

    fn generators(&self) -> (&DMatrix<f64>, &DMatrix<f64>) {
        (&self.g, &self.h)
    }

    fn to_dense(&self) -> DMatrix<f64> {
        let t = self.toeplitz.to_dense();
        let n = t.ncols();
        DMatrix::from_fn(n, n, |i, j| t[(i, n - 1 - j)])
    }

    fn apply(&self, x: &[f64]) -> Vec<f64> {
        let reversed: Vec<f64> = x.iter().rev().copied().collect();
        self.toeplitz.apply(&reversed)
    }
}
