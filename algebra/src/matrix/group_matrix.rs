//! The group matrix `M_f[a,b] = f(g_a⁻¹ g_b)` of a kernel: dense form, products, transpose.

use super::{GatherTable, Kernel};
use crate::{AnyGroup, Error, FiniteGroup, Result};
use nalgebra::DMatrix;
use std::sync::OnceLock;

/// The group matrix (GM) `M_f` of a kernel `f: G → ℝ` over a finite group `G` of order `n`:
///
/// `M_f[a,b] = f(g_a⁻¹ g_b)`, so `(M_f x)(g_a) = Σ_k f(k) · x(g_a k)`.
///
/// The matrix is never stored: it is the pair (group, [`Kernel`]). Applying it costs
/// `O(n·K)` for a kernel with `K` stored terms, through a [`GatherTable`] built on first use
/// and cached. GMs commute with the left-regular action, `L_u M_f = M_f L_u`, and form an
/// algebra: `M_f M_h = M_{f∗h}`, `M_fᵀ = M_{f̃}`, `M_f⁻¹ = M_{f⁻¹}`
/// (see `docs/theory/matrices.md`).
///
/// The group is owned: pass a `Copy` family (`Cyclic`, `Dihedral`), a `CachedGroup`, or an
/// [`AnyGroup`] (the default type parameter, a cheap `Arc` clone) for type-erased callers.
///
/// # Example
/// ```
/// use gm_algebra::group::Cyclic;
/// use gm_algebra::matrix::GroupMatrix;
/// let z4 = Cyclic::new(4).unwrap();
/// // f = δ_e + 2δ_r: M_f = I + 2·(shift)
/// let m = GroupMatrix::sparse(z4, vec![(0, 1.0), (1, 2.0)]).unwrap();
/// assert_eq!(m.entry(0, 1), 2.0); // f(g_0⁻¹ g_1) = f(r)
/// assert_eq!(m.apply(&[1.0, 2.0, 3.0, 4.0]), vec![5.0, 8.0, 11.0, 6.0]);
/// let d = m.to_dense();
/// assert_eq!(d[(3, 0)], 2.0);
/// ```
#[derive(Debug, Clone)]
pub struct GroupMatrix<G = AnyGroup> {
    group: G,
    kernel: Kernel,
    gather: OnceLock<GatherTable>,
}

impl<G: FiniteGroup> GroupMatrix<G> {
    /// The GM of `kernel` over `group`.
    ///
    /// # Errors
    /// [`Error::ShapeMismatch`] when the kernel's order is not the group's.
    pub fn new(group: G, kernel: Kernel) -> Result<Self> {
        if kernel.order() != group.order() {
            return Err(Error::ShapeMismatch {
                what: "kernel order vs group order".into(),
                expected: group.order(),
                got: kernel.order(),
            });
        }
        Ok(Self {
            group,
            kernel,
            gather: OnceLock::new(),
        })
    }

    /// The GM of the dense kernel `values[i] = f(g_i)`.
    ///
    /// # Errors
    /// [`Error::ShapeMismatch`] when `values.len() != n`.
    pub fn dense(group: G, values: Vec<f64>) -> Result<Self> {
        let kernel = Kernel::dense(group.order(), values)?;
        Self::new(group, kernel)
    }

    /// The GM of the sparse kernel `f = Σ v δ_s` over the `(s, v)` pairs.
    ///
    /// # Errors
    /// [`Error::IndexOutOfRange`] for an element index `≥ n`.
    pub fn sparse(group: G, terms: Vec<(usize, f64)>) -> Result<Self> {
        let kernel = Kernel::sparse(group.order(), terms)?;
        Self::new(group, kernel)
    }

    /// The identity matrix `M_{δ_e} = I`.
    pub fn identity(group: G) -> Self {
        let kernel = Kernel::identity(group.order());
        Self {
            group,
            kernel,
            gather: OnceLock::new(),
        }
    }

    /// The group.
    pub fn group(&self) -> &G {
        &self.group
    }

    /// The kernel `f`.
    pub fn kernel(&self) -> &Kernel {
        &self.kernel
    }

    /// The size `n` of the matrix (the group's order).
    pub fn order(&self) -> usize {
        self.kernel.order()
    }

    /// The entry `M_f[a,b] = f(g_a⁻¹ g_b)`.
    ///
    /// # Panics
    /// If `a` or `b` is `≥ n`.
    pub fn entry(&self, a: usize, b: usize) -> f64 {
        self.kernel.value(self.group.left_div_idx(a, b))
    }

    /// The dense `n × n` matrix, with `n²` calls of `left_div_idx`.
    pub fn to_dense(&self) -> DMatrix<f64> {
        let f = self.kernel.to_vec();
        DMatrix::from_fn(self.order(), self.order(), |a, b| {
            f[self.group.left_div_idx(a, b)]
        })
    }

    /// The gather table of the kernel's support (built on first call, then cached).
    pub fn gather_table(&self) -> &GatherTable {
        self.gather.get_or_init(|| {
            GatherTable::new(&self.group, &self.kernel.support())
                .expect("kernel support validated against the group order")
        })
    }

    /// `M_f x` in `O(n·K)`: `(M_f x)(g_a) = Σ_k f(s_k) x(g_a s_k)`.
    ///
    /// # Panics
    /// If `x.len() != n`.
    pub fn apply(&self, x: &[f64]) -> Vec<f64> {
        self.gather_table().apply(self.kernel.weights(), x)
    }

    /// `M_f x` for every row of a row-major batch `B × n`; returns `B × n`, row-major.
    ///
    /// # Panics
    /// If `x.len()` is not a multiple of `n`.
    pub fn apply_batch(&self, x: &[f64]) -> Vec<f64> {
        self.gather_table().apply_batch(self.kernel.weights(), x)
    }

    fn check_same_order(&self, other_order: usize, what: &str) -> Result<()> {
        if other_order == self.order() {
            Ok(())
        } else {
            Err(Error::ShapeMismatch {
                what: what.into(),
                expected: self.order(),
                got: other_order,
            })
        }
    }
}

impl<G: FiniteGroup + Clone> GroupMatrix<G> {
    /// The product `M_f M_h = M_{f∗h}`, with the convolution `(f∗h)(g) = Σ_k f(k) h(k⁻¹g)`,
    /// computed as `Σ_{k,j} f(k) h(j) δ_{kj}` in `O(K_f·K_h)` group products. The result is
    /// sparse when both kernels are (support ⊆ `supp f · supp h`), dense otherwise.
    ///
    /// Both matrices must be over the same group; only the orders can be checked.
    ///
    /// # Errors
    /// [`Error::ShapeMismatch`] when the orders differ.
    pub fn product(&self, other: &Self) -> Result<Self> {
        self.check_same_order(other.order(), "order of the right factor")?;
        let n = self.order();
        let mut acc = vec![0.0; n];
        let mut slot = vec![usize::MAX; n];
        let mut support = Vec::new();
        for (k, fk) in self.kernel.terms().filter(|t| t.1 != 0.0) {
            for (j, hj) in other.kernel.terms().filter(|t| t.1 != 0.0) {
                let g = self.group.mul_idx(k, j);
                if slot[g] == usize::MAX {
                    slot[g] = support.len();
                    support.push(g);
                }
                acc[g] += fk * hj;
            }
        }
        let kernel = if self.kernel.is_sparse() && other.kernel.is_sparse() {
            Kernel::sparse(n, support.into_iter().map(|g| (g, acc[g])).collect())
        } else {
            Kernel::dense(n, acc)
        }?;
        Self::new(self.group.clone(), kernel)
    }

    /// The transpose `M_fᵀ = M_{f̃}` with `f̃(g) = f(g⁻¹)` (same storage form).
    pub fn transpose(&self) -> Self {
        let kernel = self.kernel.reindexed(|i| self.group.inv_idx(i));
        Self {
            group: self.group.clone(),
            kernel,
            gather: OnceLock::new(),
        }
    }

    /// The inverse `M_f⁻¹`, itself the GM of the group-algebra inverse `f⁻¹` (dense).
    ///
    /// Computed by one LU factorisation of the dense matrix and one solve: the first column
    /// of `M_f⁻¹` is `M_{f⁻¹}[a,0] = f⁻¹(g_a⁻¹)`, so `f⁻¹(g_a) = (M_f⁻¹ e_0)[index(g_a⁻¹)]`.
    /// `O(n³)`; the Fourier module does it in `Σ d_ρ³`.
    ///
    /// # Errors
    /// [`Error::Singular`] when a pivot of the LU factorisation is `≤ n·ε` times the
    /// largest one (see [`GroupMatrix::solve`]).
    pub fn inverse(&self) -> Result<Self> {
        let n = self.order();
        let mut e0 = vec![0.0; n];
        e0[0] = 1.0;
        let col = self.solve(&e0)?;
        let values = (0..n).map(|a| col[self.group.inv_idx(a)]).collect();
        Self::dense(self.group.clone(), values)
    }

    /// Solves `M_f x = b` by LU factorisation with partial pivoting of the dense matrix.
    ///
    /// # Errors
    /// [`Error::ShapeMismatch`] when `b.len() != n`; [`Error::Singular`] when the smallest
    /// pivot is `≤ n·ε` times the largest (numerically singular).
    pub fn solve(&self, b: &[f64]) -> Result<Vec<f64>> {
        self.check_same_order(b.len(), "right-hand side length")?;
        let n = self.order();
        let lu = self.to_dense().lu();
        let pivots = lu.u().diagonal().map(f64::abs);
        let (smallest, largest) = (pivots.min(), pivots.max());
        let threshold = n as f64 * f64::EPSILON * largest;
        if smallest.partial_cmp(&threshold) != Some(std::cmp::Ordering::Greater) {
            return Err(Error::Singular {
                reason: format!(
                    "group matrix of order {n}: LU pivot ratio {:.3e}",
                    smallest / largest
                ),
            });
        }
        let x = lu
            .solve(&nalgebra::DVector::from_column_slice(b))
            .ok_or_else(|| Error::Singular {
                reason: format!("group matrix of order {n}: zero LU pivot"),
            })?;
        Ok(x.as_slice().to_vec())
    }
}
