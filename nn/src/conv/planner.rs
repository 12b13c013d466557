//! The backend planner: a cost model, optionally replaced by timing the candidates once.

use super::backend::{self, BackendKind, ConvBackend, CyclicGrid};
use super::config::{BackendChoice, ChannelMode};
use crate::device::synchronize;
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

/// The applicable backends, built.
///
/// # Errors
/// The error of the first applicable backend that fails to build (it says which and why):
/// none is left out silently.
pub fn candidates(lowering: &Lowering) -> Result<Vec<Box<dyn ConvBackend>>> {
    applicable(lowering)
        .into_iter()
        .map(|k| backend::build(k, lowering))
        .collect()
}

/// Relative prices of the operations the backends are made of, per device.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Prices {
    /// One element gathered, summed or copied (memory-bound).
    moved: f64,
    /// One GEMM multiply-add.
    gemm: f64,
    /// One multiply-add of a convolution (oneDNN / cuDNN on a `K`-sparse box).
    conv: f64,
    /// `c` in `c·n·log₂n` per FFT of length `n`.
    fft: f64,
}

impl Prices {
    /// The CPU prices, in GEMM multiply-adds: fitted to `gm bench nn` on the CPU (session 1's
    /// closing note).
    const CPU: Prices = Prices {
        moved: 4.0,
        gemm: 1.0,
        conv: 2.0,
        fft: 10.0,
    };
    /// The CUDA prices, in elements moved: on an H100 a GEMM multiply-add (tensor cores) costs
    /// a few thousandths of an element's round trip through memory. Fitted to `gm bench nn`
    /// on an H100 (`C32xC32`, `K = 49` and `D14xD14`, `K = 196`, `B = 32`, `C = 120`,
    /// forward + backward: gather 0.40 / 0.56 ms, Fourier 0.64 ms, cuDNN 0.80 ms, reference
    /// 3.13 / 12.06 ms; docs/nn-layers.md).
    const CUDA: Prices = Prices {
        moved: 1.0,
        gemm: 0.005,
        conv: 0.08,
        fft: 0.3,
    };
}

/// The cost model: an estimate of one forward pass of `kind` on the lowering's device, in the
/// units of that device's [`Prices`] (only the ranking matters).
///
/// Shared mode pays one channel sum and then works on one input channel. The gather moves
/// `B·K·n` elements and multiplies `(O,K)·(K,n)`; the reference formulation moves `B·C·K·n`
/// twice (gather and einsum operand); cuDNN convolves a `K`-sparse box; the abelian Fourier
/// backend pays `B·C_w + O·C_w + B·O` transforms and a complex product; the irreps backend
/// two dense real transforms of width `W = Σ D²` (taken as `2n`: real irreps of complex
/// type are realified) and its block products. Where the model is unsure,
/// [`BackendChoice::Timed`] measures instead.
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
    let p = if lowering.device().is_cuda() {
        Prices::CUDA
    } else {
        Prices::CPU
    };
    let channel_sum = if ci == 1.0 { p.moved * b * c * n } else { 0.0 };
    match kind {
        BackendKind::Gather => channel_sum + p.moved * b * ci * k * n + p.gemm * b * o * ci * k * n,
        BackendKind::Reference => {
            2.0 * p.moved * b * c * k * n + p.gemm * (b * c * k * n + b * o * k * n * ci)
        }
        BackendKind::Cudnn => channel_sum + p.moved * b * ci * n + p.conv * b * o * ci * k * n,
        BackendKind::Fourier => {
            let transform = p.fft * n * n.log2().max(1.0);
            channel_sum + transform * (b * ci + o * ci + b * o) + p.moved * b * o * ci * n / 2.0
        }
        BackendKind::Irreps => {
            let width = 2.0 * n;
            channel_sum
                + p.gemm * n * width * (b * ci + b * o)
                + p.gemm * o * ci * k * width
                + 2.0 * p.gemm * b * o * ci * width * n.sqrt()
        }
    }
}

/// Picks a backend for `lowering` and `shape` according to `choice`.
///
/// # Errors
/// [`crate::NnError::BackendUnavailable`] for a fixed backend that does not apply; the
/// error of a chosen backend (the cheapest, or any candidate when timing) that fails to build;
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
            backend::build(kinds[0], lowering) // gather always applies: `kinds` is not empty
        }
        BackendChoice::Timed => {
            let mut best: Option<(f64, Box<dyn ConvBackend>)> = None;
            for candidate in candidates(lowering)? {
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
    synchronize(device);
    let start = Instant::now();
    pass()?;
    synchronize(device);
    Ok(start.elapsed().as_secs_f64())
}
