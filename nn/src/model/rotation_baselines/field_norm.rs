//! Batch normalisation of regular fields with statistics and affine parameters shared by
//! each field's orientations (e2cnn's `InnerBatchNorm`).
use super::plan::torch_batch_norm;
use crate::field::ORIENTATIONS;
use crate::Result;
use tch::nn::{self, ModuleT, Path};
use tch::Tensor;

/// Batch norm over `C` regular fields `(B, 4C, H, W)`: each field's four orientation
/// channels share one mean, variance, scale and shift, so a quarter turn (which permutes
/// them) commutes with it. Parameters (`weight`, `bias`): `2C`; running statistics are
/// buffers.
///
/// # Shapes
/// `(B, 4C, H, W)` → `(B, 4C, H, W)`.
#[derive(Debug)]
pub struct FieldBatchNorm {
    norm: nn::BatchNorm,
}

impl FieldBatchNorm {
    /// A norm over `fields` regular fields under `vs`.
    pub fn new(vs: &Path, fields: usize) -> Self {
        Self {
            norm: nn::batch_norm2d(vs, fields as i64, torch_batch_norm()),
        }
    }

    /// The forward pass (batch statistics when `train`, running ones otherwise).
    ///
    /// # Errors
    /// [`crate::NnError::Torch`] when the channels are not `4C`.
    pub fn f_forward_t(&self, xs: &Tensor, train: bool) -> Result<Tensor> {
        let s = xs.size();
        let grouped = xs.f_reshape([s[0], s[1] / ORIENTATIONS, ORIENTATIONS * s[2], s[3]])?;
        Ok(self.norm.forward_t(&grouped, train).f_reshape(s)?)
    }
}
