//! The planner's cost model: the sizes a plan is made for, the per-device prices of the
//! operations backends are made of, and the terms every backend's estimate is written in.
//! Each backend states its own estimate ([`super::backend::Registration::cost`]).

use super::config::ChannelMode;
use crate::lowering::Lowering;

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

/// Relative prices of the operations the backends are made of, per device.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Prices {
    /// One element gathered, summed or copied (memory-bound).
    pub moved: f64,
    /// One GEMM multiply-add.
    pub gemm: f64,
    /// One multiply-add of a convolution (oneDNN / cuDNN on a `K`-sparse box).
    pub conv: f64,
    /// `c` in `c·n·log₂n` per FFT of length `n`.
    pub fft: f64,
}

impl Prices {
    /// The CPU prices, in GEMM multiply-adds: fitted to `gm bench nn` on the CPU, with the
    /// convolution price refitted to `gm bench train` (the convolution backend trained the
    /// CIFAR-10, rot-MNIST and plume models 1.1–1.6× faster than gather; docs/nn-layers.md).
    pub const CPU: Prices = Prices {
        moved: 4.0,
        gemm: 1.0,
        conv: 0.8,
        fft: 10.0,
    };
    /// The CUDA prices, in elements moved: on an H100 a GEMM multiply-add (tensor cores) costs
    /// a few thousandths of an element's round trip through memory. Fitted to `gm bench nn`
    /// on an H100 (`C32xC32`, `K = 49` and `D14xD14`, `K = 196`, `B = 32`, `C = 120`,
    /// forward + backward: gather 0.40 / 0.56 ms, Fourier 0.64 ms, cuDNN 0.80 ms, reference
    /// 3.13 / 12.06 ms; docs/nn-layers.md).
    pub const CUDA: Prices = Prices {
        moved: 1.0,
        gemm: 0.005,
        conv: 0.08,
        fft: 0.3,
    };
}

/// The quantities a backend's cost estimate is written in, for one lowering and shape.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CostTerms {
    /// `B`.
    pub b: f64,
    /// `C`.
    pub c: f64,
    /// `O`.
    pub o: f64,
    /// `K`, the support size.
    pub k: f64,
    /// `n`, the group order.
    pub n: f64,
    /// The input channels a backend works on: 1 in shared mode (after the channel sum), `C`
    /// in full mode.
    pub ci: f64,
    /// The prices of the lowering's device.
    pub p: Prices,
    /// The price of shared mode's channel sum `B·C·n` (0 in full mode).
    pub channel_sum: f64,
    /// The kernel entries per output channel pair of the convolution form on a
    /// [`TranslationGrid`](crate::lowering::TranslationGrid)
    /// ([`box_taps`](crate::lowering::TranslationGrid::box_taps) over `|P|`: the block row
    /// one output point sums over); `K` for other groups.
    pub box_taps: f64,
    /// 1 when the lowering is a [`TranslationGrid`](crate::lowering::TranslationGrid) whose
    /// element order is not its grid order (a point group `|P| > 1` or a reindexed product),
    /// so the convolution form copies input and output into the grid's order; 0 otherwise.
    pub reorder: f64,
}

impl CostTerms {
    /// The terms of `lowering` (its sizes and device) and `shape`.
    pub fn new(lowering: &Lowering, shape: &ConvShape) -> Self {
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
        let grid = lowering.translation_grid();
        let box_taps = grid.map_or(k, |g| (g.box_taps() / g.point_count()) as f64);
        let reorder = match grid {
            Some(g) if !g.is_grid_order() => 1.0,
            _ => 0.0,
        };
        Self {
            b,
            c,
            o,
            k,
            n,
            ci,
            p,
            channel_sum,
            box_taps,
            reorder,
        }
    }
}
