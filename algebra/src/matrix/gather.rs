//! The gather table of a kernel support: the index pattern of a group-matrix product.

use super::check_len;
use crate::{Error, FiniteGroup, Result};

/// The index pattern of `x ↦ M_f x` for kernels supported on `S = (s_0, …, s_{K−1})`,
/// built once and reused for every kernel with that support.
///
/// Definition: `table[k][a] = index(g_a · s_k)`, stored row-major as a `K × n` array of
/// `u32`. Since `M_f[a,b] = f(g_a⁻¹ g_b)`, substituting `g_b = g_a s_k` gives
///
/// `(M_f x)(g_a) = Σ_k f(s_k) · x[table[k][a]]`,
///
/// a gather of `x` by each row followed by a weighted sum: `O(n·K)` instead of `O(n²)`.
/// This is exactly what the nn crate lowers to tensors (an index tensor `K × n`, weights
/// `C_out × C_in × K`); repeated support entries are allowed and simply add up.
///
/// # Example
/// ```
/// use gm_algebra::group::Cyclic;
/// use gm_algebra::matrix::GatherTable;
/// let z5 = Cyclic::new(5).unwrap();
/// let t = GatherTable::new(&z5, &[0, 1]).unwrap();
/// assert_eq!(t.row(1), &[1, 2, 3, 4, 0]); // g_a · r
/// // (M_f x)(a) = 2·x(a) + 3·x(a+1)
/// let y = t.apply(&[2.0, 3.0], &[1.0, 0.0, 0.0, 0.0, 0.0]);
/// assert_eq!(y, vec![2.0, 0.0, 0.0, 0.0, 3.0]);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GatherTable {
    order: usize,
    support: Vec<usize>,
    table: Vec<u32>,
}

impl GatherTable {
    /// Builds the table of `support` on `group` with `K·n` group products.
    ///
    /// # Errors
    /// [`Error::IndexOutOfRange`] for a support index `≥ n`; [`Error::TooLarge`] when `n`
    /// does not fit the `u32` indices.
    pub fn new<G: FiniteGroup + ?Sized>(group: &G, support: &[usize]) -> Result<Self> {
        let n = group.order();
        if u32::try_from(n).is_err() {
            return Err(Error::TooLarge {
                order: n,
                operation: "a gather table (u32 indices)".into(),
                limit: u32::MAX as usize,
            });
        }
        if let Some(&index) = support.iter().find(|&&s| s >= n) {
            return Err(Error::IndexOutOfRange { index, order: n });
        }
        let mut table = Vec::with_capacity(n * support.len());
        for &s in support {
            table.extend((0..n).map(|a| group.mul_idx(a, s) as u32));
        }
        Ok(Self {
            order: n,
            support: support.to_vec(),
            table,
        })
    }

    /// The group order `n`.
    pub fn order(&self) -> usize {
        self.order
    }

    /// The support `S`, in row order.
    pub fn support(&self) -> &[usize] {
        &self.support
    }

    /// The number `K` of rows (support entries).
    pub fn len(&self) -> usize {
        self.support.len()
    }

    /// Whether the support is empty (then every product is zero).
    pub fn is_empty(&self) -> bool {
        self.support.is_empty()
    }

    /// The whole table, row-major `K × n`: entry `k·n + a` is `index(g_a · s_k)`.
    pub fn table(&self) -> &[u32] {
        &self.table
    }

    /// Row `k`: `[index(g_a · s_k) for a in 0..n]`.
    ///
    /// # Panics
    /// If `k ≥ K`.
    pub fn row(&self, k: usize) -> &[u32] {
        &self.table[k * self.order..(k + 1) * self.order]
    }

    /// `y = M_f x` for the kernel with `f(s_k) = weights[k]`.
    ///
    /// # Panics
    /// If `weights.len() != K` or `x.len() != n`.
    pub fn apply(&self, weights: &[f64], x: &[f64]) -> Vec<f64> {
        let mut y = vec![0.0; self.order];
        self.apply_into(weights, x, &mut y);
        y
    }

    /// `y = M_f x` written into `y` (overwritten), for `f(s_k) = weights[k]`.
    ///
    /// # Panics
    /// If `weights.len() != K` or `x.len() != n` or `y.len() != n`.
    pub fn apply_into(&self, weights: &[f64], x: &[f64], y: &mut [f64]) {
        let n = self.order;
        check_len("gather weights", self.support.len(), weights.len());
        check_len("gather input", n, x.len());
        check_len("gather output", n, y.len());
        y.fill(0.0);
        for (row, &w) in self.table.chunks_exact(n.max(1)).zip(weights) {
            if w == 0.0 {
                continue;
            }
            for (yi, &j) in y.iter_mut().zip(row) {
                *yi += w * x[j as usize];
            }
        }
    }

    /// Applies `M_f` to every row of a row-major batch `B × n` (`x.len() = B·n`); returns
    /// the `B × n` results, row-major.
    ///
    /// # Panics
    /// If `weights.len() != K` or `x.len()` is not a multiple of `n`.
    pub fn apply_batch(&self, weights: &[f64], x: &[f64]) -> Vec<f64> {
        let n = self.order;
        check_len("batch length modulo n", 0, x.len() % n.max(1));
        let mut y = vec![0.0; x.len()];
        for (xr, yr) in x.chunks_exact(n).zip(y.chunks_exact_mut(n)) {
            self.apply_into(weights, xr, yr);
        }
        y
    }
}
