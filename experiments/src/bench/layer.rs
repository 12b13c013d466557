//! The `gm bench nn` measurement: one GM layer forward + backward, the planner's backend
//! against the reference formulation, in the same run.

use gm_algebra::AnyGroup;
use gm_nn::conv::backend::{self, BackendKind};
use gm_nn::conv::planner::{self, ConvShape};
use gm_nn::conv::{BackendChoice, ChannelMode};
use gm_nn::device::{device_name, synchronize};
use gm_nn::lowering::{grid_group, Axis, Lowering, Support};
use gm_nn::Result;
use serde::{Deserialize, Serialize};
use std::time::Instant;
use tch::{Device, Kind, Tensor};

/// What to measure.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BenchConfig {
    /// The group (a spec in JSON).
    pub group: AnyGroup,
    /// The kernel support.
    pub support: Support,
    /// Batch size `B`.
    pub batch: usize,
    /// Channels `C` (input and output).
    pub channels: usize,
    /// Channel mode.
    pub mode: ChannelMode,
    /// Timed repetitions per backend (after one warm-up).
    pub iterations: usize,
    /// Also time every other applicable backend.
    pub all_backends: bool,
}

impl Default for BenchConfig {
    /// The CPU case: `B = 32`, `C = 120`, `Z_32×Z_32`, `K = 49`, shared mode.
    fn default() -> Self {
        Self {
            group: grid_group(&[Axis::Cyclic(32); 2]).expect("a valid grid"),
            support: Support::Radius(3),
            batch: 32,
            channels: 120,
            mode: ChannelMode::Shared,
            iterations: 5,
            all_backends: true,
        }
    }
}

/// One backend's timing.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BenchEntry {
    /// The backend.
    pub backend: BackendKind,
    /// Median milliseconds of one forward + backward pass.
    pub median_ms: f64,
    /// Fastest pass, milliseconds.
    pub min_ms: f64,
    /// Largest absolute difference of the output from the reference backend's.
    pub max_abs_diff: f64,
}

/// The result of [`layer_forward_backward`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BenchReport {
    /// The configuration measured.
    pub config: BenchConfig,
    /// The device, as text.
    pub device: String,
    /// The backend the planner's cost model picks.
    pub planned: BackendKind,
    /// Every backend timed (the reference first, then the planned one).
    pub entries: Vec<BenchEntry>,
    /// Reference median / planned median.
    pub speedup: f64,
}

/// Times one GM convolution (no bias) forward + backward (gradients of input and weight) with
/// the planner's backend and with the reference formulation, on the same random input and
/// weights (seed 0), on `device`.
///
/// # Errors
/// [`gm_nn::NnError::NotAGrid`] for a radius on a non-grid group, [`gm_nn::NnError::Torch`]
/// from libtorch.
pub fn layer_forward_backward(config: &BenchConfig, device: Device) -> Result<BenchReport> {
    let lowering = Lowering::new(config.group.clone(), &config.support, device)?;
    let shape = ConvShape {
        batch: config.batch,
        in_channels: config.channels,
        out_channels: config.channels,
        mode: config.mode,
    };
    let planned = planner::plan(&lowering, &shape, BackendChoice::Auto)?.kind();
    let mut kinds = vec![BackendKind::Reference, planned];
    kinds.dedup();
    if config.all_backends {
        for b in planner::candidates(&lowering)? {
            if !kinds.contains(&b.kind()) {
                kinds.push(b.kind());
            }
        }
    }
    tch::manual_seed(0);
    let n = lowering.order() as i64;
    let ci = match config.mode {
        ChannelMode::Shared => 1,
        ChannelMode::Full => config.channels as i64,
    };
    let (b, c, k) = (
        config.batch as i64,
        config.channels as i64,
        lowering.kernel_size() as i64,
    );
    let mut x = Tensor::f_randn([b, c, n], (Kind::Float, device))?.set_requires_grad(true);
    let mut w = (Tensor::f_randn([c, ci, k], (Kind::Float, device))? / (k as f64).sqrt())
        .set_requires_grad(true);
    let mut reference_out: Option<Tensor> = None;
    let mut entries = Vec::new();
    for kind in &kinds {
        let backend = backend::build(*kind, &lowering)?;
        let y = tch::no_grad(|| backend.forward(&x, &w))?;
        let diff = match &reference_out {
            Some(r) => y.f_sub(r)?.f_abs()?.f_max()?.f_double_value(&[])?,
            None => 0.0,
        };
        if *kind == BackendKind::Reference {
            reference_out = Some(y);
        }
        let mut times = Vec::new();
        for i in 0..=config.iterations.max(1) {
            x.zero_grad();
            w.zero_grad();
            synchronize(device);
            let start = Instant::now();
            backend.forward(&x, &w)?.f_sum(Kind::Float)?.f_backward()?;
            synchronize(device);
            if i > 0 {
                times.push(start.elapsed().as_secs_f64() * 1e3);
            }
        }
        times.sort_by(f64::total_cmp);
        entries.push(BenchEntry {
            backend: *kind,
            median_ms: times[times.len() / 2],
            min_ms: times[0],
            max_abs_diff: diff,
        });
    }
    let median = |k: BackendKind| {
        entries
            .iter()
            .find(|e| e.backend == k)
            .map_or(f64::NAN, |e| e.median_ms)
    };
    Ok(BenchReport {
        config: config.clone(),
        device: device_name(device),
        planned,
        speedup: median(BackendKind::Reference) / median(planned),
        entries,
    })
}
