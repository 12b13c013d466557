//! Group matrices on a cyclic group applied to real data by real-to-complex FFTs (realfft).

use crate::group::Cyclic;
use crate::shape::check_length;
use crate::{Error, FiniteGroup, Result};
use num_complex::Complex64;
use realfft::{ComplexToReal, RealFftPlanner, RealToComplex};
use std::sync::Arc;

/// `M_f` on `Z_n` for a real kernel `f`, applied to real signals with half-length spectra.
///
/// On `Z_n`, `(M_f x)(g) = Σ_k f(k) x(g + k)`, so with the forward DFT `X[m] = Σ_g x(g) ω^{−mg}`
/// (`ω = e^{2πi/n}`) one has `Y[m] = conj(F[m]) X[m]`. For real `f` and `x` the spectra are
/// Hermitian, so only `m = 0..=n/2` is computed: one real-to-complex FFT, `n/2 + 1` products
/// with the precomputed `conj(F[m])/n`, one complex-to-real FFT — about half the work of the
/// complex path ([`super::FourierGm`] over [`super::AbelianFft`]).
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
    r2c: Arc<dyn RealToComplex<f64>>,
    c2r: Arc<dyn ComplexToReal<f64>>,
    /// `conj(F[m]) / n` for `m = 0..=n/2`.
    multipliers: Vec<Complex64>,
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
        let (r2c, c2r) = (planner.plan_fft_forward(n), planner.plan_fft_inverse(n));
        let mut input = kernel.to_vec();
        let mut spectrum = r2c.make_output_vec();
        r2c.process(&mut input, &mut spectrum)
            .expect("buffers sized by the plan");
        let multipliers = spectrum.iter().map(|z| z.conj() / n as f64).collect();
        Ok(Self {
            n,
            r2c,
            c2r,
            multipliers,
        })
    }

    /// The number of complex numbers in the half spectrum (`n/2 + 1`).
    pub fn spectrum_len(&self) -> usize {
        self.multipliers.len()
    }

    /// The scratch length [`RealCyclicGm::apply_with_scratch`] needs.
    pub fn scratch_len(&self) -> usize {
        self.r2c.get_scratch_len().max(self.c2r.get_scratch_len())
    }

    /// `y = M_f x`.
    ///
    /// # Errors
    /// [`Error::ShapeMismatch`] if `x.len() != n`.
    pub fn apply(&self, x: &[f64]) -> Result<Vec<f64>> {
        let mut work = x.to_vec();
        let mut out = vec![0.0; self.n];
        let mut spectrum = vec![Complex64::default(); self.spectrum_len()];
        let mut scratch = vec![Complex64::default(); self.scratch_len()];
        self.apply_with_scratch(&mut work, &mut out, &mut spectrum, &mut scratch)?;
        Ok(out)
    }

    /// `out = M_f x`, with `x` used as workspace (it is overwritten), `spectrum` of length
    /// [`RealCyclicGm::spectrum_len`] and `scratch` of at least [`RealCyclicGm::scratch_len`].
    ///
    /// # Errors
    /// [`Error::ShapeMismatch`] if a buffer has the wrong length.
    pub fn apply_with_scratch(
        &self,
        x: &mut [f64],
        out: &mut [f64],
        spectrum: &mut [Complex64],
        scratch: &mut [Complex64],
    ) -> Result<()> {
        check_length("real GM input length", self.n, x.len())?;
        check_length("real GM output length", self.n, out.len())?;
        check_length(
            "real GM spectrum length",
            self.spectrum_len(),
            spectrum.len(),
        )?;
        if scratch.len() < self.scratch_len() {
            return Err(Error::ShapeMismatch {
                what: "real GM scratch length".into(),
                expected: self.scratch_len(),
                got: scratch.len(),
            });
        }
        let fft_err = |e: realfft::FftError| Error::InvalidParameter {
            family: "real FFT".into(),
            reason: e.to_string(),
        };
        self.r2c
            .process_with_scratch(x, spectrum, scratch)
            .map_err(fft_err)?;
        spectrum
            .iter_mut()
            .zip(&self.multipliers)
            .for_each(|(s, m)| *s *= m);
        // The DC and (n even) Nyquist terms of a real signal's spectrum are real.
        spectrum[0].im = 0.0;
        if self.n.is_multiple_of(2) {
            spectrum[self.n / 2].im = 0.0;
        }
        self.c2r
            .process_with_scratch(spectrum, out, scratch)
            .map_err(fft_err)
    }
}
