//! The backend planner: a cost model, optionally replaced by timing the candidates once.

use super::backend::{self, BackendKind, ConvBackend, CyclicGrid};
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

/// The largest group order for which the [`BackendKind::Irreps`] backend is a candidate (its
/// transforms are dense `n × n` complex matrices).
pub const IRREP_LIMIT: usize = 1024;

/// The backend kinds that apply to `lowering`, decided without building them: gather and
/// reference always; cuDNN and Fourier on `Z_W`/`Z_H×Z_W` grids; irreps up to
/// [`IRREP_LIMIT`].
pub fn applicable(lowering: &Lowering) -> Vec<BackendKind> {
    BackendKind::ALL
        .into_iter()
        .filter(|&k| match k {
            BackendKind::Cudnn | BackendKind::Fourier => CyclicGrid::of(lowering, k).is_ok(),
            BackendKind::Irreps => lowering.order() <= IRREP_LIMIT,
            BackendKind::Gather | BackendKind::Reference => true,
        })
        .collect()
}

/// The applicable backends, built (those whose construction fails are left out).
pub fn candidates(lowering: &Lowering) -> Vec<Box<dyn ConvBackend>> {
    applicable(lowering)
        .into_iter()
        .filter_map(|k| backend::build(k, lowering).ok())
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
        BackendKind::Irreps => {
            // Two dense complex transforms (n × Σd² = n², 4 real multiply-adds each), the
            // kernel transform, and the block products (at most Σ d³ ≤ n^{3/2} per pair).
            channel_sum
                + 4.0 * n * n * (b * ci + b * o)
                + 4.0 * o * ci * k * n
                + 8.0 * b * o * ci * n * n.sqrt()
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
            let mut kinds = applicable(lowering);
            kinds.sort_by(|&a, &b| cost(a, lowering, shape).total_cmp(&cost(b, lowering, shape)));
            let built = kinds
                .into_iter()
                .find_map(|k| backend::build(k, lowering).ok());
            Ok(built.expect("gather always applies"))
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
