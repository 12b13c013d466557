//! The low-rank baseline.

use super::StructuredMap;
use crate::precision::param_like;
use crate::Result;
use tch::nn::{Init, Path};
use tch::Tensor;

/// `M = Gᵀ H` of rank `≤ r`: parameters `G`, `H` (`r × n`, N(0, 1/(r n))),
/// `y = (x Hᵀ) G` for row vectors (structured-nets' `low_rank`).
#[derive(Debug)]
pub struct LowRank {
    g: Tensor,
    h: Tensor,
}

/// Creates structured-nets' generators `G`, `H` (`r × n`, N(0, 1/(r n))) under `p`.
pub(super) fn generators(p: &Path, n: i64, r: i64) -> Result<(Tensor, Tensor)> {
    let stdev = (1.0 / (r * n) as f64).sqrt();
    let init = Init::Randn { mean: 0.0, stdev };
    Ok((p.f_var("G", &[r, n], init)?, p.f_var("H", &[r, n], init)?))
}

impl LowRank {
    /// Creates `G`, `H` under `p`.
    ///
    /// # Errors
    /// [`crate::NnError::Torch`] from libtorch.
    pub fn new(p: &Path, n: i64, r: i64) -> Result<Self> {
        let (g, h) = generators(p, n, r)?;
        Ok(Self { g, h })
    }
}

impl StructuredMap for LowRank {
    fn apply(&self, x: &Tensor) -> Result<Tensor> {
        let xh = x.f_matmul(&param_like(&self.h, x)?.f_tr()?)?;
        Ok(xh.f_matmul(&param_like(&self.g, x)?)?)
    }

    fn parameter(&self) -> &Tensor {
        &self.g
    }
}
