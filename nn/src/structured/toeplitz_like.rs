//! Toeplitz-like matrices in structured-nets' parametrisation.

use super::krylov::{shift_krylov, shift_krylov_transpose};
use super::low_rank::generators;
use super::StructuredMap;
use crate::Result;
use tch::nn::Path;
use tch::Tensor;

/// `M = Σ_i K(Z₀, g_i) K(Z₀, h_i)ᵀ` (structured-nets' `toeplitz`, no corners): a sum of `r`
/// products of a lower- and an upper-triangular Toeplitz matrix, Stein displacement
/// `Δ_{Z₀,Z₀ᵀ}(M) = GᵀH` of rank `r`. Parameters `G`, `H` (`r × n`, N(0, 1/(r n))).
/// Product: two length-`2n` real-FFT convolutions per generator, `O(r n log n)`.
#[derive(Debug)]
pub struct ToeplitzLike {
    g: Tensor,
    h: Tensor,
}

impl ToeplitzLike {
    /// Creates `G`, `H` under `p`.
    ///
    /// # Errors
    /// [`crate::NnError::Torch`] from libtorch.
    pub fn new(p: &Path, n: i64, r: i64) -> Result<Self> {
        let (g, h) = generators(p, n, r)?;
        Ok(Self { g, h })
    }
}

impl StructuredMap for ToeplitzLike {
    fn apply(&self, x: &Tensor) -> Result<Tensor> {
        shift_krylov(&self.g, &shift_krylov_transpose(&self.h, x, 0.0)?, 0.0)
    }

    fn parameter(&self) -> &Tensor {
        &self.g
    }
}
