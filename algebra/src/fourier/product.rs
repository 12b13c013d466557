//! Irreps of a direct product `G × H`: Kronecker products of the factors' irreps.

use super::real_form::real_orthogonal_form;
use super::{FsType, Irrep, IrrepConstruction, Irreps, Representation};
use crate::group::DirectProduct;
use crate::Result;
use nalgebra::DMatrix;
use num_complex::Complex64;

/// The irreps `ρ ⊗ σ` of `G × H` (element `(a, b)` at index `a·|H| + b`), `ρ`-major:
/// `(ρ⊗σ)(a,b) = ρ(a) ⊗ σ(b)` with rows `(i,k) ↦ i·d_σ + k`. The Frobenius–Schur indicator
/// factorises, `ν(ρ⊗σ) = ν(ρ) ν(σ)`; a real-type product of two quaternionic irreps is put in
/// real orthogonal form.
///
/// # Errors
/// Those of [`real_orthogonal_form`] (not expected for valid irreps).
///
/// # Example
/// ```
/// use gm_algebra::fourier::{irreps, kronecker_irreps};
/// use gm_algebra::group::{Cyclic, Dihedral, DirectProduct};
/// let (d3, z2) = (Dihedral::new(3).unwrap(), Cyclic::new(2).unwrap());
/// let g = DirectProduct::pair(d3, z2).unwrap();
/// let irr = kronecker_irreps(&g, &irreps(&d3).unwrap(), &irreps(&z2).unwrap()).unwrap();
/// assert_eq!(irr.dims(), &[1, 1, 1, 1, 2, 2]);
/// ```
pub fn kronecker_irreps(g: &DirectProduct, left: &Irreps, right: &Irreps) -> Result<Irreps> {
    let mut out = Vec::with_capacity(left.len() * right.len());
    for rho in left.irreps() {
        for sigma in right.irreps() {
            out.push(kronecker_irrep(g, rho, sigma)?.0);
        }
    }
    Ok(Irreps::from_parts(out, IrrepConstruction::Kronecker))
}

/// `ρ ⊗ σ` with its type and, when it had to be put in real form, the unitary `V` with
/// `σ_real(g) = V* (ρ⊗σ)(g) V`.
pub(crate) fn kronecker_irrep(
    g: &DirectProduct,
    rho: &Irrep,
    sigma: &Irrep,
) -> Result<(Irrep, Option<DMatrix<Complex64>>)> {
    let (nl, nr) = (rho.rep().len(), sigma.rep().len());
    let d = rho.dim() * sigma.dim();
    let mut data = Vec::with_capacity(nl * nr * d * d);
    for a in 0..nl {
        for b in 0..nr {
            let k = rho.rep().matrix(a).kronecker(&sigma.rep().matrix(b));
            data.extend_from_slice(k.as_slice());
        }
    }
    let rep = Representation::from_flat(d, data);
    let fs = product_type(rho.fs_type(), sigma.fs_type());
    if fs == FsType::Real && !rep.is_real(0.0) {
        let (real, v) = real_orthogonal_form(g, &rep)?;
        return Ok((Irrep::new(real, fs), Some(v)));
    }
    Ok((Irrep::new(rep, fs), None))
}

/// The type of `ρ ⊗ σ`: the indicator factorises, `ν(ρ⊗σ) = ν(ρ) ν(σ)`.
pub(crate) fn product_type(a: FsType, b: FsType) -> FsType {
    FsType::from_indicator((a.indicator() * b.indicator()) as f64)
}
