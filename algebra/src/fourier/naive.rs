//! The naive transform: the direct sums of the definition, the oracle for every plan.

use super::transform::check_buffers;
use super::{CoefficientLayout, FourierTransform, Irreps, PlanKind};
use crate::Result;
use num_complex::Complex64;
use std::sync::Arc;

/// The group Fourier transform computed straight from its definition,
/// `f̂(ρ)_{ij} = Σ_g f(g) ρ(g)_{ij}` and `f(g) = (1/n) Σ_ρ d_ρ Σ_{ij} conj(ρ(g)_{ij}) f̂(ρ)_{ij}`:
/// `O(n · Σ d²) = O(n²)` operations. Every planned transform is tested against it.
///
/// # Example
/// ```
/// use gm_algebra::fourier::{FourierTransform, NaiveFourier, irreps};
/// use gm_algebra::group::Dihedral;
/// use num_complex::Complex64;
/// let d3 = Dihedral::new(3).unwrap();
/// let naive = NaiveFourier::new(irreps(&d3).unwrap());
/// let f: Vec<Complex64> = (0..6).map(|k| Complex64::new(k as f64, 0.0)).collect();
/// let back = naive.inverse(&naive.forward(&f).unwrap()).unwrap();
/// assert!(f.iter().zip(&back).all(|(a, b)| (a - b).norm() < 1e-12));
/// ```
#[derive(Debug, Clone)]
pub struct NaiveFourier {
    irreps: Arc<Irreps>,
}

impl NaiveFourier {
    /// The naive transform for a set of irreps.
    pub fn new(irreps: Arc<Irreps>) -> Self {
        Self { irreps }
    }
}

impl FourierTransform for NaiveFourier {
    fn layout(&self) -> &CoefficientLayout {
        self.irreps.layout()
    }
    fn irreps(&self) -> Arc<Irreps> {
        Arc::clone(&self.irreps)
    }
    fn kind(&self) -> PlanKind {
        PlanKind::Naive(self.irreps.construction())
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
        let n = self.irreps.order();
        check_buffers(n, input, output, scratch, 0)?;
        output.fill(Complex64::default());
        for (k, irrep) in self.irreps.irreps().iter().enumerate() {
            let d = irrep.dim();
            let block = &mut output[self.irreps.offset(k)..][..d * d];
            for (g, &x) in input.iter().enumerate() {
                let m = irrep.rep().matrix(g);
                for i in 0..d {
                    for j in 0..d {
                        block[i * d + j] += x * m[(i, j)];
                    }
                }
            }
        }
        Ok(())
    }
    fn inverse_with_scratch(
        &self,
        coeffs: &[Complex64],
        output: &mut [Complex64],
        scratch: &mut [Complex64],
    ) -> Result<()> {
        let n = self.irreps.order();
        check_buffers(n, coeffs, output, scratch, 0)?;
        for (g, out) in output.iter_mut().enumerate() {
            let mut acc = Complex64::default();
            for (k, irrep) in self.irreps.irreps().iter().enumerate() {
                let d = irrep.dim();
                let block = &coeffs[self.irreps.offset(k)..][..d * d];
                let m = irrep.rep().matrix(g);
                let mut tr = Complex64::default();
                for i in 0..d {
                    for j in 0..d {
                        tr += m[(i, j)].conj() * block[i * d + j];
                    }
                }
                acc += tr * d as f64;
            }
            *out = acc / n as f64;
        }
        Ok(())
    }
}
