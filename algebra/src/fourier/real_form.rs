//! Real orthogonal forms of irreps of real Frobenius–Schur type.

use super::Representation;
use crate::{Error, FiniteGroup, Result};
use nalgebra::{DMatrix, DVector, Schur};
use num_complex::Complex64;
use std::f64::consts::{PI, TAU};

/// A real orthogonal form of a unitary irrep `ρ` of real type: returns `(σ, V)` with `V`
/// unitary, `σ(g) = V* ρ(g) V` and every entry of `σ` real (so `σ(g)` is orthogonal).
///
/// Method: `S = Σ_g conj(ρ(g)) A ρ(g)*` intertwines `ρ` and `conj(ρ)`; by Schur it is a
/// multiple of a unitary `J` with `conj(ρ) = J ρ J⁻¹`, symmetric exactly when `ρ` is of real
/// type. With the symmetric `A = u uᵀ` the terms are `w wᵀ`, `w = conj(ρ(g)) u` (`O(n d²)`),
/// and `S ≠ 0` exactly for real type. The square root `W = J^{1/2}` (after a phase that keeps
/// the eigenvalues off the branch cut) is a function of the symmetric `J`, so it is symmetric
/// and unitary with `J = W Wᵀ`; then `V = conj(W)` works, since `conj(V) V* = W Wᵀ = J`.
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
    let u = generic_vector(d);
    // Preallocated buffers: this runs over every element of large groups (induced irreps).
    let mut s = DMatrix::<Complex64>::zeros(d, d);
    let mut w = DVector::<Complex64>::zeros(d);
    for x in 0..n {
        let m = rho.matrix(x);
        for i in 0..d {
            w[i] = (0..d).map(|j| m[(i, j)].conj() * u[j]).sum();
        }
        s.ger(Complex64::new(1.0, 0.0), &w, &w, Complex64::new(1.0, 0.0));
    }
    let v = takagi_change(s)?;
    let mut data = Vec::with_capacity(n * d * d);
    let mut worst: f64 = 0.0;
    let (mut mv, mut sigma) = (DMatrix::zeros(d, d), DMatrix::zeros(d, d));
    for x in 0..n {
        rho.matrix(x).mul_to(&v, &mut mv);
        v.ad_mul_to(&mv, &mut sigma);
        worst = worst.max(sigma.iter().map(|z| z.im.abs()).fold(0.0, f64::max));
        data.extend(sigma.iter().map(|z| Complex64::new(z.re, 0.0)));
    }
    if worst > 1e-8 {
        return Err(not_real(&format!("residual imaginary part {worst:.3e}")));
    }
    Ok((Representation::from_flat(d, data), v))
}

/// A fixed generic complex vector (moduli and phases not in arithmetic progression), so that
/// `u uᵀ` is not orthogonal to a given symmetric intertwiner.
pub(crate) fn generic_vector(d: usize) -> DVector<Complex64> {
    DVector::from_fn(d, |k, _| {
        let k = k as f64 + 1.0;
        Complex64::from_polar(1.0 + k.sqrt() / 3.0, 0.618_033_988_75 * k * k + k.ln())
    })
}

/// The error for a representation without a real form.
fn not_real(why: &str) -> Error {
    Error::InvalidRepresentation {
        reason: format!("no real orthogonal form: {why}"),
    }
}

/// From `S = Σ_g w_g w_gᵀ`, `w_g = conj(ρ(g)) u` (the average of the symmetric `u uᵀ` onto the
/// intertwiners of `ρ` and `conj ρ`, times `n`), the unitary `V` with `V* ρ V` real.
///
/// # Errors
/// [`Error::InvalidRepresentation`] if `S` vanishes (no symmetric intertwiner: complex or
/// quaternionic type).
pub(crate) fn takagi_change(s: DMatrix<Complex64>) -> Result<DMatrix<Complex64>> {
    let d = s.nrows();
    let norm = s.norm();
    let scale = s.iter().map(|z| z.norm()).sum::<f64>().max(1.0);
    if norm < 1e-9 * scale {
        return Err(not_real(
            "no symmetric intertwiner with the conjugate (complex or quaternionic type)",
        ));
    }
    let j = s * Complex64::new((d as f64).sqrt() / norm, 0.0);
    // J = Z diag(λ) Z* (complex Schur form of a normal matrix). Any phase e^{iφ}J is as good an
    // intertwiner; choose φ so that no eigenvalue is near the branch cut of the square root.
    let (z, t) = Schur::new(j).unpack();
    let mut angles: Vec<f64> = t.diagonal().iter().map(|l| l.arg()).collect();
    angles.sort_by(f64::total_cmp);
    let (mut gap, mut mid) = (
        angles[0] + TAU - angles[d - 1],
        angles[d - 1] + 0.5 * (angles[0] + TAU - angles[d - 1]),
    );
    for w in angles.windows(2) {
        if w[1] - w[0] > gap {
            gap = w[1] - w[0];
            mid = 0.5 * (w[0] + w[1]);
        }
    }
    let phase = Complex64::from_polar(1.0, PI - mid);
    let roots = DMatrix::from_diagonal(&t.diagonal().map(|l| {
        let l = l * phase;
        Complex64::from_polar(1.0, l.arg() / 2.0)
    }));
    // W = (e^{iφ}J)^{1/2} is a function of the symmetric J, hence symmetric: W Wᵀ = W² = e^{iφ}J.
    let q = &z * roots * z.adjoint();
    let w = (&q + q.transpose()).map(|x| x * 0.5);
    Ok(w.map(|z| z.conj()))
}
