//! The classifier's block `PReLU(LayerNorm(GMConv(x))) + r`, and the reference regression
//! model's `PReLU(e ⊙ GMConv(x) + bias) + r`, as one operation on the CPU.
//!
//! Composed of libtorch operations, the block reads and writes its `B×O×n` activations
//! about a dozen times per training step (channel sum, gather, matmul, the layer norm's two
//! passes, PReLU, the residual sum, and as many passes backward), and at the reference sizes
//! none of them fits in cache. The fused block (`nn/csrc/fused_block.cpp`, an autograd
//! function of libtorch) instead works one sample at a time in per-thread buffers: forward it
//! reads `x` and `r` and writes the output and the normalised activations `z`; backward it
//! reads `dy` and `z` and writes the input gradient (one channel `B×1×n` broadcast over the
//! input channels, or `dy` plus it when the residual is the input), recomputing the gathered
//! channel sums from the saved `B×n` sums. Its matrix products are libtorch's (per sample),
//! its elementwise loops compiled once per x86 instruction set and chosen at load time. Its
//! layer norm and PReLU run in fp32, its reductions in fp64 partial sums;
//! the products run in fp32 for fp32 activations and as bf16 matmuls (fp32 accumulation,
//! the precision of the composed block's bf16 matmuls) for bf16 activations. It applies to
//! exact GM convolutions in shared channel mode on the CPU; everything else runs composed.

use crate::{NnError, Result};
use std::ffi::{c_char, CStr};
use tch::{Device, Kind, Tensor};
use torch_sys::C_tensor;

extern "C" {
    fn gm_fused_block(
        x: *const C_tensor,
        r: *const C_tensor,
        weight: *const C_tensor,
        bias: *const C_tensor,
        slope: *const C_tensor,
        scale: *const C_tensor,
        table: *const C_tensor,
        normalize: std::ffi::c_int,
        eps: f64,
        error: *mut *mut c_char,
    ) -> *mut C_tensor;
    fn gm_fused_block_free_error(error: *mut c_char);
    fn gm_fused_block_tracing() -> std::ffi::c_int;
}

/// The layer norm's `ε`, the same as the composed block's.
pub const LAYER_NORM_EPS: f64 = 1e-5;

/// Whether [`fused_block`] and [`fused_scaled_block`] apply to activations of `kind` on
/// `device`: fp32 or bf16 on the CPU, a shared-mode weight `(O, 1, K)`, and no TorchScript
/// trace being recorded (the fused block has no TorchScript form, so a traced export records
/// the composed block).
pub fn applies(device: Device, kind: Kind, weight: &Tensor) -> bool {
    device == Device::Cpu
        && matches!(kind, Kind::Float | Kind::BFloat16)
        && weight.size().get(1) == Some(&1)
        && !tracing()
}

/// Whether this thread is recording a TorchScript trace.
fn tracing() -> bool {
    // SAFETY: a query of libtorch's thread-local tracing state, no arguments.
    unsafe { gm_fused_block_tracing() != 0 }
}

/// `PReLU_α(LayerNorm(W ⋆ Σ_i x_i + bias)) + r`, differentiable in `x`, `r`, `weight`,
/// `bias` and `slope`: the block of [`super::Classifier`] with an exact shared-mode GM
/// convolution, where `W ⋆ s` is `y[o,a] = Σ_k W[o,0,k]·s[table[k,a]]` and the layer norm
/// runs over `(O, n)` per sample without affine parameters (`ε` = [`LAYER_NORM_EPS`]).
///
/// `r` `None` is the identity residual `r = x` (`C = O`): the input gradient `dy + ∂conv`
/// is then written in one pass instead of two.
///
/// Shapes: `x` `(B, C, n)` and `r` `(B, O, n)` in one dtype (fp32 or bf16, CPU); `weight`
/// `(O, 1, K)`, `bias` `(O)`, `slope` `(1)` in any float dtype (their gradients come back in
/// it); `table` the lowering's `(K, n)` `i64` table. Returns `(B, O, n)` in `x`'s dtype.
///
/// # Errors
/// [`NnError::Torch`] with libtorch's message when the shapes, dtypes or device do not fit
/// (see [`applies`]).
pub fn fused_block(
    x: &Tensor,
    r: Option<&Tensor>,
    weight: &Tensor,
    bias: &Tensor,
    slope: &Tensor,
    table: &Tensor,
) -> Result<Tensor> {
    call(x, r, weight, bias, slope, None, table, true)
}

/// `PReLU_α(e ⊙ (W ⋆ Σ_i x_i) + bias) + r`: the block of [`super::ReferenceRegression`]
/// (its [`ErrorVectorGMConv`](crate::conv::ErrorVectorGMConv) with the position vector `e`
/// `(n)` scaling every output channel, then PReLU and the skip), differentiable in `x`, `r`,
/// `weight`, `error`, `bias` and `slope`; no layer norm. Otherwise as [`fused_block`].
///
/// # Errors
/// As [`fused_block`], and for an `error` that is not `(n)`.
pub fn fused_scaled_block(
    x: &Tensor,
    r: Option<&Tensor>,
    weight: &Tensor,
    error: &Tensor,
    bias: &Tensor,
    slope: &Tensor,
    table: &Tensor,
) -> Result<Tensor> {
    call(x, r, weight, bias, slope, Some(error), table, false)
}

/// The C function behind both forms.
#[allow(clippy::too_many_arguments)]
fn call(
    x: &Tensor,
    r: Option<&Tensor>,
    weight: &Tensor,
    bias: &Tensor,
    slope: &Tensor,
    scale: Option<&Tensor>,
    table: &Tensor,
    normalize: bool,
) -> Result<Tensor> {
    let mut error: *mut c_char = std::ptr::null_mut();
    // SAFETY: every pointer is a live tensor borrowed for the call (or null where the C
    // function takes null); it returns a new tensor we own, or null with a malloc'ed message
    // we free.
    unsafe {
        let out = gm_fused_block(
            x.as_ptr(),
            r.map_or(std::ptr::null(), Tensor::as_ptr),
            weight.as_ptr(),
            bias.as_ptr(),
            slope.as_ptr(),
            scale.map_or(std::ptr::null(), Tensor::as_ptr),
            table.as_ptr(),
            normalize.into(),
            LAYER_NORM_EPS,
            &mut error,
        );
        if out.is_null() {
            let message = if error.is_null() {
                "unknown error".to_string()
            } else {
                let text = CStr::from_ptr(error).to_string_lossy().into_owned();
                gm_fused_block_free_error(error);
                text
            };
            return Err(NnError::Torch(tch::TchError::Torch(format!(
                "fused block: {message}"
            ))));
        }
        Ok(Tensor::from_ptr(out))
    }
}
