//! Group matrices on a cyclic group applied to real data: for even `n` by one complex FFT of
//! length `n/2` each way with the spectral product fused into the real-to-complex unpacking,
//! for odd `n` by realfft's real-to-complex and complex-to-real FFTs.

use super::packed_spectrum::PackedSpectrum;
use crate::group::Cyclic;
use crate::shape::check_length;
use crate::{Error, FiniteGroup, Result};
use num_complex::Complex64;
use realfft::{ComplexToReal, RealFftPlanner, RealToComplex};
use rustfft::{Fft, FftPlanner};
use std::sync::Arc;

/// `M_f` on `Z_n` for a real kernel `f`, applied to real signals with half-length spectra.
///
/// On `Z_n`, `(M_f x)(g) = Σ_k f(k) x(g + k)`, so with the forward DFT `X[m] = Σ_g x(g) ω^{−mg}`
/// (`ω = e^{2πi/n}`) one has `Y[m] = conj(F[m]) X[m]`. For real `f` and `x` the spectra are
/// Hermitian, so only `m = 0..=n/2` is needed — about half the work of the complex path
/// ([`super::FourierGm`] over [`super::AbelianFft`]).
///
/// For even `n = 2h` the signal is read as the `h` complex numbers `x[2j] + i x[2j+1]`
/// (no copy), transformed by one complex FFT of length `h`, and one pass over the pairs of
/// frequencies `(k, h − k)` unpacks the real spectrum, multiplies by `conj(F)`, and packs the
/// product for one inverse complex FFT of length `h` whose output is `y` read the same way
/// (the identities are in `docs/theory/fourier.md`). For odd `n` realfft's real-to-complex
/// and complex-to-real FFTs are used, with the product in between.
///
/// # Example
/// ```
/// use gm_algebra::fourier::RealCyclicGm;
/// use gm_algebra::group::Cyclic;
/// // f = δ_1: (M_f x)(g) = x(g + 1)
/// let gm = RealCyclicGm::new(&Cyclic::new(4).unwrap(), &[0.0, 1.0, 0.0, 0.0]).unwrap();
/// let y = gm.apply(&[0.0, 1.0, 2.0, 3.0]).unwrap();
/// assert!(y.iter().zip([1.0, 2.0, 3.0, 0.0]).all(|(a, b)| (a - b).abs() < 1e-12));
/// ```
pub struct RealCyclicGm {
    n: usize,
    path: Path,
}

/// How [`RealCyclicGm`] transforms, by the parity of `n`.
enum Path {
    /// `n = 2h`: complex FFTs of length `h` and the fused unpack–multiply–pack pass.
    Even {
        forward: Arc<dyn Fft<f64>>,
        inverse: Arc<dyn Fft<f64>>,
        /// The pass between them, holding the kernel's spectrum.
        spectrum: PackedSpectrum,
    },
    /// Odd `n`: realfft's plans and `conj(F[k]) / n` for `k = 0..=(n−1)/2`.
    Odd {
        r2c: Arc<dyn RealToComplex<f64>>,
        c2r: Arc<dyn ComplexToReal<f64>>,
        multipliers: Vec<Complex64>,
    },
}

impl std::fmt::Debug for RealCyclicGm {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "RealCyclicGm(Z{})", self.n)
    }
}

impl RealCyclicGm {
    /// Plans the FFTs of `Z_n` and transforms the kernel once.
    ///
    /// # Errors
    /// [`Error::ShapeMismatch`] if `kernel.len() != n`.
    pub fn new(group: &Cyclic, kernel: &[f64]) -> Result<Self> {
        let n = group.order();
        check_length("real GM kernel length", n, kernel.len())?;
        let mut planner = RealFftPlanner::<f64>::new();
        let r2c = planner.plan_fft_forward(n);
        let mut input = kernel.to_vec();
        let mut spectrum = r2c.make_output_vec();
        r2c.process(&mut input, &mut spectrum)
            .expect("buffers sized by the plan");
        let path = if n.is_multiple_of(2) {
            let h = n / 2;
            let mut multipliers: Vec<Complex64> =
                spectrum.iter().map(|z| z.conj() / (2 * n) as f64).collect();
            // The DC and Nyquist terms of a real kernel's spectrum are real.
            multipliers[0].im = 0.0;
            multipliers[h].im = 0.0;
            let mut fft = FftPlanner::<f64>::new();
            Path::Even {
                forward: fft.plan_fft_forward(h),
                inverse: fft.plan_fft_inverse(h),
                spectrum: PackedSpectrum::new(h, &multipliers),
            }
        } else {
            let mut multipliers: Vec<Complex64> =
                spectrum.iter().map(|z| z.conj() / n as f64).collect();
            multipliers[0].im = 0.0;
            Path::Odd {
                c2r: planner.plan_fft_inverse(n),
                r2c,
                multipliers,
            }
        };
        Ok(Self { n, path })
    }

    /// The scratch length [`RealCyclicGm::apply_with_scratch`] needs.
    pub fn scratch_len(&self) -> usize {
        match &self.path {
            Path::Even {
                forward, inverse, ..
            } => forward
                .get_inplace_scratch_len()
                .max(inverse.get_outofplace_scratch_len()),
            Path::Odd {
                r2c,
                c2r,
                multipliers,
            } => multipliers.len() + r2c.get_scratch_len().max(c2r.get_scratch_len()),
        }
    }

    /// `y = M_f x`.
    ///
    /// # Errors
    /// [`Error::ShapeMismatch`] if `x.len() != n`.
    pub fn apply(&self, x: &[f64]) -> Result<Vec<f64>> {
        let mut work = x.to_vec();
        let mut out = vec![0.0; self.n];
        let mut scratch = vec![Complex64::default(); self.scratch_len()];
        self.apply_with_scratch(&mut work, &mut out, &mut scratch)?;
        Ok(out)
    }

    /// `out = M_f x`, with `x` used as workspace (it is overwritten) and `scratch` of at least
    /// [`RealCyclicGm::scratch_len`].
    ///
    /// # Errors
    /// [`Error::ShapeMismatch`] if a buffer has the wrong length.
    pub fn apply_with_scratch(
        &self,
        x: &mut [f64],
        out: &mut [f64],
        scratch: &mut [Complex64],
    ) -> Result<()> {
        check_length("real GM input length", self.n, x.len())?;
        check_length("real GM output length", self.n, out.len())?;
        if scratch.len() < self.scratch_len() {
            return Err(Error::ShapeMismatch {
                what: "real GM scratch length".into(),
                expected: self.scratch_len(),
                got: scratch.len(),
            });
        }
        match &self.path {
            Path::Even {
                forward,
                inverse,
                spectrum,
            } => {
                let packed: &mut [Complex64] = bytemuck::cast_slice_mut(x);
                forward.process_with_scratch(packed, scratch);
                // Compiled for AVX2 + FMA where the CPU has them (pulp dispatches at run time).
                pulp::Arch::new().dispatch(|| spectrum.apply(packed));
                let packed_out: &mut [Complex64] = bytemuck::cast_slice_mut(out);
                inverse.process_outofplace_with_scratch(packed, packed_out, scratch);
                Ok(())
            }
            Path::Odd {
                r2c,
                c2r,
                multipliers,
            } => {
                let fft_err = |e: realfft::FftError| Error::InvalidParameter {
                    family: "real FFT".into(),
                    reason: e.to_string(),
                };
                let (spectrum, scratch) = scratch.split_at_mut(multipliers.len());
                r2c.process_with_scratch(x, spectrum, scratch)
                    .map_err(fft_err)?;
                spectrum
                    .iter_mut()
                    .zip(multipliers)
                    .for_each(|(s, m)| *s *= m);
                // The DC term of a real signal's spectrum is real.
                spectrum[0].im = 0.0;
                c2r.process_with_scratch(spectrum, out, scratch)
                    .map_err(fft_err)
            }
        }
    }
}
