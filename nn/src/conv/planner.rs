//! The backend planner: a cost model, optionally replaced by timing the candidates (the median
//! of a few passes each).

use super::backend::{self, BackendKind, ConvBackend, REGISTRY};
use super::config::{BackendChoice, ChannelMode};
use super::cost::CostTerms;
use crate::device::synchronize;
use crate::lowering::Lowering;
use crate::Result;
use std::time::Instant;
use tch::{Kind, Tensor};

pub use super::backend::IRREP_LIMIT;
pub use super::cost::ConvShape;

/// The backend kinds that apply to `lowering`, decided without building them, in the
/// [`REGISTRY`]'s order: each entry's own `applies` (gather and reference always; cuDNN and
/// Fourier on `Z_W`/`Z_H×Z_W` grids; irreps up to [`IRREP_LIMIT`]).
pub fn applicable(lowering: &Lowering) -> Vec<BackendKind> {
    REGISTRY
        .iter()
        .filter(|r| (r.applies)(lowering))
        .map(|r| r.kind)
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

/// The cost model: an estimate of one forward pass of `kind` on the lowering's device, in the
/// units of that device's [`Prices`](super::cost::Prices) (only the ranking matters), as the
/// backend's [`Registration`](super::backend::Registration) states it over the
/// [`CostTerms`] of `lowering` and `shape`. Shared mode pays one channel sum and then works
/// on one input channel. Where the model is unsure, [`BackendChoice::Timed`] measures
/// instead.
pub fn cost(kind: BackendKind, lowering: &Lowering, shape: &ConvShape) -> f64 {
    (kind.registration().cost)(&CostTerms::new(lowering, shape))
}

/// Picks a backend for `lowering` and `shape` according to `choice`.
///
/// # Errors
/// [`crate::NnError::BackendUnavailable`] for a fixed backend that does not apply; the
/// error of a chosen backend (the cheapest, or any of the [`timed_candidates`] when timing)
/// that fails to build;
/// [`crate::NnError::Torch`] when timing fails.
pub fn plan(
    lowering: &Lowering,
    shape: &ConvShape,
    choice: BackendChoice,
) -> Result<Box<dyn ConvBackend>> {
    match choice {
        BackendChoice::Fixed(kind) => backend::build(kind, lowering),
        BackendChoice::Auto => backend::build(by_cost(lowering, shape)[0].1, lowering),
        BackendChoice::Timed => {
            let mut best: Option<(f64, Box<dyn ConvBackend>)> = None;
            for kind in timed_candidates(lowering, shape) {
                let candidate = backend::build(kind, lowering)?;
                let seconds = time_median(candidate.as_ref(), lowering, shape)?;
                if best.as_ref().is_none_or(|(t, _)| seconds < *t) {
                    best = Some((seconds, candidate));
                }
            }
            Ok(best.expect("gather always applies").1)
        }
    }
}

/// [`BackendChoice::Timed`] times only the applicable backends the cost model prices within
/// this factor of its cheapest. The model's misrankings seen in training were within 1.6×
/// (docs/nn-layers.md); what it prices far above the cheapest is not worth a probe: the
/// reference formulation, priced 8–12× the cheapest on the reference models' shapes, gathers
/// a `B×C×K×n` tensor (6 GB for the CIFAR-10 model) and took about 8 minutes per probe on a
/// 2-core CPU.
pub const TIMED_WITHIN: f64 = 4.0;

/// The backends [`BackendChoice::Timed`] times for `lowering` and `shape`: the applicable ones
/// the cost model prices within [`TIMED_WITHIN`] of its cheapest, cheapest first (never
/// empty: the cheapest is always in).
pub fn timed_candidates(lowering: &Lowering, shape: &ConvShape) -> Vec<BackendKind> {
    let priced = by_cost(lowering, shape);
    let cheapest = priced[0].0;
    priced
        .into_iter()
        .filter(|&(c, _)| c <= TIMED_WITHIN * cheapest)
        .map(|(_, k)| k)
        .collect()
}

/// The applicable backends with their [`cost`], cheapest first (never empty: gather always
/// applies).
fn by_cost(lowering: &Lowering, shape: &ConvShape) -> Vec<(f64, BackendKind)> {
    let mut priced: Vec<(f64, BackendKind)> = applicable(lowering)
        .into_iter()
        .map(|k| (cost(k, lowering, shape), k))
        .collect();
    priced.sort_by(|a, b| a.0.total_cmp(&b.0));
    priced
}

/// How many timed passes [`BackendChoice::Timed`] takes the median of, per candidate.
pub const TIMED_REPEATS: usize = 3;

/// The median of [`TIMED_REPEATS`] calls of [`time_once`] (each a warm-up pass and a timed
/// forward + backward pass of `backend` on a random input of `shape`): what
/// [`BackendChoice::Timed`] compares.
///
/// # Errors
/// [`crate::NnError::Torch`] from libtorch.
pub fn time_median(
    backend: &dyn ConvBackend,
    lowering: &Lowering,
    shape: &ConvShape,
) -> Result<f64> {
    let mut times = (0..TIMED_REPEATS)
        .map(|_| time_once(backend, lowering, shape))
        .collect::<Result<Vec<f64>>>()?;
    times.sort_by(f64::total_cmp);
    Ok(times[TIMED_REPEATS / 2])
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
