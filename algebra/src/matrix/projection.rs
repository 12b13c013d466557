//! The orthogonal projection of any `n × n` matrix onto group matrices, and the
//! equivariance diagnostics built on the left-regular representation.

use super::{GroupMatrix, Kernel};
use crate::{Error, FiniteGroup, Result};
use nalgebra::DMatrix;

use crate::shape::check_square;

/// The mean of each group diagonal: `f(g) = (1/n) Σ_{(a,b): g_a⁻¹g_b = g} M[a,b]`.
fn diagonal_means<G: FiniteGroup + ?Sized>(group: &G, m: &DMatrix<f64>) -> Result<Vec<f64>> {
    let n = group.order();
    check_square(n, m)?;
    let mut f = vec![0.0; n];
    for b in 0..n {
        for a in 0..n {
            f[group.left_div_idx(a, b)] += m[(a, b)];
        }
    }
    let scale = 1.0 / n as f64;
    f.iter_mut().for_each(|v| *v *= scale);
    Ok(f)
}

/// `‖L_u M − M L_u‖_F` in `O(n²)`, using `(L_u M)[a,b] = M[u⁻¹·a, b]` and
/// `(M L_u)[a,b] = M[a, u·b]` (element indices acted on by the group product).
fn commutator_norm<G: FiniteGroup + ?Sized>(group: &G, m: &DMatrix<f64>, u: usize) -> f64 {
    let n = group.order();
    let u_inv = group.inv_idx(u);
    let rows: Vec<usize> = (0..n).map(|a| group.mul_idx(u_inv, a)).collect();
    let mut sum = 0.0;
    for b in 0..n {
        let ub = group.mul_idx(u, b);
        for (a, &ra) in rows.iter().enumerate() {
            let d = m[(ra, b)] - m[(a, ub)];
            sum += d * d;
        }
    }
    sum.sqrt()
}

impl<G: FiniteGroup> GroupMatrix<G> {
    /// The Frobenius-orthogonal projection `P(M) = (1/n) Σ_u L_u M L_u⁻¹` of an `n × n`
    /// matrix onto GMs, as a GM (dense kernel).
    ///
    /// `(L_u M L_u⁻¹)[a,b] = M[u⁻¹a, u⁻¹b]` runs, over `u`, through the group diagonal
    /// `{(c,d): g_c⁻¹g_d = g_a⁻¹g_b}` once each, so `P(M) = M_f` with `f(g)` the mean of `M`
    /// on the diagonal of `g`: `O(n²)` instead of `O(n⁴)`.
    ///
    /// # Errors
    /// [`Error::ShapeMismatch`] when `m` is not `n × n`.
    ///
    /// # Example
    /// ```
    /// use gm_algebra::group::Cyclic;
    /// use gm_algebra::matrix::GroupMatrix;
    /// use nalgebra::DMatrix;
    /// let z3 = Cyclic::new(3).unwrap();
    /// // on Z_3, g_a⁻¹g_b = b − a: the diagonals are the wrapped diagonals
    /// let m = DMatrix::from_row_slice(3, 3, &[1.0, 2.0, 0.0, 0.0, 1.0, 2.0, 5.0, 0.0, 1.0]);
    /// let p = GroupMatrix::project(z3, &m).unwrap();
    /// let f = p.kernel().to_vec();
    /// assert!((f[0] - 1.0).abs() < 1e-15 && (f[1] - 3.0).abs() < 1e-15 && f[2] == 0.0);
    /// ```
    pub fn project(group: G, m: &DMatrix<f64>) -> Result<Self> {
        let f = diagonal_means(&group, m)?;
        let kernel = Kernel::dense(group.order(), f)?;
        Self::new(group, kernel)
    }

    /// The GM equal to a matrix that commutes with the left-regular action: `f(g_b) = M[0,b]`
    /// (the converse of `L_u M_f = M_f L_u`, checked on the generators).
    ///
    /// # Errors
    /// [`Error::ShapeMismatch`] when `m` is not `n × n`; [`Error::NotEquivariant`] when
    /// [`commutes_with_generators`] fails with relative tolerance `tol`.
    pub fn from_commuting(group: G, m: &DMatrix<f64>, tol: f64) -> Result<Self> {
        if !commutes_with_generators(&group, m, tol)? {
            return Err(Error::NotEquivariant {
                reason: format!(
                    "matrix does not commute with L_s for every generator s of {} (relative tolerance {tol:e})",
                    group.name()
                ),
            });
        }
        let f = m.row(0).iter().copied().collect();
        Self::dense(group, f)
    }
}

/// The Frobenius distance `‖M − P(M)‖_F` from `M` to the space of GMs (`P` the orthogonal
/// projection of [`GroupMatrix::project`]); `O(n²)`.
///
/// # Errors
/// [`Error::ShapeMismatch`] when `m` is not `n × n`.
pub fn distance_to_gm<G: FiniteGroup + ?Sized>(group: &G, m: &DMatrix<f64>) -> Result<f64> {
    let f = diagonal_means(group, m)?;
    let n = group.order();
    let mut sum = 0.0;
    for b in 0..n {
        for a in 0..n {
            let d = m[(a, b)] - f[group.left_div_idx(a, b)];
            sum += d * d;
        }
    }
    Ok(sum.sqrt())
}

/// The relative equivariance error `max_u ‖L_u M − M L_u‖_F / ‖M‖_F` over all `u ∈ G`
/// (0 for the zero matrix).
///
/// It is 0 exactly for GMs, is invariant under scaling `M`, and since `L_u` is orthogonal,
/// `‖L_u M − M L_u‖_F = ‖L_u M L_u⁻¹ − M‖_F` measures how far `M` moves under conjugation by
/// `u`; it is at most `2`. Cost `O(n³)` (`O(n²)` per `u`).
///
/// # Errors
/// [`Error::ShapeMismatch`] when `m` is not `n × n`.
pub fn equivariance_error<G: FiniteGroup + ?Sized>(group: &G, m: &DMatrix<f64>) -> Result<f64> {
    check_square(group.order(), m)?;
    let norm = m.norm();
    if norm == 0.0 {
        return Ok(0.0);
    }
    let worst = (0..group.order())
        .map(|u| commutator_norm(group, m, u))
        .fold(0.0, f64::max);
    Ok(worst / norm)
}

/// The left-regular permutation matrix `L_u`: `L_u[a,b] = 1` iff `g_a = u·g_b`
/// (so `(L_u x)(g) = x(u⁻¹g)` and `L_u L_v = L_{uv}`).
///
/// # Errors
/// [`Error::IndexOutOfRange`] when `u ≥ n`.
///
/// # Example
/// ```
/// use gm_algebra::group::Cyclic;
/// use gm_algebra::matrix::left_regular;
/// let z3 = Cyclic::new(3).unwrap();
/// let l = left_regular(&z3, 1).unwrap();
/// assert_eq!(l[(1, 0)], 1.0); // g_1 = r · g_0
/// assert_eq!(l.sum(), 3.0);
/// ```
pub fn left_regular<G: FiniteGroup + ?Sized>(group: &G, u: usize) -> Result<DMatrix<f64>> {
    let n = group.order();
    if u >= n {
        return Err(Error::IndexOutOfRange { index: u, order: n });
    }
    let mut l = DMatrix::zeros(n, n);
    for b in 0..n {
        l[(group.mul_idx(u, b), b)] = 1.0;
    }
    Ok(l)
}

/// Whether `‖L_s M − M L_s‖_F ≤ tol · ‖M‖_F` for every generator `s` of the group.
/// Commuting with the generators is commuting with every `L_u` (as `u ↦ L_u` is a
/// homomorphism), i.e. being a GM.
///
/// # Errors
/// [`Error::ShapeMismatch`] when `m` is not `n × n`.
pub fn commutes_with_generators<G: FiniteGroup + ?Sized>(
    group: &G,
    m: &DMatrix<f64>,
    tol: f64,
) -> Result<bool> {
    check_square(group.order(), m)?;
    let bound = tol * m.norm();
    Ok(group
        .generator_indices()
        .into_iter()
        .all(|s| commutator_norm(group, m, s) <= bound))
}
