//! Vandermonde-like matrices: low displacement rank under `∇_{D_v, Z_f}`.

use super::krylov::check_generators;
use super::{reversed_krylov_sum, Displacement, LdrMatrix, Operator, ShiftKrylov};
use crate::{Error, Result};
use nalgebra::DMatrix;
use num_complex::Complex64;

/// The `m × n` matrix `M` with `∇_{D_v, Z_f}(M) = diag(v) M − M Z_f = G Hᵀ` (rank `r`),
/// for nodes `v ∈ ℝᵐ` and a shift parameter `f ≠ 0` with `v_j^n ≠ f` for every node.
///
/// The Vandermonde matrix `V[j,k] = v_j^k` has `∇(V) = (v^n − f) e_{n−1}ᵀ`, rank 1.
/// Reconstruction (Pan form, since `Z_fⁿ = f I`):
/// `(D_vⁿ − f I) M = Σ_i K(D_v, g_i) J K(Z_fᵀ, h_i)ᵀ = Σ_i diag(g_i) V J K(Z_fᵀ, h_i)ᵀ`.
/// Product: `K(Z_fᵀ, h_i)ᵀ x` by FFT (`O(n log n)`), the Vandermonde product by Horner's
/// rule (`O(mn)`) — `O(r (n log n + m n))` time and `O(r (m + n))` memory. (Fast multipoint
/// evaluation would give `O(r n log² n)` but is numerically unstable.)
///
/// # Example
/// ```
/// use gm_algebra::displacement::{LdrMatrix, VandermondeLike};
/// use nalgebra::DMatrix;
/// let v = vec![0.5, -0.25, 0.75];
/// let g = DMatrix::from_element(3, 1, 1.0);
/// let h = DMatrix::from_fn(4, 1, |i, _| i as f64);
/// let m = VandermondeLike::new(v, 2.0, g, h).unwrap();
/// let x = [1.0, -1.0, 0.5, 2.0];
/// let y = m.matvec(&x).unwrap();
/// let dense = m.to_dense() * nalgebra::DVector::from_column_slice(&x);
/// assert!((dense[1] - y[1]).abs() < 1e-12);
/// ```
#[derive(Debug, Clone)]
pub struct VandermondeLike {
    nodes: Vec<f64>,
    f: f64,
    g: DMatrix<f64>,
    h: DMatrix<f64>,
    shift: ShiftKrylov,
    h_spec: Vec<Vec<Complex64>>,
    /// `1 / (v_jⁿ − f)`.
    inv_gap: Vec<f64>,
}

impl VandermondeLike {
    /// The Vandermonde-like matrix with nodes `v` (`m`), shift parameter `f` and generators
    /// `G` (`m × r`), `H` (`n × r`).
    ///
    /// # Errors
    /// [`Error::InvalidGenerators`] when `G` and `H` have different numbers of columns;
    /// [`Error::ShapeMismatch`] when `G` does not have `m` rows;
    /// [`Error::InvalidParameter`] when `m` or `n` is 0 or `f == 0`;
    /// [`Error::Singular`] when some `v_jⁿ` equals `f` (relative gap below `√ε`): the
    /// displacement map is then not invertible.
    pub fn new(nodes: Vec<f64>, f: f64, g: DMatrix<f64>, h: DMatrix<f64>) -> Result<Self> {
        let (m, n) = (nodes.len(), h.nrows());
        if m == 0 || n == 0 || f == 0.0 || !f.is_finite() {
            return Err(Error::InvalidParameter {
                family: "Vandermonde-like matrix".into(),
                reason: "needs at least one node and one column, and a finite f ≠ 0".into(),
            });
        }
        check_generators(m, n, &g, &h)?;
        let mut inv_gap = Vec::with_capacity(m);
        for v in &nodes {
            let p = v.powi(n as i32);
            let gap = p - f;
            if gap.abs() <= f64::EPSILON.sqrt() * p.abs().max(f.abs()) {
                return Err(Error::Singular {
                    reason: format!("node {v}: v^n = {p} is (nearly) f = {f}"),
                });
            }
            inv_gap.push(1.0 / gap);
        }
        let shift = ShiftKrylov::shift(n, f)?;
        let h_spec = h
            .column_iter()
            .map(|c| shift.row_spectrum(c.as_slice()))
            .collect();
        Ok(Self {
            nodes,
            f,
            g,
            h,
            shift,
            h_spec,
            inv_gap,
        })
    }
}

impl LdrMatrix for VandermondeLike {
    fn shape(&self) -> (usize, usize) {
        (self.nodes.len(), self.h.nrows())
    }

    fn displacement(&self) -> Displacement {
        Displacement::sylvester(
            Operator::diagonal(self.nodes.clone()).expect("m ≥ 1"),
            Operator::shift(self.h.nrows(), self.f).expect("n ≥ 1"),
        )
    }

    fn generators(&self) -> (&DMatrix<f64>, &DMatrix<f64>) {
        (&self.g, &self.h)
    }

    fn to_dense(&self) -> DMatrix<f64> {
        let d = self.displacement();
        let mut m =
            reversed_krylov_sum(d.a(), d.b(), &self.g, &self.h).expect("generators validated");
        for (mut row, s) in m.row_iter_mut().zip(&self.inv_gap) {
            row *= *s;
        }
        m
    }

    fn apply(&self, x: &[f64]) -> Vec<f64> {
        let xs = self.shift.input_spectrum(x);
        let mut y = vec![0.0; self.nodes.len()];
        for (g, hs) in self.g.column_iter().zip(&self.h_spec) {
            // w = J K(Z_fᵀ, h)ᵀ x, then (V w)_j by Horner.
            let w: Vec<f64> = self
                .shift
                .krylov_transpose(hs, &xs)
                .iter()
                .rev()
                .map(|s| s.re)
                .collect();
            for (j, v) in self.nodes.iter().enumerate() {
                let vw = w.iter().rev().fold(0.0, |acc, wk| acc * v + wk);
                y[j] += g[j] * vw;
            }
        }
        y.iter_mut().zip(&self.inv_gap).for_each(|(y, s)| *y *= s);
        y
    }
}
