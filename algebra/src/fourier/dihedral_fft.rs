//! The Fourier transform of a dihedral group by two cyclic FFTs (rustfft).

use super::transform::check_buffers;
use super::{CoefficientLayout, DihedralStructure, FourierTransform, FsType, Irreps, PlanKind};
use crate::Result;
use num_complex::Complex64;
use rustfft::{Fft, FftPlanner};
use std::sync::{Arc, OnceLock};

/// The transform of `D_m` in the closed-form irreps of [`DihedralStructure::irreps`]: with
/// `X_k = Σ_b f(r^b) e^{2πikb/m}` and `Y_k = Σ_b f(f r^b) e^{2πikb/m}` (two FFTs of length `m`),
/// `f̂(ρ_k) = [[C_X + C_Y, −S_X − S_Y], [S_X − S_Y, C_X − C_Y]]` where
/// `C = (Z_k + Z_{m−k})/2`, `S = (Z_k − Z_{m−k})/2i`; the inverse runs the same steps
/// backwards. `O(n log n)`.
///
/// # Example
/// ```
/// use gm_algebra::fourier::{DihedralFft, DihedralStructure, FourierTransform};
/// use gm_algebra::group::Dihedral;
/// use num_complex::Complex64;
/// let plan = DihedralFft::new(DihedralStructure::of_family(&Dihedral::new(6).unwrap()).unwrap());
/// let ones = vec![Complex64::new(1.0, 0.0); 12];
/// let hat = plan.forward(&ones).unwrap();
/// assert!((hat[0].re - 12.0).abs() < 1e-12 && hat[5].norm() < 1e-12);
/// ```
pub struct DihedralFft {
    structure: DihedralStructure,
    layout: CoefficientLayout,
    inv_dft: Arc<dyn Fft<f64>>,
    fwd_dft: Arc<dyn Fft<f64>>,
    fft_scratch: usize,
    irreps: OnceLock<Arc<Irreps>>,
}

impl std::fmt::Debug for DihedralFft {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "DihedralFft(m = {})", self.structure.rotations())
    }
}

impl DihedralFft {
    /// Plans the two length-`m` FFTs.
    pub fn new(structure: DihedralStructure) -> Self {
        let m = structure.rotations();
        let mut planner = FftPlanner::<f64>::new();
        let inv_dft = planner.plan_fft_inverse(m);
        let fwd_dft = planner.plan_fft_forward(m);
        let fft_scratch = inv_dft
            .get_inplace_scratch_len()
            .max(fwd_dft.get_inplace_scratch_len());
        Self {
            layout: CoefficientLayout::new(
                structure.dims(),
                vec![FsType::Real; structure.dims().len()],
            ),
            structure,
            inv_dft,
            fwd_dft,
            fft_scratch,
            irreps: OnceLock::new(),
        }
    }
}

impl FourierTransform for DihedralFft {
    fn layout(&self) -> &CoefficientLayout {
        &self.layout
    }
    fn irreps(&self) -> Arc<Irreps> {
        Arc::clone(
            self.irreps
                .get_or_init(|| Arc::new(self.structure.irreps())),
        )
    }
    fn kind(&self) -> PlanKind {
        PlanKind::DihedralFft
    }
    fn scratch_len(&self) -> usize {
        2 * self.structure.rotations() + self.fft_scratch
    }
    fn forward_with_scratch(
        &self,
        input: &[Complex64],
        output: &mut [Complex64],
        scratch: &mut [Complex64],
    ) -> Result<()> {
        check_buffers(
            self.layout.order(),
            input,
            output,
            scratch,
            self.scratch_len(),
        )?;
        let m = self.structure.rotations();
        let (xy, fft_scratch) = scratch.split_at_mut(2 * m);
        for (z, &a) in xy.iter_mut().zip(self.structure.element_at()) {
            *z = input[a];
        }
        self.inv_dft
            .process_with_scratch(xy, &mut fft_scratch[..self.fft_scratch]);
        let (x, y) = xy.split_at(m);
        output[0] = x[0] + y[0];
        output[1] = x[0] - y[0];
        let lin = self.structure.linear_count();
        if lin == 4 {
            let h = m / 2;
            output[2] = x[h] + y[h];
            output[3] = x[h] - y[h];
        }
        let half_i = Complex64::new(0.0, -0.5);
        for k in 1..=self.structure.planar_count() {
            let (cx, sx) = ((x[k] + x[m - k]) * 0.5, (x[k] - x[m - k]) * half_i);
            let (cy, sy) = ((y[k] + y[m - k]) * 0.5, (y[k] - y[m - k]) * half_i);
            let block = &mut output[lin + 4 * (k - 1)..][..4];
            block[0] = cx + cy;
            block[1] = -sx - sy;
            block[2] = sx - sy;
            block[3] = cx - cy;
        }
        Ok(())
    }
    fn inverse_with_scratch(
        &self,
        coeffs: &[Complex64],
        output: &mut [Complex64],
        scratch: &mut [Complex64],
    ) -> Result<()> {
        let n = self.layout.order();
        check_buffers(n, coeffs, output, scratch, self.scratch_len())?;
        let m = self.structure.rotations();
        let (xy, fft_scratch) = scratch.split_at_mut(2 * m);
        xy.fill(Complex64::default());
        {
            let (x, y) = xy.split_at_mut(m);
            x[0] = coeffs[0] + coeffs[1];
            y[0] = coeffs[0] - coeffs[1];
            let lin = self.structure.linear_count();
            if lin == 4 {
                let h = m / 2;
                x[h] = coeffs[2] + coeffs[3];
                y[h] = coeffs[2] - coeffs[3];
            }
            let i = Complex64::new(0.0, 1.0);
            for k in 1..=self.structure.planar_count() {
                let b = &coeffs[lin + 4 * (k - 1)..][..4];
                let (p, q) = (b[0] + b[3], b[2] - b[1]);
                x[k] = p + i * q;
                x[m - k] = p - i * q;
                let (p, q) = (b[0] - b[3], -(b[1] + b[2]));
                y[k] = p + i * q;
                y[m - k] = p - i * q;
            }
        }
        self.fwd_dft
            .process_with_scratch(xy, &mut fft_scratch[..self.fft_scratch]);
        let scale = 1.0 / n as f64;
        for (z, &a) in xy.iter().zip(self.structure.element_at()) {
            output[a] = z * scale;
        }
        Ok(())
    }
}
