//! Running an experiment (`gm run`): the run directory (`config.toml`, `metrics.jsonl`,
//! checkpoints, `result.json`; regression runs also `rollout_fields.safetensors`), and the
//! protocol of each task: [`classify`] and [`regression`]. A run directory read back
//! ([`trained`]) is evaluated again ([`eval`], `gm eval`) and exported for PyTorch
//! ([`export`], `gm export`); a reference GM-CNN state dict becomes a run ([`import`]).
pub mod classify;
pub mod eval;
pub mod export;
pub mod field_models;
pub mod import;
pub mod model;
pub mod reference_state;
pub mod regression;
pub mod result;
pub mod trained;
pub mod trained_error;
pub mod weights;

pub use result::{read_result, write_result, RunResult};
pub use trained::{CheckpointChoice, TrainedRun};
pub use trained_error::TrainedRunError;

use crate::config::{
    load_experiment, overrides::Override, EvaluateWeights, ExperimentConfig, Task,
};
use crate::train::{checkpoint, FitSummary, RunLock};
use anyhow::Result;
use std::path::{Path, PathBuf};
use tch::Device;

/// Test images the invariance error is measured on (at most).
pub const INVARIANCE_SAMPLES: usize = 256;

/// Options of `gm run` besides the config.
#[derive(Debug, Clone)]
pub struct RunOptions {
    /// Shrink epochs and data (`[quick]` section).
    pub quick: bool,
    /// Continue the run in `out`.
    pub resume: bool,
    /// Run directory (default `runs/<experiment>`).
    pub out: Option<PathBuf>,
}

/// Where a run writes, and the config it runs (after `--quick`).
struct Prepared {
    cfg: ExperimentConfig,
    run_dir: PathBuf,
    /// Held until the run ends.
    _lock: RunLock,
}

/// Loads the config, locks the run directory ([`RunLock::claim`]: no second run into it, no
/// overwriting without `--resume`, nothing to resume without a run), writes its `config.toml`
/// and seeds libtorch.
fn prepare(experiment: &str, overrides: &[Override], opts: &RunOptions) -> Result<Prepared> {
    let mut cfg = load_experiment(experiment, overrides)?;
    if opts.quick {
        cfg.make_quick();
    }
    let run_dir = opts
        .out
        .clone()
        .unwrap_or_else(|| Path::new("runs").join(&cfg.name));
    let lock = RunLock::claim(&run_dir, opts.resume)?;
    checkpoint::write_atomic(&run_dir.join("config.toml"), cfg.to_toml().as_bytes())?;
    tch::manual_seed(cfg.seed as i64);
    Ok(Prepared {
        cfg,
        run_dir,
        _lock: lock,
    })
}

/// The mean wall seconds of an epoch of `summary` (`None` before the first epoch).
pub(crate) fn mean_epoch_seconds(summary: &FitSummary) -> Option<f64> {
    let n = summary.history.len();
    (n > 0).then(|| summary.history.iter().map(|m| m.seconds).sum::<f64>() / n as f64)
}

/// The validation metric of the weights a run tests: the best epoch's, or the last epoch's
/// with [`EvaluateWeights::LastEpoch`] (`None` before the first epoch).
pub(crate) fn tested_val_metric(summary: &FitSummary, evaluate: EvaluateWeights) -> Option<f64> {
    let epoch = match evaluate {
        EvaluateWeights::BestValidation => summary.best_epoch,
        EvaluateWeights::LastEpoch => summary.history.last()?.epoch,
    };
    summary
        .history
        .iter()
        .find(|m| m.epoch == epoch)
        .map(|m| m.val_metric)
}

/// A finished run: where it wrote, and what it reports.
#[derive(Debug, Clone, PartialEq)]
pub struct FinishedRun {
    /// The run directory.
    pub run_dir: PathBuf,
    /// Its `result.json`.
    pub result: RunResult,
}

/// Runs `experiment` on `device`: classification (accuracy) or autoregressive regression
/// (rollout RMSE on the future and domain tests, see [`regression`]), in its run directory.
///
/// # Errors
/// A bad config, a finished run in the directory without `--resume`, and the protocols' errors.
pub fn run(
    experiment: &str,
    overrides: &[Override],
    opts: &RunOptions,
    device: Device,
) -> Result<FinishedRun> {
    let Prepared {
        cfg,
        run_dir,
        _lock,
    } = prepare(experiment, overrides, opts)?;
    let result = match cfg.task {
        Task::Classification => classify::run(&cfg, &run_dir, opts, device)?,
        Task::Regression => regression::run(&cfg, &run_dir, opts, device)?,
    };
    Ok(FinishedRun { run_dir, result })
}
