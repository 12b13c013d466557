//! LDR-TD: learned tridiagonal operators (Thomas et al. 2018).

use super::krylov::check_generators;
use super::{krylov_sum, krylov_sum_apply, Displacement, LdrMatrix, Operator};
use crate::{Error, Result};
use nalgebra::DMatrix;

/// The LDR-TD matrix `M = Σ_i K(A, g_i) K(Bᵀ, h_i)ᵀ` (Thomas et al. form) with learned
/// operators `A`, `B` — tridiagonal in LDR-TD (build them with [`Operator::tridiagonal`]);
/// any square operators are accepted.
///
/// Telescoping gives the Stein displacement `Δ_{A,B}(M) = G Hᵀ − Aⁿ G Hᵀ Bⁿ`: rank `≤ 2r`
/// (`Aⁿ` is not a scalar for a tridiagonal `A`, unlike LDR-SD).
///
/// Product: Horner's rule with `O(nnz)` operator applications — `O(r n²)` time for
/// tridiagonal operators (the LDR authors' cost) and `O(n)` extra memory instead of the
/// `O(n²)` of the dense matrix.
///
/// # Example
/// ```
/// use gm_algebra::displacement::{LdrMatrix, LdrTd, Operator};
/// use nalgebra::DMatrix;
/// let a = Operator::tridiagonal(vec![1.0; 3], vec![0.5; 4], vec![-0.5; 3]).unwrap();
/// let b = Operator::tridiagonal(vec![0.2; 3], vec![1.0; 4], vec![0.3; 3]).unwrap();
/// let m = LdrTd::new(a, b, DMatrix::from_element(4, 1, 1.0), DMatrix::from_element(4, 1, 0.5)).unwrap();
/// assert!(m.displacement().rank(&m.to_dense()).unwrap() <= 2);
/// ```
#[derive(Debug, Clone)]
pub struct LdrTd {
    a: Operator,
    b: Operator,
    g: DMatrix<f64>,
    h: DMatrix<f64>,
}

impl LdrTd {
    /// The LDR-TD matrix with operators `A`, `B` (both `n × n`) and generators `G`, `H`
    /// (`n × r`).
    ///
    /// # Errors
    /// [`Error::ShapeMismatch`] when `B`, `G` or `H` does not match `A`'s dimension;
    /// [`Error::InvalidGenerators`] when `G` and `H` have different numbers of columns.
    pub fn new(a: Operator, b: Operator, g: DMatrix<f64>, h: DMatrix<f64>) -> Result<Self> {
        if a.dim() != b.dim() {
            return Err(Error::ShapeMismatch {
                what: "LDR-TD right operator B".into(),
                expected: a.dim(),
                got: b.dim(),
            });
        }
        check_generators(a.dim(), b.dim(), &g, &h)?;
        Ok(Self { a, b, g, h })
    }
}

impl LdrMatrix for LdrTd {
    fn shape(&self) -> (usize, usize) {
        (self.a.dim(), self.a.dim())
    }

    fn displacement(&self) -> Displacement {
        Displacement::stein(self.a.clone(), self.b.clone())
    }

    fn generators(&self) -> (&DMatrix<f64>, &DMatrix<f64>) {
        (&self.g, &self.h)
    }

    /// `2r` (see the type's docs).
    fn displacement_rank_bound(&self) -> usize {
        2 * self.rank()
    }

    fn to_dense(&self) -> DMatrix<f64> {
        krylov_sum(&self.a, &self.b, &self.g, &self.h).expect("generators validated")
    }

    fn apply(&self, x: &[f64]) -> Vec<f64> {
        krylov_sum_apply(&self.a, &self.b, &self.g, &self.h, x)
    }
}
