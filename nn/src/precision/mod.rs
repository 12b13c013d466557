//! Reduced-precision activations with fp32 master weights.
//!
//! Every layer of this crate computes in the dtype of its **input**: parameters are stored in
//! fp32 and cast to the activation dtype on use ([`param_like`]; the cast is differentiable,
//! so gradients reach the fp32 parameters in fp32). Feeding a model bf16 activations —
//! [`CastModel`] does that — therefore trains in bf16 with fp32 weights and optimiser state.
//! Unlike fp16 autocast, bf16 has fp32's exponent range, so no loss scaling is needed, and
//! every elementwise pass (layer norm, PReLU, residual sums) moves half the bytes of fp32.
//!
//! Which dtype, and whether fp16 autocast with loss scaling is used instead, is one decision
//! per run: the [`PrecisionPolicy`] of a configured [`Precision`] on a device.

mod policy;

pub use policy::{Precision, PrecisionPolicy};

use crate::Result;
use tch::nn::ModuleT;
use tch::{Kind, Tensor};

/// `param` in the dtype of the activation `x` (a shallow clone when they already match).
///
/// # Errors
/// [`crate::NnError::Torch`] from libtorch.
pub fn param_like(param: &Tensor, x: &Tensor) -> Result<Tensor> {
    let kind = x.kind();
    Ok(if param.kind() == kind {
        param.shallow_clone()
    } else {
        param.f_to_kind(kind)?
    })
}

/// Runs `inner` on its input cast to `kind` and returns the output cast back to fp32 (e.g.
/// bf16 training: `CastModel::new(Box::new(model), Kind::BFloat16)`; with `Kind::Float` it is
/// the model itself on fp32 inputs). `M` may be a trait object (`CastModel<dyn ModuleT>`).
#[derive(Debug)]
pub struct CastModel<M: ModuleT + ?Sized> {
    inner: Box<M>,
    kind: Kind,
}

impl<M: ModuleT + ?Sized> CastModel<M> {
    /// Wraps `inner`, computing its activations in `kind`.
    pub fn new(inner: Box<M>, kind: Kind) -> Self {
        Self { inner, kind }
    }

    /// The wrapped model.
    pub fn inner(&self) -> &M {
        &self.inner
    }
}

impl<M: ModuleT + ?Sized> ModuleT for CastModel<M> {
    fn forward_t(&self, xs: &Tensor, train: bool) -> Tensor {
        cast_forward(&*self.inner, xs, self.kind, train).expect("CastModel forward")
    }
}

/// `model` on `xs` cast to `kind`, the output cast to fp32.
fn cast_forward<M: ModuleT + ?Sized>(
    model: &M,
    xs: &Tensor,
    kind: Kind,
    train: bool,
) -> Result<Tensor> {
    Ok(model
        .forward_t(&xs.f_to_kind(kind)?, train)
        .f_to_kind(Kind::Float)?)
}

/// A pointwise `nn::Conv1D` (kernel size 1, default stride, padding, dilation and groups —
/// how the models build their 1×1 convolutions) applied in the dtype of `x`.
///
/// # Errors
/// [`crate::NnError::Torch`] on a shape mismatch.
pub fn pointwise_conv(conv: &tch::nn::Conv1D, x: &Tensor) -> Result<Tensor> {
    let bias = conv.bs.as_ref().map(|b| param_like(b, x)).transpose()?;
    Ok(x.f_conv1d(&param_like(&conv.ws, x)?, bias.as_ref(), [1], [0], [1], 1)?)
}

/// An `nn::Linear` applied in the dtype of `x`.
///
/// # Errors
/// [`crate::NnError::Torch`] on a shape mismatch.
pub fn linear(layer: &tch::nn::Linear, x: &Tensor) -> Result<Tensor> {
    let bias = layer.bs.as_ref().map(|b| param_like(b, x)).transpose()?;
    Ok(x.f_linear(&param_like(&layer.ws, x)?, bias.as_ref())?)
}
