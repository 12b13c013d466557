//! The common surface of the low-displacement-rank (LDR) families.

use super::Displacement;
use crate::{Error, Result};
use nalgebra::DMatrix;

/// A matrix stored by low-displacement-rank generators: its displacement map, its generators
/// `(G, H)`, its dense reconstruction and a fast matrix–vector product.
///
/// Implementors provide the five required methods; [`LdrMatrix::matvec`] (validated) and
/// [`LdrMatrix::rank`] come for free. The law every family satisfies (tested for each in
/// `algebra/tests/displacement.rs`): `apply(x) = to_dense() · x` and
/// `rank(displacement().apply(to_dense())) ≤ displacement_rank_bound()`.
pub trait LdrMatrix {
    /// `(rows, columns)`.
    fn shape(&self) -> (usize, usize);
    /// The displacement map (Sylvester or Stein, with its operators) that certifies the
    /// structure.
    fn displacement(&self) -> Displacement;
    /// The generators `(G, H)`, of sizes `rows × r` and `columns × r`.
    fn generators(&self) -> (&DMatrix<f64>, &DMatrix<f64>);
    /// The dense matrix reconstructed from the generators.
    fn to_dense(&self) -> DMatrix<f64>;
    /// The fast product `M x`.
    ///
    /// # Panics
    /// If `x.len()` differs from the number of columns.
    fn apply(&self, x: &[f64]) -> Vec<f64>;

    /// The number `r` of generator columns.
    fn rank(&self) -> usize {
        self.generators().0.ncols()
    }

    /// The proven bound on the displacement rank of [`LdrMatrix::to_dense`] under
    /// [`LdrMatrix::displacement`]; `r` unless the family says otherwise.
    fn displacement_rank_bound(&self) -> usize {
        self.rank()
    }

    /// The fast product `M x`, validated.
    ///
    /// # Errors
    /// [`Error::ShapeMismatch`] when `x.len()` differs from the number of columns.
    fn matvec(&self, x: &[f64]) -> Result<Vec<f64>> {
        let cols = self.shape().1;
        if x.len() != cols {
            return Err(Error::ShapeMismatch {
                what: "input vector of an LDR product".into(),
                expected: cols,
                got: x.len(),
            });
        }
        Ok(self.apply(x))
    }
}
