//! Real orthogonal forms of irreps of real Frobenius–Schur type.

use super::Representation;
use crate::{Error, FiniteGroup, Result};
use nalgebra::{DMatrix, SymmetricEigen};
use num_complex::Complex64;

/// A real orthogonal form of a unitary irrep `ρ` of real type: returns `(σ, V)` with `V`
/// unitary, `σ(g) = V* ρ(g) V` and every entry of `σ` real (so `σ(g)` is orthogonal).
///
/// Method: `S = Σ_g conj(ρ(g)) A ρ(g)*` (random `A`) intertwines `ρ` and `conj(ρ)`; by Schur it is a
/// multiple of a unitary `J` with `conj(ρ) = J ρ J⁻¹`, symmetric exactly when `ρ` is of real
/// type. The real and imaginary parts of a symmetric unitary `J` commute, so one orthogonal
/// `O` diagonalises both: `J = O diag(e^{iθ}) Oᵀ = W Wᵀ` with `W = O diag(e^{iθ/2})`; then
/// `V = conj(W)` works, since `conj(V) V* = W Wᵀ = J`.
///
/// # Errors
/// [`Error::ShapeMismatch`] if `ρ` has not one matrix per element of `g`;
/// [`Error::InvalidRepresentation`] if `ρ` is not of real type (no symmetric intertwiner with
/// its conjugate) or the result is not real to `1e-8`.
///
/// # Example
/// ```
/// use gm_algebra::fourier::{numerical_irreps, real_orthogonal_form};
/// use gm_algebra::group::Dihedral;
/// let d5 = Dihedral::new(5).unwrap();
/// let irr = numerical_irreps(&d5).unwrap();
/// let (sigma, _v) = real_orthogonal_form(&d5, irr.get(2).rep()).unwrap();
/// assert!(sigma.is_real(0.0));
/// ```
pub fn real_orthogonal_form<G: FiniteGroup + ?Sized>(
    g: &G,
    rho: &Representation,
) -> Result<(Representation, DMatrix<Complex64>)> {
    let n = g.order();
    if rho.len() != n {
        return Err(Error::ShapeMismatch {
            what: "representation matrices".into(),
            expected: n,
            got: rho.len(),
        });
    }
    let d = rho.dim();
    let not_real = |why: &str| Error::InvalidRepresentation {
        reason: format!("no real orthogonal form: {why}"),
    };
    // A fixed, generic A: entries e^{i·k·golden} avoid accidental zeros of S.
    let a = DMatrix::<Complex64>::from_fn(d, d, |i, j| {
        Complex64::from_polar(1.0, 1.0 + 0.618_033_988_75 * (i * d + j + 1) as f64)
    });
    let mut s = DMatrix::<Complex64>::zeros(d, d);
    for x in 0..n {
        let r = rho.matrix(x);
        s += r.map(|z| z.conj()) * &a * r.adjoint();
    }
    let norm = s.norm();
    if norm < 1e-9 * n as f64 {
        return Err(not_real(
            "ρ is not equivalent to its conjugate (complex type)",
        ));
    }
    let j = s * Complex64::new((d as f64).sqrt() / norm, 0.0);
    if (&j - j.transpose()).norm() > 1e-8 * d as f64 {
        return Err(not_real(
            "the intertwiner with the conjugate is not symmetric (quaternionic type)",
        ));
    }
    let re = j.map(|z| z.re);
    let im = j.map(|z| z.im);
    let o = SymmetricEigen::new(&re + &im * std::f64::consts::FRAC_1_SQRT_2).eigenvectors;
    let oc = o.map(|x| Complex64::new(x, 0.0));
    let diag = oc.transpose() * &j * &oc;
    let w = DMatrix::<Complex64>::from_fn(d, d, |r, c| {
        oc[(r, c)] * Complex64::from_polar(1.0, diag[(c, c)].arg() / 2.0)
    });
    let v = w.map(|z| z.conj());
    let mut data = Vec::with_capacity(n * d * d);
    let mut worst: f64 = 0.0;
    for x in 0..n {
        let sigma = v.adjoint() * rho.matrix(x) * &v;
        worst = worst.max(sigma.iter().map(|z| z.im.abs()).fold(0.0, f64::max));
        data.extend(sigma.iter().map(|z| Complex64::new(z.re, 0.0)));
    }
    if worst > 1e-8 {
        return Err(not_real(&format!("residual imaginary part {worst:.3e}")));
    }
    Ok((Representation::from_flat(d, data), v))
}
