//! The circulant baseline.

use super::StructuredMap;
use crate::precision::param_like;
use crate::Result;
use tch::nn::{Init, Path};
use tch::Tensor;

/// The circulant `C(c)` with first column `c` (`n`, N(0, 1/n)): `y = c ⊛ x`, one real FFT
/// pair of length `n`, `O(n log n)` (structured-nets' `circulant`).
#[derive(Debug)]
pub struct Circulant {
    c: Tensor,
}

impl Circulant {
    /// Creates `c` under `p`.
    ///
    /// # Errors
    /// [`crate::NnError::Torch`] from libtorch.
    pub fn new(p: &Path, n: i64) -> Result<Self> {
        let stdev = (1.0 / n as f64).sqrt();
        Ok(Self {
            c: p.f_var("c", &[n], Init::Randn { mean: 0.0, stdev })?,
        })
    }
}

impl StructuredMap for Circulant {
    fn apply(&self, x: &Tensor) -> Result<Tensor> {
        let n = self.c.size()[0];
        let cf = param_like(&self.c, x)?.f_fft_rfft(n, -1, "backward")?;
        let xf = x.f_fft_rfft(n, -1, "backward")?;
        Ok(xf.f_mul(&cf)?.f_fft_irfft(n, -1, "backward")?)
    }

    fn parameter(&self) -> &Tensor {
        &self.c
    }
}
