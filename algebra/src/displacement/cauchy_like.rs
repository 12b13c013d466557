//! Cauchy-like matrices: low displacement rank under `∇_{D_s, D_t}`.

use super::krylov::check_generators;
use super::{Displacement, LdrMatrix, Operator};
use crate::{Error, Result};
use nalgebra::DMatrix;

/// The `m × n` matrix `M` with `∇_{D_s, D_t}(M) = diag(s) M − M diag(t) = G Hᵀ` (rank `r`),
/// for nodes `s ∈ ℝᵐ`, `t ∈ ℝⁿ` with `s_i ≠ t_j`.
///
/// The Cauchy matrix `C[i,j] = 1/(s_i − t_j)` has `∇(C) = 1 1ᵀ`, rank 1. The Sylvester
/// equation with diagonal operators is solved entrywise (the Krylov form is not needed):
/// `M[i,j] = (GHᵀ)[i,j] / (s_i − t_j)`, i.e. `M = Σ_k diag(g_k) C diag(h_k)`. Product
/// matrix-free in `O(r m n)` time and `O(m + n)` extra memory (fast multipole methods would
/// reach `O(r (m + n) log(1/ε))`; not implemented).
///
/// # Example
/// ```
/// use gm_algebra::displacement::{CauchyLike, LdrMatrix};
/// use nalgebra::DMatrix;
/// let m = CauchyLike::new(vec![1.0, 2.0], vec![0.0, -1.0, -2.0],
///     DMatrix::from_element(2, 1, 1.0), DMatrix::from_element(3, 1, 1.0)).unwrap();
/// assert_eq!(m.to_dense()[(1, 2)], 0.25);
/// ```
#[derive(Debug, Clone)]
pub struct CauchyLike {
    s: Vec<f64>,
    t: Vec<f64>,
    g: DMatrix<f64>,
    h: DMatrix<f64>,
}

impl CauchyLike {
    /// The Cauchy-like matrix with nodes `s` (`m`), `t` (`n`) and generators `G` (`m × r`),
    /// `H` (`n × r`).
    ///
    /// # Errors
    /// [`Error::InvalidGenerators`] when `G` and `H` have different numbers of columns;
    /// [`Error::ShapeMismatch`] when their rows do not match `s` and `t`;
    /// [`Error::InvalidParameter`] when `s` or `t` is empty;
    /// [`Error::Singular`] when some `s_i == t_j`.
    pub fn new(s: Vec<f64>, t: Vec<f64>, g: DMatrix<f64>, h: DMatrix<f64>) -> Result<Self> {
        if s.is_empty() || t.is_empty() {
            return Err(Error::InvalidParameter {
                family: "Cauchy-like matrix".into(),
                reason: "needs at least one node on each side".into(),
            });
        }
        check_generators(s.len(), t.len(), &g, &h)?;
        if let Some((i, j)) = (0..s.len())
            .flat_map(|i| (0..t.len()).map(move |j| (i, j)))
            .find(|&(i, j)| s[i] == t[j])
        {
            return Err(Error::Singular {
                reason: format!("s[{i}] = t[{j}] = {}", s[i]),
            });
        }
        Ok(Self { s, t, g, h })
    }
}

impl LdrMatrix for CauchyLike {
    fn shape(&self) -> (usize, usize) {
        (self.s.len(), self.t.len())
    }

    fn displacement(&self) -> Displacement {
        Displacement::sylvester(
            Operator::diagonal(self.s.clone()).expect("m ≥ 1"),
            Operator::diagonal(self.t.clone()).expect("n ≥ 1"),
        )
    }

    fn generators(&self) -> (&DMatrix<f64>, &DMatrix<f64>) {
        (&self.g, &self.h)
    }

    fn to_dense(&self) -> DMatrix<f64> {
        DMatrix::from_fn(self.s.len(), self.t.len(), |i, j| {
            self.g.row(i).dot(&self.h.row(j)) / (self.s[i] - self.t[j])
        })
    }

    fn apply(&self, x: &[f64]) -> Vec<f64> {
        super::check_len("Cauchy-like input", self.t.len(), x.len());
        let mut y = vec![0.0; self.s.len()];
        for (g, h) in self.g.column_iter().zip(self.h.column_iter()) {
            let u: Vec<f64> = h.iter().zip(x).map(|(h, x)| h * x).collect();
            for (i, si) in self.s.iter().enumerate() {
                let c: f64 = u.iter().zip(&self.t).map(|(u, t)| u / (si - t)).sum();
                y[i] += g[i] * c;
            }
        }
        y
    }
}
