//! The dense transform: one precomputed `n×n` Fourier matrix, the fallback for any group.

use super::transform::check_buffers;
use super::{CoefficientLayout, FourierTransform, Irreps, PlanKind};
use crate::{Error, Result};
use nalgebra::{DMatrix, DVectorView, DVectorViewMut};
use num_complex::Complex64;
use std::sync::Arc;

/// Largest order for which a dense plan is built (two `n×n` complex matrices: 128 MiB).
pub const DENSE_LIMIT: usize = 2048;

/// Refuses a dense `n × n` Fourier matrix above [`DENSE_LIMIT`].
pub(super) fn check_dense_order(n: usize) -> Result<()> {
    if n > DENSE_LIMIT {
        return Err(Error::TooLarge {
            order: n,
            operation: "a dense Fourier matrix".into(),
            limit: DENSE_LIMIT,
        });
    }
    Ok(())
}

/// The transform as two matrix–vector products: `f̂ = F f` with `F[(ρ,i,j), g] = ρ(g)_{ij}`,
/// and `f = F⁻¹ f̂` with `F⁻¹ = (1/n) F* diag(d_ρ)`. `O(n²)` per call, `O(n²)` memory.
///
/// # Example
/// ```
/// use gm_algebra::fourier::{irreps, DenseFourier, FourierTransform};
/// use gm_algebra::group::Dihedral;
/// use num_complex::Complex64;
/// let plan = DenseFourier::new(irreps(&Dihedral::new(3).unwrap()).unwrap()).unwrap();
/// let f: Vec<Complex64> = (0..6).map(|k| Complex64::new(k as f64, 1.0)).collect();
/// let back = plan.inverse(&plan.forward(&f).unwrap()).unwrap();
/// assert!(f.iter().zip(&back).all(|(a, b)| (a - b).norm() < 1e-12));
/// ```
#[derive(Debug, Clone)]
pub struct DenseFourier {
    irreps: Arc<Irreps>,
    forward: DMatrix<Complex64>,
    inverse: DMatrix<Complex64>,
}

impl DenseFourier {
    /// Precomputes the Fourier matrix and its inverse.
    ///
    /// # Errors
    /// [`Error::TooLarge`] above [`DENSE_LIMIT`].
    pub fn new(irreps: Arc<Irreps>) -> Result<Self> {
        let n = irreps.order();
        check_dense_order(n)?;
        let forward = super::unitary::fourier_matrix(&irreps);
        // F⁻¹ = (1/n) F* diag(d_ρ): column (ρ,i,j) of F* scaled by d_ρ/n.
        let mut inverse = forward.adjoint();
        for (k, &d) in irreps.dims().iter().enumerate() {
            let w = d as f64 / n as f64;
            for c in irreps.offset(k)..irreps.offset(k) + d * d {
                inverse.column_mut(c).scale_mut(w);
            }
        }
        Ok(Self {
            irreps,
            forward,
            inverse,
        })
    }

    /// The unnormalised Fourier matrix `F[(ρ,i,j), g] = ρ(g)_{ij}` (rows: coefficient
    /// positions in the irreps' layout, columns: elements), so `f̂ = F f`. It is not unitary:
    /// `F F* = n·diag(1/d_ρ)`; the unitary `Φ = diag(√(d_ρ/n)) F` is
    /// [`super::unitary_fourier_matrix`].
    pub fn matrix(&self) -> &DMatrix<Complex64> {
        &self.forward
    }
}

/// `out = m · x` on slices.
fn gemv(m: &DMatrix<Complex64>, x: &[Complex64], out: &mut [Complex64]) {
    let n = x.len();
    let x = DVectorView::from_slice(x, n);
    let mut y = DVectorViewMut::from_slice(out, n);
    y.gemv(Complex64::new(1.0, 0.0), m, &x, Complex64::default());
}

impl FourierTransform for DenseFourier {
    fn layout(&self) -> &CoefficientLayout {
        self.irreps.layout()
    }
    fn irreps(&self) -> Arc<Irreps> {
        Arc::clone(&self.irreps)
    }
    fn kind(&self) -> PlanKind {
        PlanKind::Dense(self.irreps.construction())
    }
    fn scratch_len(&self) -> usize {
        0
    }
    fn forward_with_scratch(
        &self,
        input: &[Complex64],
        output: &mut [Complex64],
        scratch: &mut [Complex64],
    ) -> Result<()> {
        check_buffers(self.irreps.order(), input, output, scratch, 0)?;
        gemv(&self.forward, input, output);
        Ok(())
    }
    fn inverse_with_scratch(
        &self,
        coeffs: &[Complex64],
        output: &mut [Complex64],
        scratch: &mut [Complex64],
    ) -> Result<()> {
        check_buffers(self.irreps.order(), coeffs, output, scratch, 0)?;
        gemv(&self.inverse, coeffs, output);
        Ok(())
    }
}
