//! Krylov matrices and the Krylov reconstruction of a matrix from its displacement
//! generators — the dense reference every fast product is tested against.
//!
//! Two forms are used (the choice per family is stated in its docs):
//! - **Pan form** (Sylvester): telescoping `Σ_{k<N} A^k (AM − MB) B^{N−1−k} = A^N M − M B^N`
//!   gives, for `∇_{A,B}(M) = G Hᵀ`,
//!   `A^N M − M B^N = Σ_i K(A, g_i) J K(Bᵀ, h_i)ᵀ` ([`reversed_krylov_sum`]), where
//!   `K(A, v) = [v, Av, …, A^{N−1}v]` and `J` reverses the order of the `N` columns. When
//!   `A^N` or `B^N` is a scalar (the shifts `Z_f`) this solves for `M`.
//! - **Thomas et al. form** (Stein): `M = Σ_i K(A, g_i) K(Bᵀ, h_i)ᵀ` ([`krylov_sum`]) is the
//!   parametrisation of the LDR-SD/TD layers; telescoping gives
//!   `Δ_{A,B}(M) = M − AMB = GHᵀ − A^N G Hᵀ B^N`.

use super::Operator;
use crate::{Error, Result};
use nalgebra::{DMatrix, DVector};

/// The Krylov matrix `K(A, v) = [v, Av, …, A^{k−1}v]` with `k = cols` columns.
///
/// # Panics
/// If `v.len() != a.dim()`.
///
/// # Example
/// ```
/// use gm_algebra::displacement::{krylov_matrix, Operator};
/// let z = Operator::shift(3, 1.0).unwrap();
/// let k = krylov_matrix(&z, &[1.0, 2.0, 3.0], 3);
/// assert_eq!(k[(0, 1)], 3.0); // K(Z₁, v) is the circulant with first column v
/// ```
pub fn krylov_matrix(a: &Operator, v: &[f64], cols: usize) -> DMatrix<f64> {
    let mut k = DMatrix::zeros(a.dim(), cols);
    let mut x = v.to_vec();
    for j in 0..cols {
        if j > 0 {
            x = a.apply(&x);
        }
        k.set_column(j, &DVector::from_column_slice(&x));
    }
    k
}

/// Checks `G` is `dim(A) × r` and `H` is `dim(B) × r`.
pub(super) fn check_generators(
    rows: usize,
    cols: usize,
    g: &DMatrix<f64>,
    h: &DMatrix<f64>,
) -> Result<()> {
    if g.ncols() != h.ncols() {
        return Err(Error::InvalidGenerators {
            reason: format!("G has {} columns but H has {}", g.ncols(), h.ncols()),
        });
    }
    for (what, expected, got) in [
        ("rows of G", rows, g.nrows()),
        ("rows of H", cols, h.nrows()),
    ] {
        if got != expected {
            return Err(Error::ShapeMismatch {
                what: what.into(),
                expected,
                got,
            });
        }
    }
    Ok(())
}

/// `Σ_i K(A, g_i) P K(Bᵀ, h_i)ᵀ` with `N = dim(B)` Krylov columns.
fn krylov_products(
    a: &Operator,
    b: &Operator,
    g: &DMatrix<f64>,
    h: &DMatrix<f64>,
    reverse: bool,
) -> Result<DMatrix<f64>> {
    check_generators(a.dim(), b.dim(), g, h)?;
    let n = b.dim();
    let bt = Operator::dense(b.to_dense().transpose())?;
    let mut m = DMatrix::zeros(a.dim(), n);
    for (gi, hi) in g.column_iter().zip(h.column_iter()) {
        let ka = krylov_matrix(a, gi.as_slice(), n);
        let mut kb = krylov_matrix(&bt, hi.as_slice(), n);
        if reverse {
            kb = DMatrix::from_fn(n, n, |r, c| kb[(r, n - 1 - c)]);
        }
        m += ka * kb.transpose();
    }
    Ok(m)
}

/// The Thomas et al. Krylov form `Σ_i K(A, g_i) K(Bᵀ, h_i)ᵀ` (`N = dim(B)` columns), dense.
///
/// # Errors
/// [`Error::InvalidGenerators`] when `G` and `H` have different numbers of columns;
/// [`Error::ShapeMismatch`] when `G` is not `dim(A) × r` or `H` not `dim(B) × r`.
pub fn krylov_sum(
    a: &Operator,
    b: &Operator,
    g: &DMatrix<f64>,
    h: &DMatrix<f64>,
) -> Result<DMatrix<f64>> {
    krylov_products(a, b, g, h, false)
}

/// The Pan form `Σ_i K(A, g_i) J K(Bᵀ, h_i)ᵀ` (`N = dim(B)` columns), which equals
/// `A^N M − M B^N` for any `M` with `∇_{A,B}(M) = G Hᵀ`.
///
/// # Errors
/// As [`krylov_sum`].
pub fn reversed_krylov_sum(
    a: &Operator,
    b: &Operator,
    g: &DMatrix<f64>,
    h: &DMatrix<f64>,
) -> Result<DMatrix<f64>> {
    krylov_products(a, b, g, h, true)
}

/// `Σ_i K(A, g_i) K(Bᵀ, h_i)ᵀ x` matrix-free by Horner's rule (`N = dim(B)` Krylov
/// columns), sharing the operator applications between the `r` generators:
/// `s_{i,k} = h_iᵀ (B^k x)` from one sweep `z ← Bz`, then
/// `y = Σ_k A^k (Σ_i s_{i,k} g_i)` from one Horner sweep `y ← Ay + Σ_i s_{i,k} g_i`.
/// `O(N · (nnz(A) + nnz(B)) + r·N·n)` time — `O(r n²)` for banded operators — and
/// `O(r n)` extra memory.
///
/// # Panics
/// If a length does not match the operators.
pub fn krylov_sum_apply(
    a: &Operator,
    b: &Operator,
    g: &DMatrix<f64>,
    h: &DMatrix<f64>,
    x: &[f64],
) -> Vec<f64> {
    let (m, n, r) = (a.dim(), b.dim(), g.ncols());
    super::check_len("Krylov generators G", m, g.nrows());
    super::check_len("Krylov generators H", n, h.nrows());
    super::check_len("Krylov input", n, x.len());
    // s[k·r + i] = h_iᵀ B^k x.
    let mut s = vec![0.0; n * r];
    let (mut z, mut tmp) = (x.to_vec(), vec![0.0; n]);
    for k in 0..n {
        if k > 0 {
            b.apply_into(&z, &mut tmp);
            std::mem::swap(&mut z, &mut tmp);
        }
        for (i, hi) in h.column_iter().enumerate() {
            s[k * r + i] = hi.iter().zip(&z).map(|(h, z)| h * z).sum();
        }
    }
    let (mut y, mut tmp) = (vec![0.0; m], vec![0.0; m]);
    for k in (0..n).rev() {
        if k + 1 < n {
            a.apply_into(&y, &mut tmp);
            std::mem::swap(&mut y, &mut tmp);
        }
        for (i, gi) in g.column_iter().enumerate() {
            let c = s[k * r + i];
            y.iter_mut().zip(gi.iter()).for_each(|(y, g)| *y += c * g);
        }
    }
    y
}
