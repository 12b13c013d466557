//! Low-rank matrices `M = G Hᵀ`: the LDR family of the Stein map with zero operators.

use super::krylov::check_generators;
use super::{Displacement, LdrMatrix, Operator};
use crate::{Error, Result};
use nalgebra::{DMatrix, DVector};

/// The `m × n` matrix `M = G Hᵀ` of rank at most `r`: `Δ_{0,0}(M) = M`, so its
/// displacement rank under the Stein map with zero operators is its rank. Product
/// `G (Hᵀ x)` in `O(r (m + n))`.
///
/// # Example
/// ```
/// use gm_algebra::displacement::{LdrMatrix, LowRank};
/// use nalgebra::DMatrix;
/// let m = LowRank::new(DMatrix::from_element(2, 1, 2.0), DMatrix::from_element(3, 1, 1.0)).unwrap();
/// assert_eq!(m.matvec(&[1.0, 1.0, 1.0]).unwrap(), vec![6.0, 6.0]);
/// ```
#[derive(Debug, Clone)]
pub struct LowRank {
    g: DMatrix<f64>,
    h: DMatrix<f64>,
}

impl LowRank {
    /// `M = G Hᵀ` with `G` of size `m × r` and `H` of size `n × r`.
    ///
    /// # Errors
    /// [`Error::InvalidGenerators`] when `G` and `H` have different numbers of columns;
    /// [`Error::InvalidParameter`] when `m` or `n` is 0.
    pub fn new(g: DMatrix<f64>, h: DMatrix<f64>) -> Result<Self> {
        if g.nrows() == 0 || h.nrows() == 0 {
            return Err(Error::InvalidParameter {
                family: "low-rank matrix".into(),
                reason: "both sides must have at least one row".into(),
            });
        }
        check_generators(g.nrows(), h.nrows(), &g, &h)?;
        Ok(Self { g, h })
    }
}

impl LdrMatrix for LowRank {
    fn shape(&self) -> (usize, usize) {
        (self.g.nrows(), self.h.nrows())
    }

    fn displacement(&self) -> Displacement {
        Displacement::stein(
            Operator::zero(self.g.nrows()).expect("m ≥ 1"),
            Operator::zero(self.h.nrows()).expect("n ≥ 1"),
        )
    }

    fn generators(&self) -> (&DMatrix<f64>, &DMatrix<f64>) {
        (&self.g, &self.h)
    }

    fn to_dense(&self) -> DMatrix<f64> {
        &self.g * self.h.transpose()
    }

    fn apply(&self, x: &[f64]) -> Vec<f64> {
        super::check_len("low-rank input", self.h.nrows(), x.len());
        let x = DVector::from_column_slice(x);
        (&self.g * (self.h.transpose() * x)).as_slice().to_vec()
    }
}
