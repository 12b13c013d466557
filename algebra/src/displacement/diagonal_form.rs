//! The diagonal form `M = Σ_g diag(d_g) B_g` of a matrix indexed by a group, and the
//! displacement of its stack `F(M)`.

use super::group::check_element;
use crate::shape::check_square;
use crate::{AnyGroup, FiniteGroup, Result};
use nalgebra::DMatrix;

/// The diagonal form of an `n × n` matrix `M` indexed by a group of order `n`:
/// `M = Σ_g diag(d_g) B_g` with `B_g[a,b] = [g_a⁻¹ g_b = g]` and
/// `d_g[a] = M[a, index(g_a g)]` — unique, since the supports of the `B_g` partition the
/// entries. The stack `F(M)` is the `n × n` matrix with row `g` equal to `d_g`
/// (`F[g, a] = d_g[a]`; rows = group elements, columns = positions).
///
/// `M` is a group matrix `M_f` iff every row is constant (`d_g = f(g)·1`). The map `M ↦ F`
/// is an isometry for the Frobenius norm, so the nearest GM ([`GroupMatrix::project`]) is
/// `M_f` with `f(g)` the mean of row `g`, and `dist(M, GM)` is the distance of `F` from
/// constant rows.
///
/// [`GroupMatrix::project`]: crate::matrix::GroupMatrix::project
///
/// # Example
/// ```
/// use gm_algebra::displacement::DiagonalForm;
/// use gm_algebra::group::Cyclic;
/// use nalgebra::DMatrix;
/// let z3 = Cyclic::new(3).unwrap();
/// let c = DMatrix::from_fn(3, 3, |a, b| [1.0, 2.0, 3.0][(3 + b - a) % 3]); // M_f, f = (1,2,3)
/// let d = DiagonalForm::from_matrix(z3, &c).unwrap();
/// assert!(d.is_group_matrix(1e-12));
/// assert_eq!(d.values().row(2).transpose().as_slice(), &[3.0, 3.0, 3.0]);
/// assert_eq!(d.to_matrix(), c);
/// ```
#[derive(Debug, Clone)]
pub struct DiagonalForm<G = AnyGroup> {
    group: G,
    values: DMatrix<f64>,
}

impl<G: FiniteGroup> DiagonalForm<G> {
    /// The diagonal form of `m`: `F[g, a] = M[a, index(g_a g)]`.
    ///
    /// # Errors
    /// [`crate::Error::ShapeMismatch`] when `m` is not `n × n`.
    pub fn from_matrix(group: G, m: &DMatrix<f64>) -> Result<Self> {
        let n = group.order();
        check_square(n, m)?;
        let mut values = DMatrix::zeros(n, n);
        for a in 0..n {
            for g in 0..n {
                values[(g, a)] = m[(a, group.mul_idx(a, g))];
            }
        }
        Ok(Self { group, values })
    }

    /// The diagonal form with the given stack `F` (row `g` = `d_g`).
    ///
    /// # Errors
    /// [`crate::Error::ShapeMismatch`] when `values` is not `n × n`.
    pub fn from_values(group: G, values: DMatrix<f64>) -> Result<Self> {
        check_square(group.order(), &values)?;
        Ok(Self { group, values })
    }

    /// The group.
    pub fn group(&self) -> &G {
        &self.group
    }

    /// The stack `F` (row `g` = `d_g`, column `a` = position).
    pub fn values(&self) -> &DMatrix<f64> {
        &self.values
    }

    /// The matrix `M = Σ_g diag(d_g) B_g`: `M[a,b] = d_{g_a⁻¹g_b}[a]`.
    pub fn to_matrix(&self) -> DMatrix<f64> {
        let n = self.group.order();
        DMatrix::from_fn(n, n, |a, b| self.values[(self.group.left_div_idx(a, b), a)])
    }

    /// Whether every `d_g` is constant up to `tol` (then `M = M_f` with `f(g)` the value of
    /// row `g`).
    pub fn is_group_matrix(&self, tol: f64) -> bool {
        self.values.row_iter().all(|r| r.max() - r.min() <= tol)
    }

    /// The displacement of `F` by `s`: `F − F_s`, where `F_s[g, a] = F[g, index(s⁻¹ g_a)]` is
    /// the stack of `L_s M L_s⁻¹` (conjugation shifts positions). Its Frobenius norm equals
    /// `‖∇_s(M)‖_F`, and it vanishes for every generator exactly when `M` is a GM.
    ///
    /// # Errors
    /// [`crate::Error::IndexOutOfRange`] when `s ≥ n`.
    pub fn displacement(&self, s: usize) -> Result<DMatrix<f64>> {
        let n = self.group.order();
        check_element(n, s)?;
        let s_inv = self.group.inv_idx(s);
        let src: Vec<usize> = (0..n).map(|a| self.group.mul_idx(s_inv, a)).collect();
        Ok(DMatrix::from_fn(n, n, |g, a| {
            self.values[(g, a)] - self.values[(g, src[a])]
        }))
    }

    /// The displacements for `s ∈ S` side by side (`n × |S|·n`).
    ///
    /// # Errors
    /// As [`DiagonalForm::displacement`].
    pub fn stacked_displacement(&self, generators: &[usize]) -> Result<DMatrix<f64>> {
        let n = self.group.order();
        let mut out = DMatrix::zeros(n, n * generators.len());
        for (k, &s) in generators.iter().enumerate() {
            out.view_mut((0, k * n), (n, n))
                .copy_from(&self.displacement(s)?);
        }
        Ok(out)
    }

    /// The diagonal-form displacement rank: the numerical rank of
    /// [`DiagonalForm::stacked_displacement`], the number of its singular values above
    /// `max(n, |S|n) · unit_roundoff · 2‖F‖_F`. A rank-`r` relaxation
    /// ([`super::RankRForm`]) has it `≤ r`. It is not the group displacement rank of the
    /// matrix ([`super::group_displacement_rank`]), which can be `n` for `r = 1`.
    ///
    /// `unit_roundoff` is the machine epsilon of the precision `F` was last rounded to:
    /// `f64::EPSILON` for values computed in `f64`, `f32::EPSILON as f64` for an `f32` layer
    /// export widened to `f64` — rounding to `f32` leaves noise of relative size `2⁻²⁴` in
    /// every entry, which an `f64` tolerance counts as rank.
    ///
    /// # Errors
    /// As [`DiagonalForm::displacement`]; [`crate::Error::InvalidParameter`] when
    /// `unit_roundoff` is negative or not finite.
    ///
    /// # Example
    /// ```
    /// use gm_algebra::displacement::DiagonalForm;
    /// use gm_algebra::group::Cyclic;
    /// use nalgebra::DMatrix;
    /// let z5 = Cyclic::new(5).unwrap();
    /// // F = 1·1ᵀ + u vᵀ: one position profile, so displacement rank 1.
    /// let f = DMatrix::from_fn(5, 5, |g, a| 1.0 + (g as f64 + 1.0) * (a as f64).sin());
    /// let d = DiagonalForm::from_values(z5, f).unwrap();
    /// assert_eq!(d.displacement_rank(&[1], f64::EPSILON).unwrap(), 1);
    /// ```
    pub fn displacement_rank(&self, generators: &[usize], unit_roundoff: f64) -> Result<usize> {
        if !(unit_roundoff.is_finite() && unit_roundoff >= 0.0) {
            return Err(crate::Error::InvalidParameter {
                family: "DiagonalForm::displacement_rank".into(),
                reason: format!("unit roundoff {unit_roundoff} is not a finite number ≥ 0"),
            });
        }
        let d = self.stacked_displacement(generators)?;
        let tol = d.nrows().max(d.ncols()) as f64 * unit_roundoff * 2.0 * self.values.norm();
        Ok(super::numerical_rank_with(&d, tol))
    }
}
