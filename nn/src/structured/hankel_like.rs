//! Hankel-like matrices in structured-nets' parametrisation.

use super::krylov::{shift_krylov, shift_krylov_transpose};
use super::low_rank::generators;
use super::StructuredMap;
use crate::Result;
use tch::nn::Path;
use tch::Tensor;

/// `M = J Σ_i K(Z₁, g_i) K(Z₋₁, h_i)ᵀ` (structured-nets' `hankel`: the corner Toeplitz-like
/// product with its output reversed), displacement rank `r`. Parameters `G`, `H`
/// (`r × n`, N(0, 1/(r n))). Product: `O(r n log n)` by real FFTs.
#[derive(Debug)]
pub struct HankelLike {
    g: Tensor,
    h: Tensor,
}

impl HankelLike {
    /// Creates `G`, `H` under `p`.
    ///
    /// # Errors
    /// [`crate::NnError::Torch`] from libtorch.
    pub fn new(p: &Path, n: i64, r: i64) -> Result<Self> {
        let (g, h) = generators(p, n, r)?;
        Ok(Self { g, h })
    }
}

impl StructuredMap for HankelLike {
    fn apply(&self, x: &Tensor) -> Result<Tensor> {
        let y = shift_krylov(&self.g, &shift_krylov_transpose(&self.h, x, -1.0)?, 1.0)?;
        Ok(y.f_flip([-1])?)
    }

    fn parameter(&self) -> &Tensor {
        &self.g
    }
}
