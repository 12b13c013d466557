//! The backend planner: a cost model, optionally replaced by timing the candidates once.

use super::backend::{self, BackendKind, ConvBackend};
use super::config::{BackendChoice, ChannelMode};
use crate::lowering::Lowering;
use crate::Result;
use std::time::Instant;
use tch::{Kind, Tensor};

/// The sizes a plan is made for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ConvShape {
    /// Batch size `B`.
    pub batch: usize,
    /// Input channels `C`.
    pub in_channels: usize,
    /// Output channels `O`.
    pub out_channels: usize,
    /// Channel mode.
    pub mode: ChannelMode,
}

/// The backends that apply to `lowering` (gather and reference always; cuDNN and Fourier on
/// `Z_W`/`Z_H×Z_W` grids).
pub fn candidates(lowering: &Lowering) -> Vec<Box<dyn ConvBackend>> {
    BackendKind::ALL
        .iter()
        .filter_map(|&k| backend::build(k, lowering).ok())
        .collect()
}

/// The cost model: an estimate, in multiply-add equivalents, of one forward pass of `kind`
/// on the lowering's device.
///
/// Gathers and copies count 4 per element moved (memory-bound), GEMM multiply-adds 1,
/// convolution multiply-adds 2 on the CPU (oneDNN on a `K`-sparse box) and ½ on CUDA
/// (cuDNN), FFTs `c·n·log₂n` per transform with `c = 10` on the CPU and 5 on CUDA, complex
/// products 4. Shared mode multiplies by one input channel after the channel sum. The
/// reference formulation moves `B·C·K·n` twice (gather and einsum operand). The constants
/// were fitted to the CPU measurements in the crate's closing note (`gm bench nn`); where the
/// model is unsure, [`BackendChoice::Timed`] measures instead.
pub fn cost(kind: BackendKind, lowering: &Lowering, shape: &ConvShape) -> f64 {
    let (b, c, o) = (
        shape.batch as f64,
        shape.in_channels as f64,
        shape.out_channels as f64,
    );
    let (k, n) = (lowering.kernel_size() as f64, lowering.order() as f64);
    let ci = match shape.mode {
        ChannelMode::Shared => 1.0,
        ChannelMode::Full => c,
    };
    let (conv, fft) = if lowering.device().is_cuda() {
        (0.5, 5.0)
    } else {
        (2.0, 10.0)
    };
    let channel_sum = if ci == 1.0 { 4.0 * b * c * n } else { 0.0 };
    match kind {
        BackendKind::Gather => channel_sum + 4.0 * b * ci * k * n + b * o * ci * k * n,
        BackendKind::Reference => 8.0 * b * c * k * n + b * c * k * n + b * o * k * n * ci,
        BackendKind::Cudnn => channel_sum + 4.0 * b * ci * n + conv * b * o * ci * k * n,
        BackendKind::Fourier => {
            let transform = fft * n * n.log2().max(1.0);
            channel_sum + transform * (b * ci + o * ci + b * o) + 4.0 * b * o * ci * n / 2.0
        }
    }
}

/// Picks a backend for `lowering` and `shape` according to `choice`.
///
/// # Errors
/// [`crate::NnError::BackendUnavailable`] for a fixed backend that does not apply;
/// [`crate::NnError::Torch`] when timing fails.
pub fn plan(
    lowering: &Lowering,
    shape: &ConvShape,
    choice: BackendChoice,
) -> Result<Box<dyn ConvBackend>> {
    match choice {
        BackendChoice::Fixed(kind) => backend::build(kind, lowering),
        BackendChoice::Auto => {
            let mut all = candidates(lowering);
            all.sort_by(|a, b| {
                cost(a.kind(), lowering, shape).total_cmp(&cost(b.kind(), lowering, shape))
            });
            Ok(all.remove(0))
        }
        BackendChoice::Timed => {
            let mut best: Option<(f64, Box<dyn ConvBackend>)> = None;
            for candidate in candidates(lowering) {
                let seconds = time_once(candidate.as_ref(), lowering, shape)?;
                if best.as_ref().is_none_or(|(t, _)| seconds < *t) {
                    best = Some((seconds, candidate));
                }
            }
            Ok(best.expect("gather always applies").1)
        }
    }
}

/// Seconds of one forward + backward pass of `backend` on a random input of `shape` (after
/// one warm-up pass).
///
/// # Errors
/// [`crate::NnError::Torch`] from libtorch.
pub fn time_once(backend: &dyn ConvBackend, lowering: &Lowering, shape: &ConvShape) -> Result<f64> {
    let device = lowering.device();
    let n = lowering.order() as i64;
    let ci = match shape.mode {
        ChannelMode::Shared => 1,
        ChannelMode::Full => shape.in_channels as i64,
    };
    let x = Tensor::f_randn(
        [shape.batch as i64, shape.in_channels as i64, n],
        (Kind::Float, device),
    )?
    .set_requires_grad(true);
    let w = Tensor::f_randn(
        [shape.out_channels as i64, ci, lowering.kernel_size() as i64],
        (Kind::Float, device),
    )?
    .set_requires_grad(true);
    let pass = || -> Result<()> {
        backend.forward(&x, &w)?.f_sum(Kind::Float)?.f_backward()?;
        Ok(())
    };
    pass()?;
    sync(device);
    let start = Instant::now();
    pass()?;
    sync(device);
    Ok(start.elapsed().as_secs_f64())
}

/// Waits for queued CUDA work (a no-op on the CPU).
pub(crate) fn sync(device: tch::Device) {
    if let tch::Device::Cuda(i) = device {
        tch::Cuda::synchronize(i as i64);
    }
}
