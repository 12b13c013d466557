//! Displacement operators: the Sylvester map `∇_{A,B}(M) = AM − MB`, the Stein map
//! `Δ_{A,B}(M) = M − AMB`, structured operator matrices, and the numerical rank that turns a
//! displacement into a displacement rank.

use crate::{Error, Result};
use nalgebra::DMatrix;

/// A square operator matrix of a displacement map, stored by its structure so that applying
/// it costs `O(nnz)`.
///
/// # Example
/// ```
/// use gm_algebra::displacement::Operator;
/// let z = Operator::shift(3, -1.0).unwrap();
/// // Z_f e_i = e_{i+1}, Z_f e_{n−1} = f e_0.
/// assert_eq!(z.apply(&[1.0, 2.0, 3.0]), vec![-3.0, 1.0, 2.0]);
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Operator(Repr);

#[derive(Debug, Clone, PartialEq)]
enum Repr {
    Dense(DMatrix<f64>),
    Diagonal(Vec<f64>),
    /// `A e_i = w_i e_{i+1}` for `i < n−1` and `A e_{n−1} = w_{n−1} e_0` (the corner).
    Subdiagonal(Vec<f64>),
    Tridiagonal {
        sub: Vec<f64>,
        diag: Vec<f64>,
        sup: Vec<f64>,
    },
}

fn empty_operator() -> Error {
    Error::InvalidParameter {
        family: "displacement operator".into(),
        reason: "the operator must have dimension at least 1".into(),
    }
}

impl Operator {
    /// A dense square operator.
    ///
    /// # Errors
    /// [`Error::ShapeMismatch`] when `a` is not square; [`Error::InvalidParameter`] when it
    /// is empty.
    pub fn dense(a: DMatrix<f64>) -> Result<Self> {
        if a.nrows() != a.ncols() {
            return Err(Error::ShapeMismatch {
                what: "operator columns (an operator must be square)".into(),
                expected: a.nrows(),
                got: a.ncols(),
            });
        }
        if a.nrows() == 0 {
            return Err(empty_operator());
        }
        Ok(Self(Repr::Dense(a)))
    }

    /// The diagonal operator `diag(d)`.
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] when `d` is empty.
    pub fn diagonal(d: Vec<f64>) -> Result<Self> {
        if d.is_empty() {
            return Err(empty_operator());
        }
        Ok(Self(Repr::Diagonal(d)))
    }

    /// The zero operator of dimension `n`.
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] when `n == 0`.
    pub fn zero(n: usize) -> Result<Self> {
        Self::diagonal(vec![0.0; n])
    }

    /// The subdiagonal-plus-corner operator of LDR-SD: `A e_i = w_i e_{i+1}` for `i < n−1`
    /// and `A e_{n−1} = w_{n−1} e_0`. Its `n`-th power is `(∏ w_i)·I`.
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] when `w` is empty.
    pub fn subdiagonal(w: Vec<f64>) -> Result<Self> {
        if w.is_empty() {
            return Err(empty_operator());
        }
        Ok(Self(Repr::Subdiagonal(w)))
    }

    /// The unit-`f`-circulant shift `Z_f` of dimension `n`: `Z_f e_i = e_{i+1}`,
    /// `Z_f e_{n−1} = f e_0`.
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] when `n == 0`.
    pub fn shift(n: usize, f: f64) -> Result<Self> {
        let mut w = vec![1.0; n];
        if let Some(last) = w.last_mut() {
            *last = f;
        }
        Self::subdiagonal(w)
    }

    /// The tridiagonal operator with subdiagonal `sub` (`n−1`), diagonal `diag` (`n`) and
    /// superdiagonal `sup` (`n−1`).
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] when `diag` is empty; [`Error::ShapeMismatch`] when `sub`
    /// or `sup` does not have `n − 1` entries.
    pub fn tridiagonal(sub: Vec<f64>, diag: Vec<f64>, sup: Vec<f64>) -> Result<Self> {
        let n = diag.len();
        if n == 0 {
            return Err(empty_operator());
        }
        for (what, got) in [
            ("tridiagonal subdiagonal", sub.len()),
            ("tridiagonal superdiagonal", sup.len()),
        ] {
            if got != n - 1 {
                return Err(Error::ShapeMismatch {
                    what: what.into(),
                    expected: n - 1,
                    got,
                });
            }
        }
        Ok(Self(Repr::Tridiagonal { sub, diag, sup }))
    }

    /// The dimension `n` of the (square) operator.
    pub fn dim(&self) -> usize {
        match &self.0 {
            Repr::Dense(a) => a.nrows(),
            Repr::Diagonal(d) => d.len(),
            Repr::Subdiagonal(w) => w.len(),
            Repr::Tridiagonal { diag, .. } => diag.len(),
        }
    }

    /// `A x` in `O(nnz)`.
    ///
    /// # Panics
    /// If `x.len() != self.dim()`.
    pub fn apply(&self, x: &[f64]) -> Vec<f64> {
        let mut y = vec![0.0; self.dim()];
        self.apply_into(x, &mut y);
        y
    }

    /// `y = A x` in `O(nnz)` without allocating.
    ///
    /// # Panics
    /// If `x.len()` or `y.len()` differs from `self.dim()`.
    pub fn apply_into(&self, x: &[f64], y: &mut [f64]) {
        let n = self.dim();
        super::check_len("operator input", n, x.len());
        super::check_len("operator output", n, y.len());
        match &self.0 {
            Repr::Dense(a) => {
                for (i, yi) in y.iter_mut().enumerate() {
                    *yi = a.row(i).iter().zip(x).map(|(a, x)| a * x).sum();
                }
            }
            Repr::Diagonal(d) => {
                for ((y, d), x) in y.iter_mut().zip(d).zip(x) {
                    *y = d * x;
                }
            }
            Repr::Subdiagonal(w) => {
                y[0] = w[n - 1] * x[n - 1];
                for i in 1..n {
                    y[i] = w[i - 1] * x[i - 1];
                }
            }
            Repr::Tridiagonal { sub, diag, sup } => {
                for i in 0..n {
                    y[i] = diag[i] * x[i];
                }
                for i in 1..n {
                    y[i] += sub[i - 1] * x[i - 1];
                    y[i - 1] += sup[i - 1] * x[i];
                }
            }
        }
    }

    /// The dense matrix of the operator.
    pub fn to_dense(&self) -> DMatrix<f64> {
        let n = self.dim();
        match &self.0 {
            Repr::Dense(a) => a.clone(),
            _ => {
                let mut a = DMatrix::zeros(n, n);
                let mut e = vec![0.0; n];
                for j in 0..n {
                    e[j] = 1.0;
                    a.set_column(j, &nalgebra::DVector::from_vec(self.apply(&e)));
                    e[j] = 0.0;
                }
                a
            }
        }
    }

    /// The subdiagonal weights `w` (last entry = corner) when this is a subdiagonal operator.
    pub fn subdiagonal_weights(&self) -> Option<&[f64]> {
        match &self.0 {
            Repr::Subdiagonal(w) => Some(w),
            _ => None,
        }
    }

    /// A cheap upper bound of the spectral norm: `√(‖A‖₁ ‖A‖_∞)` (exact for diagonal and
    /// subdiagonal operators), in `O(nnz)`.
    pub fn norm_bound(&self) -> f64 {
        let max_abs = |v: &[f64]| v.iter().fold(0.0f64, |m, x| m.max(x.abs()));
        match &self.0 {
            Repr::Dense(a) => norm_bound(a),
            Repr::Diagonal(w) | Repr::Subdiagonal(w) => max_abs(w),
            Repr::Tridiagonal { sub, diag, sup } => {
                let n = diag.len();
                let at = |v: &[f64], i: usize| v.get(i).map_or(0.0, |x| x.abs());
                let below = |v: &[f64], i: usize| if i == 0 { 0.0 } else { at(v, i - 1) };
                // Column j holds sup[j−1], diag[j], sub[j]; row i holds sub[i−1], diag[i], sup[i].
                let col = (0..n)
                    .map(|j| below(sup, j) + diag[j].abs() + at(sub, j))
                    .fold(0.0, f64::max);
                let row = (0..n)
                    .map(|i| below(sub, i) + diag[i].abs() + at(sup, i))
                    .fold(0.0, f64::max);
                (col * row).sqrt()
            }
        }
    }
}

/// `√(‖A‖₁ ‖A‖_∞) ≥ ‖A‖₂` (max column sum times max row sum).
fn norm_bound(a: &DMatrix<f64>) -> f64 {
    let col = a.column_iter().map(|c| c.abs().sum()).fold(0.0, f64::max);
    let row = a.row_iter().map(|r| r.abs().sum()).fold(0.0, f64::max);
    (col * row).sqrt()
}

/// Checks `a` is `rows × rows` (`what` names the operand).
fn check_operator(what: &str, a: &DMatrix<f64>, rows: usize) -> Result<()> {
    for got in [a.nrows(), a.ncols()] {
        if got != rows {
            return Err(Error::ShapeMismatch {
                what: what.into(),
                expected: rows,
                got,
            });
        }
    }
    Ok(())
}

/// The Sylvester displacement `∇_{A,B}(M) = AM − MB` of an `m × n` matrix, with `A` of size
/// `m × m` and `B` of size `n × n`.
///
/// # Errors
/// [`Error::ShapeMismatch`] when `A` or `B` has the wrong size.
///
/// # Example
/// ```
/// use gm_algebra::displacement::{sylvester, Operator};
/// use nalgebra::DMatrix;
/// let z1 = Operator::shift(4, 1.0).unwrap().to_dense();
/// let c = DMatrix::from_fn(4, 4, |i, j| [1.0, 2.0, 3.0, 4.0][(4 + i - j) % 4]);
/// // Circulants commute with Z₁.
/// assert!(sylvester(&z1, &c, &z1).unwrap().norm() < 1e-12);
/// ```
pub fn sylvester(a: &DMatrix<f64>, m: &DMatrix<f64>, b: &DMatrix<f64>) -> Result<DMatrix<f64>> {
    check_operator("left operator A", a, m.nrows())?;
    check_operator("right operator B", b, m.ncols())?;
    Ok(a * m - m * b)
}

/// The Stein displacement `Δ_{A,B}(M) = M − AMB` of an `m × n` matrix, with `A` of size
/// `m × m` and `B` of size `n × n`.
///
/// # Errors
/// [`Error::ShapeMismatch`] when `A` or `B` has the wrong size.
pub fn stein(a: &DMatrix<f64>, m: &DMatrix<f64>, b: &DMatrix<f64>) -> Result<DMatrix<f64>> {
    check_operator("left operator A", a, m.nrows())?;
    check_operator("right operator B", b, m.ncols())?;
    Ok(m - a * m * b)
}

/// The default rank tolerance of a matrix `X` of size `m × n`: `max(m, n) · ε · σ_max(X)`
/// (the LAPACK/NumPy `matrix_rank` convention: singular values below it are rounding noise
/// of an SVD of `X`).
pub fn rank_tolerance(x: &DMatrix<f64>) -> f64 {
    let s = x.singular_values();
    x.nrows().max(x.ncols()) as f64 * f64::EPSILON * s.max()
}

/// The number of singular values of `x` strictly above `tol`.
pub fn numerical_rank_with(x: &DMatrix<f64>, tol: f64) -> usize {
    if x.is_empty() {
        return 0;
    }
    x.singular_values().iter().filter(|&&s| s > tol).count()
}

/// The numerical rank of `x` with the default tolerance [`rank_tolerance`].
///
/// # Example
/// ```
/// use gm_algebra::displacement::numerical_rank;
/// use nalgebra::DMatrix;
/// let u = DMatrix::from_fn(5, 1, |i, _| i as f64 + 1.0);
/// assert_eq!(numerical_rank(&(&u * u.transpose())), 1);
/// ```
pub fn numerical_rank(x: &DMatrix<f64>) -> usize {
    if x.is_empty() {
        return 0;
    }
    numerical_rank_with(x, rank_tolerance(x))
}

/// Which displacement map a [`Displacement`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DisplacementKind {
    /// `∇_{A,B}(M) = AM − MB`.
    Sylvester,
    /// `Δ_{A,B}(M) = M − AMB`.
    Stein,
}

/// A displacement map (Sylvester or Stein) with its two operators.
///
/// # Example
/// ```
/// use gm_algebra::displacement::{Displacement, Operator};
/// use nalgebra::DMatrix;
/// let n = 6;
/// let d = Displacement::sylvester(Operator::shift(n, 1.0).unwrap(), Operator::shift(n, -1.0).unwrap());
/// let t = DMatrix::from_fn(n, n, |i, j| (i as f64 - j as f64).cos());
/// // Toeplitz matrices have ∇_{Z₁,Z₋₁}-rank at most 2.
/// assert!(d.rank(&t).unwrap() <= 2);
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Displacement {
    kind: DisplacementKind,
    a: Operator,
    b: Operator,
}

impl Displacement {
    /// The Sylvester map `∇_{A,B}`.
    pub fn sylvester(a: Operator, b: Operator) -> Self {
        Self {
            kind: DisplacementKind::Sylvester,
            a,
            b,
        }
    }

    /// The Stein map `Δ_{A,B}`.
    pub fn stein(a: Operator, b: Operator) -> Self {
        Self {
            kind: DisplacementKind::Stein,
            a,
            b,
        }
    }

    /// Sylvester or Stein.
    pub fn kind(&self) -> DisplacementKind {
        self.kind
    }

    /// The left operator `A`.
    pub fn a(&self) -> &Operator {
        &self.a
    }

    /// The right operator `B`.
    pub fn b(&self) -> &Operator {
        &self.b
    }

    /// The displacement of `m` (dense, `O(mn(m+n))`).
    ///
    /// # Errors
    /// [`Error::ShapeMismatch`] when `m` is not `dim(A) × dim(B)`.
    pub fn apply(&self, m: &DMatrix<f64>) -> Result<DMatrix<f64>> {
        let (a, b) = (self.a.to_dense(), self.b.to_dense());
        match self.kind {
            DisplacementKind::Sylvester => sylvester(&a, m, &b),
            DisplacementKind::Stein => stein(&a, m, &b),
        }
    }

    /// The rounding-noise level of [`Displacement::apply`] on `m`, used as the rank
    /// tolerance: `max(m,n) · ε · s`, where `s` bounds the norms of the terms that were
    /// subtracted — `‖A‖‖M‖ + ‖M‖‖B‖` (Sylvester) or `‖M‖ + ‖A‖‖M‖‖B‖` (Stein), with
    /// `‖M‖_F` for `‖M‖₂` and `√(‖·‖₁‖·‖_∞)` for the operators. A displacement computed in
    /// floating point is exact only up to this level, so the size of the result itself
    /// (the default [`rank_tolerance`]) would count cancellation noise as rank.
    pub fn tolerance(&self, m: &DMatrix<f64>) -> f64 {
        let (na, nm, nb) = (self.a.norm_bound(), m.norm(), self.b.norm_bound());
        let scale = match self.kind {
            DisplacementKind::Sylvester => na * nm + nm * nb,
            DisplacementKind::Stein => nm + na * nm * nb,
        };
        m.nrows().max(m.ncols()) as f64 * f64::EPSILON * scale
    }

    /// The (LDR) displacement rank of `m`: the number of singular values of the displacement above
    /// [`Displacement::tolerance`].
    ///
    /// # Errors
    /// [`Error::ShapeMismatch`] when `m` is not `dim(A) × dim(B)`.
    pub fn rank(&self, m: &DMatrix<f64>) -> Result<usize> {
        let d = self.apply(m)?;
        Ok(numerical_rank_with(&d, self.tolerance(m)))
    }
}
