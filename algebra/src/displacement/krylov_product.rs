//! The Krylov-product parametrisation of the LDR layers of Thomas, Gu, Dao, Rudra & Ré,
//! "Learning Compressed Transforms with Low Displacement Rank" (NeurIPS 2018): a matrix is
//! stored as the generators and operators of `M = Σ_i K(A, g_i) K(B, h_i)ᵀ`, as their layers
//! store it, rather than in the Pan form of [`super::ToeplitzLike`] and its siblings.

use super::{Displacement, LdrMatrix, LdrTd, Operator};
use crate::{Error, Result};
use nalgebra::DMatrix;

/// `M = P Σ_i K(A, g_i) K(B, h_i)ᵀ` with `N = n` Krylov columns, `P` the identity or the
/// row reversal `J` — the map of the LDR layers of Thomas et al. (2018) for the same
/// parameters.
///
/// Note the convention: `B` enters through `K(B, h)`, so in the algebra's Thomas et al. form
/// ([`super::krylov_sum`], [`LdrTd`]) this is `krylov_sum(A, Bᵀ, G, H)`. Telescoping gives the
/// Stein displacement `Δ_{A,Bᵀ}(Σ_i K(A, g_i) K(B, h_i)ᵀ) = G Hᵀ − Aⁿ G Hᵀ (Bⁿ)ᵀ`, of rank
/// `≤ r` when `Aⁿ` or `Bⁿ` vanishes or both are multiples of `I`, else `≤ 2r`; with the
/// reversal, `Δ_{JAJ,Bᵀ}(J M₀) = J Δ_{A,Bᵀ}(M₀)` has the same rank.
///
/// | constructor | `A` | `B` | `P` | bound |
/// |---|---|---|---|---|
/// | [`KrylovProduct::toeplitz_like`] | `Z₀` | `Z₀` | `I` | `r` |
/// | [`KrylovProduct::toeplitz_like_corner`] | `Z₁` | `Z₋₁` | `I` | `r` |
/// | [`KrylovProduct::hankel_like`] | `Z₁` | `Z₋₁` | `J` | `r` |
/// | [`KrylovProduct::vandermonde_like`] | `diag(d)` | `Z₀` | `I` | `r` |
/// | [`KrylovProduct::ldr_sd`] | subdiagonal | subdiagonal | `I` | `r` |
/// | [`KrylovProduct::ldr_td`] | tridiagonal | tridiagonal | `I` | `2r` |
///
/// Relations to the Pan-form families (proved in `docs/theory/displacement.md`, §3b): the
/// corner Toeplitz-like matrix is [`super::ToeplitzLike`] with generators `(−2G, Z₋₁ᵀH)`,
/// the Hankel-like one is [`super::HankelLike`] with `(2JZ₁ᵀG, H)`; the corner-free
/// Toeplitz-like one has `∇_{Z₁,Z₋₁}`-rank `≤ r + 2` and the Vandermonde-like one
/// `∇_{D_d,Z_f}`-rank `≤ r + 1`.
///
/// # Example
/// ```
/// use gm_algebra::displacement::{KrylovProduct, LdrMatrix};
/// use nalgebra::DMatrix;
/// // K(Z₀, e₀) = I, so (col, e₀) and (e₀, row) give a Toeplitz matrix.
/// let g = DMatrix::from_column_slice(3, 2, &[1.0, 2.0, 3.0, 1.0, 0.0, 0.0]);
/// let h = DMatrix::from_column_slice(3, 2, &[1.0, 0.0, 0.0, 0.0, 4.0, 5.0]);
/// let t = KrylovProduct::toeplitz_like(g, h).unwrap().to_dense();
/// assert_eq!((t[(2, 0)], t[(0, 2)], t[(1, 1)]), (3.0, 5.0, 1.0));
/// ```
#[derive(Debug, Clone)]
pub struct KrylovProduct {
    /// `Σ_i K(A, g_i) K(B, h_i)ᵀ = krylov_sum(A, Bᵀ, G, H)`.
    product: LdrTd,
    /// The left operator of the displacement: `A`, or `JAJ` when the rows are reversed.
    displacement_left: Operator,
    reverse_rows: bool,
    bound: usize,
}

/// How the constructors bound the displacement rank: `Aⁿ G Hᵀ (Bⁿ)ᵀ` vanishes or is a
/// multiple of `GHᵀ` (rank `r`), or is arbitrary (rank `2r`).
#[derive(Clone, Copy)]
enum PowerTerm {
    Proportional,
    Arbitrary,
}

/// The reversal `J X J` of a square matrix.
fn reflect(x: &DMatrix<f64>) -> DMatrix<f64> {
    let n = x.nrows();
    DMatrix::from_fn(n, n, |i, j| x[(n - 1 - i, n - 1 - j)])
}

/// `Z₀ᵀ` (the up-shift) of dimension `n`, as a tridiagonal operator.
fn up_shift(n: usize) -> Result<Operator> {
    let n1 = n.saturating_sub(1);
    Operator::tridiagonal(vec![0.0; n1], vec![0.0; n], vec![1.0; n1])
}

/// Checks a subdiagonal or superdiagonal of an `n × n` operator has `n − 1` entries.
fn check_band(what: &str, n: usize, len: usize) -> Result<()> {
    if len + 1 != n {
        return Err(Error::ShapeMismatch {
            what: what.into(),
            expected: n.saturating_sub(1),
            got: len,
        });
    }
    Ok(())
}

impl KrylovProduct {
    /// `Σ_i K(A, g_i) K(B, h_i)ᵀ` (rows reversed when `reverse_rows`) for operators `a`, `bt`
    /// where `bt = Bᵀ`.
    fn build(
        a: Operator,
        bt: Operator,
        g: DMatrix<f64>,
        h: DMatrix<f64>,
        reverse_rows: bool,
        power: PowerTerm,
    ) -> Result<Self> {
        let displacement_left = if reverse_rows {
            Operator::dense(reflect(&a.to_dense()))?
        } else {
            a.clone()
        };
        let r = g.ncols();
        let product = LdrTd::new(a, bt, g, h)?;
        let bound = match power {
            PowerTerm::Proportional => r,
            PowerTerm::Arbitrary => 2 * r,
        };
        Ok(Self {
            product,
            displacement_left,
            reverse_rows,
            bound,
        })
    }

    /// The generic form `Σ_i K(A, g_i) K(B, h_i)ᵀ` for any square operators `A`, `B` of the
    /// same dimension `n` and generators `G`, `H` (`n × r`); bound `2r`.
    ///
    /// # Errors
    /// [`Error::ShapeMismatch`] when the operators, `G` or `H` disagree on `n`;
    /// [`Error::InvalidGenerators`] when `G` and `H` have different numbers of columns.
    pub fn new(a: Operator, b: Operator, g: DMatrix<f64>, h: DMatrix<f64>) -> Result<Self> {
        let bt = Operator::dense(b.to_dense().transpose())?;
        Self::build(a, bt, g, h, false, PowerTerm::Arbitrary)
    }

    /// Toeplitz-like without corners (structured-nets' `toeplitz`):
    /// `Σ_i K(Z₀, g_i) K(Z₀, h_i)ᵀ`, a sum of `r` products of a lower- and an upper-triangular
    /// Toeplitz matrix.
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] when `n == 0`; otherwise as [`KrylovProduct::new`].
    pub fn toeplitz_like(g: DMatrix<f64>, h: DMatrix<f64>) -> Result<Self> {
        let n = g.nrows();
        Self::build(
            Operator::shift(n, 0.0)?,
            up_shift(n)?,
            g,
            h,
            false,
            PowerTerm::Proportional,
        )
    }

    /// Toeplitz-like with corners (structured-nets' `toeplitz_corner`):
    /// `Σ_i K(Z₁, g_i) K(Z₋₁, h_i)ᵀ`, a sum of `r` products of a circulant and a transposed
    /// skew-circulant.
    ///
    /// # Errors
    /// As [`KrylovProduct::toeplitz_like`].
    pub fn toeplitz_like_corner(g: DMatrix<f64>, h: DMatrix<f64>) -> Result<Self> {
        Self::corner(g, h, false)
    }

    /// Hankel-like (structured-nets' `hankel`): the corner Toeplitz-like product with its rows
    /// reversed, `J Σ_i K(Z₁, g_i) K(Z₋₁, h_i)ᵀ`.
    ///
    /// # Errors
    /// As [`KrylovProduct::toeplitz_like`].
    pub fn hankel_like(g: DMatrix<f64>, h: DMatrix<f64>) -> Result<Self> {
        Self::corner(g, h, true)
    }

    fn corner(g: DMatrix<f64>, h: DMatrix<f64>, reverse_rows: bool) -> Result<Self> {
        let n = g.nrows();
        let bt = Operator::dense(Operator::shift(n, -1.0)?.to_dense().transpose())?;
        Self::build(
            Operator::shift(n, 1.0)?,
            bt,
            g,
            h,
            reverse_rows,
            PowerTerm::Proportional,
        )
    }

    /// Vandermonde-like (structured-nets' `vandermonde`): `Σ_i K(diag(d), g_i) K(Z₀, h_i)ᵀ`,
    /// i.e. `M[j,·] = Σ_i g_i[j] Σ_k d_j^k (K(Z₀, h_i)ᵀ)[k,·]`.
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] when `d` is empty; otherwise as [`KrylovProduct::new`].
    pub fn vandermonde_like(d: Vec<f64>, g: DMatrix<f64>, h: DMatrix<f64>) -> Result<Self> {
        let n = d.len();
        Self::build(
            Operator::diagonal(d)?,
            up_shift(n)?,
            g,
            h,
            false,
            PowerTerm::Proportional,
        )
    }

    /// LDR-SD (structured-nets' `subdiagonal`, no corners): `A`, `B` zero except for the
    /// subdiagonals `sub_a`, `sub_b` (`n − 1` entries each: `A e_i = sub_a[i] e_{i+1}`).
    /// Both are nilpotent, so the displacement is exactly `G Hᵀ`.
    ///
    /// # Errors
    /// [`Error::ShapeMismatch`] when a subdiagonal does not have `n − 1` entries (`n` the rows
    /// of `G`); otherwise as [`KrylovProduct::new`].
    pub fn ldr_sd(
        sub_a: Vec<f64>,
        sub_b: Vec<f64>,
        g: DMatrix<f64>,
        h: DMatrix<f64>,
    ) -> Result<Self> {
        let n = g.nrows();
        check_band("LDR-SD subdiagonal of A", n, sub_a.len())?;
        check_band("LDR-SD subdiagonal of B", n, sub_b.len())?;
        let mut weights = sub_a;
        weights.push(0.0);
        let bt = Operator::tridiagonal(vec![0.0; n - 1], vec![0.0; n], sub_b)?;
        Self::build(
            Operator::subdiagonal(weights)?,
            bt,
            g,
            h,
            false,
            PowerTerm::Proportional,
        )
    }

    /// LDR-TD (structured-nets' `tridiagonal`, no corners): tridiagonal `A`, `B` given as
    /// `[subdiagonal, diagonal, superdiagonal]` (`n − 1`, `n`, `n − 1` entries).
    ///
    /// # Errors
    /// [`Error::ShapeMismatch`] when a band has the wrong length; otherwise as
    /// [`KrylovProduct::new`].
    pub fn ldr_td(
        a: [Vec<f64>; 3],
        b: [Vec<f64>; 3],
        g: DMatrix<f64>,
        h: DMatrix<f64>,
    ) -> Result<Self> {
        let [sub_a, diag_a, sup_a] = a;
        let [sub_b, diag_b, sup_b] = b;
        Self::build(
            Operator::tridiagonal(sub_a, diag_a, sup_a)?,
            Operator::tridiagonal(sup_b, diag_b, sub_b)?,
            g,
            h,
            false,
            PowerTerm::Arbitrary,
        )
    }

    /// Whether the rows are reversed (Hankel-like).
    pub fn reverses_rows(&self) -> bool {
        self.reverse_rows
    }
}

impl LdrMatrix for KrylovProduct {
    fn shape(&self) -> (usize, usize) {
        self.product.shape()
    }

    /// `Δ_{A,Bᵀ}`, or `Δ_{JAJ,Bᵀ}` when the rows are reversed.
    fn displacement(&self) -> Displacement {
        Displacement::stein(
            self.displacement_left.clone(),
            self.product.displacement().b().clone(),
        )
    }

    fn generators(&self) -> (&DMatrix<f64>, &DMatrix<f64>) {
        self.product.generators()
    }

    /// `r` or `2r`, per constructor (see the type's table).
    fn displacement_rank_bound(&self) -> usize {
        self.bound
    }

    fn to_dense(&self) -> DMatrix<f64> {
        let m = self.product.to_dense();
        if self.reverse_rows {
            let n = m.nrows();
            DMatrix::from_fn(n, m.ncols(), |i, j| m[(n - 1 - i, j)])
        } else {
            m
        }
    }

    /// Horner's rule ([`super::krylov_sum_apply`]), `O(r n²)` for banded operators.
    fn apply(&self, x: &[f64]) -> Vec<f64> {
        let mut y = self.product.apply(x);
        if self.reverse_rows {
            y.reverse();
        }
        y
    }
}
