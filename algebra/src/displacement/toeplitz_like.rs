//! Toeplitz-like matrices: low displacement rank under `∇_{Z₁,Z₋₁}`.

use super::krylov::check_generators;
use super::{Displacement, KrylovSum, LdrMatrix, Operator, ShiftKrylov};
use crate::{Error, Result};
use nalgebra::DMatrix;

/// The `n × n` matrix `M` with `∇_{Z₁,Z₋₁}(M) = Z₁M − MZ₋₁ = G Hᵀ` (rank `r`).
///
/// Every Toeplitz matrix has such generators with `r ≤ 2`. Reconstruction (Pan form):
/// `Z₁ⁿ = I` and `Z₋₁ⁿ = −I`, so `2M = Σ_i K(Z₁, g_i) J K(Z₋₁ᵀ, h_i)ᵀ
/// = Σ_i Z₁(g_i) Z₋₁(J h_i)`, a sum of products of a circulant and a skew-circulant. The
/// product `M x` costs `2r + 2` complex FFTs of length `n`: `O(r n log n)`.
///
/// # Example
/// ```
/// use gm_algebra::displacement::{LdrMatrix, ToeplitzLike};
/// use nalgebra::DMatrix;
/// let g = DMatrix::from_fn(8, 2, |i, j| (i + 2 * j) as f64);
/// let h = DMatrix::from_fn(8, 2, |i, j| 1.0 / (1 + i + j) as f64);
/// let m = ToeplitzLike::new(g.clone(), h.clone()).unwrap();
/// let d = m.displacement().apply(&m.to_dense()).unwrap();
/// assert!((d - &g * h.transpose()).norm() < 1e-10);
/// ```
#[derive(Debug, Clone)]
pub struct ToeplitzLike {
    g: DMatrix<f64>,
    h: DMatrix<f64>,
    fast: KrylovSum,
}

impl ToeplitzLike {
    /// The Toeplitz-like matrix with generators `G` and `H` (both `n × r`).
    ///
    /// # Errors
    /// [`Error::InvalidGenerators`] when `G` and `H` have different numbers of columns;
    /// [`Error::ShapeMismatch`] when they have different numbers of rows;
    /// [`Error::InvalidParameter`] when `n == 0`.
    pub fn new(g: DMatrix<f64>, h: DMatrix<f64>) -> Result<Self> {
        let n = g.nrows();
        if n == 0 {
            return Err(Error::InvalidParameter {
                family: "Toeplitz-like matrix".into(),
                reason: "the size must be at least 1".into(),
            });
        }
        check_generators(n, n, &g, &h)?;
        let fast = KrylovSum::new(
            ShiftKrylov::shift(n, 1.0)?,
            ShiftKrylov::shift(n, -1.0)?,
            &g,
            &h,
            true,
        );
        Ok(Self { g, h, fast })
    }
}

/// `∇_{Z₁,Z₋₁}` on `n × n` matrices, the displacement of Toeplitz-like matrices (and of
/// circulants, their special case).
pub(crate) fn toeplitz_displacement(n: usize) -> Displacement {
    Displacement::sylvester(
        Operator::shift(n, 1.0).expect("n ≥ 1"),
        Operator::shift(n, -1.0).expect("n ≥ 1"),
    )
}

impl LdrMatrix for ToeplitzLike {
    fn shape(&self) -> (usize, usize) {
        (self.g.nrows(), self.g.nrows())
    }

    fn displacement(&self) -> Displacement {
        toeplitz_displacement(self.g.nrows())
    }

    fn generators(&self) -> (&DMatrix<f64>, &DMatrix<f64>) {
        (&self.g, &self.h)
    }

    /// `O(r n²)` without FFTs: the first column `M e₀ = ½ Σ_i Z₁(g_i) J h_i` directly, then
    /// the displacement equation column by column, `M[i, j+1] = M[i−1 mod n, j] − (GHᵀ)[i, j]`.
    fn to_dense(&self) -> DMatrix<f64> {
        let n = self.g.nrows();
        let mut m = DMatrix::zeros(n, n);
        for (g, h) in self.g.column_iter().zip(self.h.column_iter()) {
            for a in 0..n {
                let s: f64 = (0..n).map(|b| g[(n + a - b) % n] * h[n - 1 - b]).sum();
                m[(a, 0)] += 0.5 * s;
            }
        }
        for j in 0..n - 1 {
            for i in 0..n {
                let r: f64 = self.g.row(i).dot(&self.h.row(j));
                m[(i, j + 1)] = m[((i + n - 1) % n, j)] - r;
            }
        }
        m
    }

    fn apply(&self, x: &[f64]) -> Vec<f64> {
        super::check_len("Toeplitz-like input", self.g.nrows(), x.len());
        self.fast.apply(x).iter().map(|y| 0.5 * y).collect()
    }
}
