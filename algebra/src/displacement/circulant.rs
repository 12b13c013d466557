//! Circulant matrices `C(c)[i,j] = c_{(i−j) mod n}`: the LDR family of displacement rank 1.

use super::{Displacement, LdrMatrix, ShiftKrylov};
use crate::{Error, Result};
use nalgebra::DMatrix;
use num_complex::Complex64;

/// The circulant `C(c) = K(Z₁, c) = Σ_k c_k Z₁^k` with first column `c`.
///
/// `∇_{Z₁,Z₁}(C) = 0` (circulants commute with `Z₁`) and
/// `∇_{Z₁,Z₋₁}(C) = C(Z₁ − Z₋₁) = 2c e_{n−1}ᵀ`: generators `G = 2c`, `H = e_{n−1}`, so a
/// circulant is the Toeplitz-like matrix of displacement rank 1. Product: one FFT pair,
/// `O(n log n)`.
///
/// # Example
/// ```
/// use gm_algebra::displacement::{Circulant, LdrMatrix};
/// let c = Circulant::new(vec![1.0, 2.0, 3.0]).unwrap();
/// let y = c.matvec(&[1.0, 0.0, 0.0]).unwrap();
/// assert!((y[2] - 3.0).abs() < 1e-12);
/// assert_eq!(c.to_dense()[(0, 1)], 3.0);
/// ```
#[derive(Debug, Clone)]
pub struct Circulant {
    column: Vec<f64>,
    g: DMatrix<f64>,
    h: DMatrix<f64>,
    plan: ShiftKrylov,
    spectrum: Vec<Complex64>,
}

impl Circulant {
    /// The circulant with first column `column`.
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] when `column` is empty.
    pub fn new(column: Vec<f64>) -> Result<Self> {
        let n = column.len();
        if n == 0 {
            return Err(Error::InvalidParameter {
                family: "circulant".into(),
                reason: "the first column must not be empty".into(),
            });
        }
        let plan = ShiftKrylov::shift(n, 1.0)?;
        let spectrum = plan.column_spectrum(&column);
        let g = DMatrix::from_fn(n, 1, |i, _| 2.0 * column[i]);
        let h = DMatrix::from_fn(n, 1, |i, _| if i == n - 1 { 1.0 } else { 0.0 });
        Ok(Self {
            column,
            g,
            h,
            plan,
            spectrum,
        })
    }

    /// The first column `c`.
    pub fn column(&self) -> &[f64] {
        &self.column
    }
}

impl LdrMatrix for Circulant {
    fn shape(&self) -> (usize, usize) {
        (self.column.len(), self.column.len())
    }

    /// `∇_{Z₁,Z₋₁}`, under which a circulant has displacement `2c e_{n−1}ᵀ`.
    fn displacement(&self) -> Displacement {
        super::toeplitz_like::toeplitz_displacement(self.column.len())
    }

    fn generators(&self) -> (&DMatrix<f64>, &DMatrix<f64>) {
        (&self.g, &self.h)
    }

    fn to_dense(&self) -> DMatrix<f64> {
        let n = self.column.len();
        DMatrix::from_fn(n, n, |i, j| self.column[(n + i - j) % n])
    }

    fn apply(&self, x: &[f64]) -> Vec<f64> {
        self.plan
            .krylov(&self.spectrum, x)
            .iter()
            .map(|y| y.re)
            .collect()
    }
}
