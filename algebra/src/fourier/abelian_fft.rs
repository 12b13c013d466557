//! The Fourier transform of a finite abelian group by multi-dimensional FFTs (rustfft).

use super::transform::check_buffers;
use super::{AbelianStructure, CoefficientLayout, FourierTransform, Irreps, PlanKind};
use crate::Result;
use num_complex::Complex64;
use rustfft::{Fft, FftPlanner};
use std::sync::{Arc, OnceLock};

/// One axis of the mixed-radix array: length, stride, unnormalised inverse DFT, forward DFT.
type Axis = (usize, usize, Arc<dyn Fft<f64>>, Arc<dyn Fft<f64>>);

/// The transform of `Z_{m_0} × … × Z_{m_{k−1}}` (any finite abelian group through its
/// [`AbelianStructure`]): `f̂(k) = Σ_c f(c) exp(2πi Σ_j k_j c_j / m_j)` is an unnormalised
/// inverse DFT along every axis of the mixed-radix array, so it costs `O(n log n)`.
///
/// # Example
/// ```
/// use gm_algebra::fourier::{AbelianFft, AbelianStructure, FourierTransform};
/// use gm_algebra::group::Cyclic;
/// use num_complex::Complex64;
/// let z4 = Cyclic::new(4).unwrap();
/// let plan = AbelianFft::new(AbelianStructure::new(&z4).unwrap());
/// let delta: Vec<Complex64> = (0..4).map(|k| Complex64::new((k == 1) as u8 as f64, 0.0)).collect();
/// // f̂(χ_1) = χ_1(r) = i for the delta at r
/// assert!((plan.forward(&delta).unwrap()[1] - Complex64::new(0.0, 1.0)).norm() < 1e-15);
/// ```
pub struct AbelianFft {
    structure: AbelianStructure,
    layout: CoefficientLayout,
    axes: Vec<Axis>,
    fft_scratch: usize,
    identity_layout: bool,
    irreps: OnceLock<Arc<Irreps>>,
}

impl std::fmt::Debug for AbelianFft {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "AbelianFft({:?})", self.structure.moduli())
    }
}

impl AbelianFft {
    /// Plans the FFTs for a decomposed abelian group.
    pub fn new(structure: AbelianStructure) -> Self {
        let n = structure.element_at().len();
        let mut planner = FftPlanner::<f64>::new();
        let mut axes = Vec::new();
        let mut stride = n;
        let mut fft_scratch = 0;
        for &m in structure.moduli() {
            stride /= m;
            let inv = planner.plan_fft_inverse(m);
            let fwd = planner.plan_fft_forward(m);
            fft_scratch = fft_scratch
                .max(inv.get_inplace_scratch_len())
                .max(fwd.get_inplace_scratch_len());
            axes.push((m, stride, inv, fwd));
        }
        let identity_layout = structure.is_identity_layout();
        Self {
            layout: CoefficientLayout::new(vec![1; n], structure.fs_types()),
            structure,
            axes,
            fft_scratch,
            identity_layout,
            irreps: OnceLock::new(),
        }
    }

    /// The decomposition the plan uses.
    pub fn structure(&self) -> &AbelianStructure {
        &self.structure
    }

    /// Applies the per-axis DFTs (`inverse_dft = true`: `e^{+2πi…}`) in place.
    fn transform_axes(&self, buf: &mut [Complex64], scratch: &mut [Complex64], inverse_dft: bool) {
        let n = buf.len();
        let (transpose, fft_scratch) =
            scratch.split_at_mut(if self.axes.len() > 1 { n } else { 0 });
        for (m, stride, inv, fwd) in &self.axes {
            let fft = if inverse_dft { inv } else { fwd };
            let (m, stride) = (*m, *stride);
            if m == 1 {
                continue;
            }
            if stride == 1 {
                fft.process_with_scratch(buf, &mut fft_scratch[..self.fft_scratch]);
                continue;
            }
            // Each block of m·stride entries is an m × stride matrix: transform its columns.
            for block in buf.chunks_exact_mut(m * stride) {
                let t = &mut transpose[..m * stride];
                for r in 0..m {
                    for c in 0..stride {
                        t[c * m + r] = block[r * stride + c];
                    }
                }
                fft.process_with_scratch(t, &mut fft_scratch[..self.fft_scratch]);
                for r in 0..m {
                    for c in 0..stride {
                        block[r * stride + c] = t[c * m + r];
                    }
                }
            }
        }
    }
}

impl FourierTransform for AbelianFft {
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
        PlanKind::AbelianFft
    }
    fn scratch_len(&self) -> usize {
        let n = self.layout.order();
        let permute = if self.identity_layout { 0 } else { n };
        permute + self.fft_scratch + if self.axes.len() > 1 { n } else { 0 }
    }
    fn inplace_scratch_len(&self) -> usize {
        if self.identity_layout {
            self.scratch_len()
        } else {
            self.layout.order() + self.scratch_len()
        }
    }
    fn forward_inplace(&self, buf: &mut [Complex64], scratch: &mut [Complex64]) -> Result<()> {
        let n = self.layout.order();
        check_buffers(n, buf, buf, scratch, self.inplace_scratch_len())?;
        if !self.identity_layout {
            let (tmp, rest) = scratch.split_at_mut(n);
            tmp.copy_from_slice(buf);
            return self.forward_with_scratch(tmp, buf, rest);
        }
        self.transform_axes(buf, scratch, true);
        Ok(())
    }
    fn inverse_inplace(&self, buf: &mut [Complex64], scratch: &mut [Complex64]) -> Result<()> {
        let n = self.layout.order();
        check_buffers(n, buf, buf, scratch, self.inplace_scratch_len())?;
        if !self.identity_layout {
            let (tmp, rest) = scratch.split_at_mut(n);
            tmp.copy_from_slice(buf);
            return self.inverse_with_scratch(tmp, buf, rest);
        }
        self.transform_axes(buf, scratch, false);
        let scale = 1.0 / n as f64;
        buf.iter_mut().for_each(|z| *z *= scale);
        Ok(())
    }
    fn inverse_unnormalized_inplace(
        &self,
        buf: &mut [Complex64],
        scratch: &mut [Complex64],
    ) -> Result<()> {
        let n = self.layout.order();
        check_buffers(n, buf, buf, scratch, self.inplace_scratch_len())?;
        if !self.identity_layout {
            let (tmp, rest) = scratch.split_at_mut(n);
            tmp.copy_from_slice(buf);
            self.transform_axes(tmp, rest, false);
            for (&a, z) in self.structure.element_at().iter().zip(tmp.iter()) {
                buf[a] = *z;
            }
            return Ok(());
        }
        self.transform_axes(buf, scratch, false);
        Ok(())
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
        if self.identity_layout {
            output.copy_from_slice(input);
        } else {
            for (o, &a) in output.iter_mut().zip(self.structure.element_at()) {
                *o = input[a];
            }
        }
        self.transform_axes(output, scratch, true);
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
        let scale = 1.0 / n as f64;
        if self.identity_layout {
            output.copy_from_slice(coeffs);
            self.transform_axes(output, scratch, false);
            output.iter_mut().for_each(|z| *z *= scale);
        } else {
            let (buf, rest) = scratch.split_at_mut(n);
            buf.copy_from_slice(coeffs);
            self.transform_axes(buf, rest, false);
            for (&a, z) in self.structure.element_at().iter().zip(buf.iter()) {
                output[a] = z * scale;
            }
        }
        Ok(())
    }
}
