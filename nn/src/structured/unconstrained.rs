//! The unconstrained (dense) baseline.

use super::StructuredMap;
use crate::precision::param_like;
use crate::Result;
use tch::nn::{Init, Path};
use tch::Tensor;

/// A dense matrix: parameter `W` (`n × n`, N(0, 1/n)), `y = x W` for row vectors, so
/// `M = Wᵀ` (structured-nets' `unconstrained`).
#[derive(Debug)]
pub struct Unconstrained {
    w: Tensor,
}

impl Unconstrained {
    /// Creates `W` under `p`.
    ///
    /// # Errors
    /// [`crate::NnError::Torch`] from libtorch.
    pub fn new(p: &Path, n: i64) -> Result<Self> {
        let stdev = (1.0 / n as f64).sqrt();
        Ok(Self {
            w: p.f_var("W", &[n, n], Init::Randn { mean: 0.0, stdev })?,
        })
    }
}

impl StructuredMap for Unconstrained {
    fn apply(&self, x: &Tensor) -> Result<Tensor> {
        Ok(x.f_matmul(&param_like(&self.w, x)?)?)
    }

    fn parameter(&self) -> &Tensor {
        &self.w
    }
}
