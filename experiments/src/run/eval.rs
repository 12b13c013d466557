//! `gm eval`: a trained run's weights tested again, on its own test set or on another data
//! directory of the same kind, written to `eval.json` beside `result.json` (nothing else in
//! the run directory is touched).
//!
//! The test is the run's: the same model, precision, batch size and test split (a `--quick`
//! run's truncated test set when it is the run's own data), so with the checkpoint the run
//! tested (the default) a classification run's accuracy and loss equal `result.json`'s
//! exactly. Regression runs are rolled out over the protocol's future and domain test
//! windows; their GM layers time their backends anew, which agree to float rounding.
use super::model::describe;
use super::regression::protocol_windows;
use super::trained::{CheckpointChoice, TrainedRun};
use super::trained_error::TrainedRunError;
use crate::config::{ExperimentConfig, Task};
use crate::data::load_images;
use crate::train::{atomic_write, evaluate, Classification, Rollout, TensorData};
use anyhow::{Context, Result};
use gm_nn::precision::PrecisionPolicy;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use std::time::Instant;
use tch::nn::ModuleT;
use tch::{Device, Kind};

/// File name of the evaluation, beside `result.json`.
pub const EVAL: &str = "eval.json";

/// What to evaluate.
#[derive(Debug, Clone, Default)]
pub struct EvalOptions {
    /// A data directory of the run's dataset instead of the config's `data.dir`.
    pub data: Option<PathBuf>,
    /// Which weights.
    pub checkpoint: CheckpointChoice,
}

/// The accuracy on one class.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClassAccuracy {
    /// The label.
    pub class: usize,
    /// Test samples of that label.
    pub samples: usize,
    /// The fraction of them classified correctly (`NaN`, written `null`, without samples).
    #[serde(deserialize_with = "super::result::null_as_nan")]
    pub accuracy: f64,
}

/// The rollout errors of a regression run's tests.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RolloutErrors {
    /// RMSE on the future test (training simulations, later frames).
    #[serde(deserialize_with = "super::result::null_as_nan")]
    pub rmse_future: f64,
    /// RMSE on the domain test (held-out simulations).
    #[serde(deserialize_with = "super::result::null_as_nan")]
    pub rmse_domain: f64,
    /// Steps rolled out.
    pub test_rollout: usize,
    /// Windows of the future and the domain test.
    pub windows: (usize, usize),
}

/// What `gm eval` reports (`eval.json`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EvalReport {
    /// Experiment name.
    pub experiment: String,
    /// Model description.
    pub model: String,
    /// The weights file evaluated.
    pub checkpoint: PathBuf,
    /// The data directory.
    pub data: PathBuf,
    /// `accuracy` or `rmse`.
    pub metric: String,
    /// Accuracy, or the future test's RMSE (as `result.json`'s `test_metric`).
    #[serde(deserialize_with = "super::result::null_as_nan")]
    pub test_metric: f64,
    /// Cross-entropy, or the future test's MSE (as `result.json`'s `test_loss`).
    #[serde(deserialize_with = "super::result::null_as_nan")]
    pub test_loss: f64,
    /// Test samples (classification) or future-test windows (regression).
    pub samples: usize,
    /// Accuracy per class (classification).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub per_class: Option<Vec<ClassAccuracy>>,
    /// Rollout errors (regression).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rollout: Option<RolloutErrors>,
    /// Wall seconds of the evaluation (model building and data loading included).
    pub seconds: f64,
}

/// Evaluates the run in `dir` (see the module docs) on `device` and writes `eval.json`.
///
/// # Errors
/// [`TrainedRunError`] for a directory without a run, a missing checkpoint, weights that do
/// not fit the config's model and data of the wrong kind; I/O and libtorch errors.
pub fn eval(dir: &Path, opts: &EvalOptions, device: Device) -> Result<EvalReport> {
    let start = Instant::now();
    let run = TrainedRun::open(dir)?;
    let weights = run.checkpoint(&opts.checkpoint)?;
    let mut cfg = run.config.clone();
    if let Some(data) = &opts.data {
        cfg.data.dir = data.display().to_string();
    }
    // A quick run was tested on its truncated test set; other data is tested whole.
    let truncate = (opts.data.is_none() && run.result.as_ref().is_some_and(|r| r.quick))
        .then_some(cfg.quick.max_test);
    let mut report = match cfg.task {
        Task::Classification => classification(&run, &cfg, &weights, truncate, device)?,
        Task::Regression => regression(&run, &cfg, &weights, truncate.is_some(), device)?,
    };
    report.seconds = start.elapsed().as_secs_f64();
    let path = dir.join(EVAL);
    atomic_write::write_bytes(&path, &serde_json::to_vec_pretty(&report)?)
        .with_context(|| format!("writing {}", path.display()))?;
    Ok(report)
}

/// `cfg`'s dataset and sample shape in words, e.g. `mnist 1×28×28`.
fn data_kind(cfg: &ExperimentConfig, (c, h, w): (usize, usize, usize)) -> String {
    format!("{} {c}×{h}×{w}", cfg.data.dataset.name())
}

/// [`TrainedRunError::WrongData`] for `cfg`'s data directory.
fn wrong_data(
    cfg: &ExperimentConfig,
    shape: (usize, usize, usize),
    found: String,
) -> anyhow::Error {
    TrainedRunError::WrongData {
        dir: PathBuf::from(&cfg.data.dir),
        expected: data_kind(cfg, shape),
        found,
    }
    .into()
}

/// The classification test: accuracy and loss as the run measured them, and per class.
fn classification(
    run: &TrainedRun,
    cfg: &ExperimentConfig,
    weights: &Path,
    truncate: Option<usize>,
    device: Device,
) -> Result<EvalReport> {
    let shape = run.sample_shape();
    let splits = load_images(&cfg.data).map_err(|e| wrong_data(cfg, shape, e.to_string()))?;
    let found = (splits.test.channels, splits.test.height, splits.test.width);
    if found != shape {
        return Err(wrong_data(
            cfg,
            shape,
            format!(
                "{} images of {}×{}×{}",
                splits.test.labels.len(),
                found.0,
                found.1,
                found.2
            ),
        ));
    }
    let classes = cfg.model.classes.unwrap_or(0);
    if let Some(&bad) = splits
        .test
        .labels
        .iter()
        .find(|&&l| l < 0 || l as usize >= classes)
    {
        return Err(wrong_data(
            cfg,
            shape,
            format!("label {bad}, but the model has {classes} classes"),
        ));
    }
    let mut test = TensorData::from_images(&splits.test)?;
    if let Some(n) = truncate {
        test = test.truncate(n)?;
    }
    let (_vs, model) = run.model(weights, shape, device)?;
    let precision = PrecisionPolicy::new(cfg.train.precision, device);
    let batch = cfg.train.batch_size;
    let (test_loss, test_metric) = evaluate(
        model.as_ref(),
        &Classification,
        &test,
        batch,
        device,
        precision,
    )?;
    let per_class = per_class_accuracy(model.as_ref(), &test, classes, batch, device, &precision)?;
    Ok(EvalReport {
        experiment: cfg.name.clone(),
        model: describe(cfg),
        checkpoint: weights.to_path_buf(),
        data: PathBuf::from(&cfg.data.dir),
        metric: "accuracy".into(),
        test_metric,
        test_loss,
        samples: test.len(),
        per_class: Some(per_class),
        rollout: None,
        seconds: 0.0,
    })
}

/// The accuracy of `model` on each of `classes` labels of `data`.
fn per_class_accuracy(
    model: &dyn ModuleT,
    data: &TensorData,
    classes: usize,
    batch: usize,
    device: Device,
    precision: &PrecisionPolicy,
) -> Result<Vec<ClassAccuracy>> {
    let (mut samples, mut correct) = (vec![0usize; classes], vec![0usize; classes]);
    let order: Vec<i64> = (0..data.len() as i64).collect();
    tch::no_grad(|| -> Result<()> {
        for chunk in order.chunks(batch.max(1)) {
            let (x, y) = data.batch(chunk, device)?;
            let predicted = precision.forward(model, &x, false)?.f_argmax(-1, false)?;
            let labels = Vec::<i64>::try_from(y.f_to_kind(Kind::Int64)?.f_to_device(Device::Cpu)?)?;
            let predicted =
                Vec::<i64>::try_from(predicted.f_to_kind(Kind::Int64)?.f_to_device(Device::Cpu)?)?;
            for (&l, &p) in labels.iter().zip(&predicted) {
                samples[l as usize] += 1;
                correct[l as usize] += usize::from(l == p);
            }
        }
        Ok(())
    })?;
    Ok((0..classes)
        .map(|class| ClassAccuracy {
            class,
            samples: samples[class],
            accuracy: correct[class] as f64 / samples[class] as f64,
        })
        .collect())
}

/// The regression tests: rollout RMSEs on the protocol's future and domain test windows.
fn regression(
    run: &TrainedRun,
    cfg: &ExperimentConfig,
    weights: &Path,
    quick: bool,
    device: Device,
) -> Result<EvalReport> {
    let shape = run.sample_shape();
    let windows =
        protocol_windows(cfg, quick).map_err(|e| wrong_data(cfg, shape, format!("{e:#}")))?;
    let first = &windows.set.trajectories[0];
    let found = (first.channels, first.height, first.width);
    if found != shape {
        return Err(wrong_data(
            cfg,
            shape,
            format!("frames of {}×{}×{}", found.0, found.1, found.2),
        ));
    }
    let (_vs, model) = run.model(weights, shape, device)?;
    let precision = PrecisionPolicy::new(cfg.train.precision, device);
    let test = |data: &TensorData| {
        evaluate(
            model.as_ref(),
            &Rollout,
            data,
            cfg.train.batch_size,
            device,
            precision,
        )
    };
    let splits = &windows.splits;
    let (mse_future, rmse_future) = test(&splits.test_future)?;
    let (_, rmse_domain) = test(&splits.test_domain)?;
    Ok(EvalReport {
        experiment: cfg.name.clone(),
        model: describe(cfg),
        checkpoint: weights.to_path_buf(),
        data: PathBuf::from(&cfg.data.dir),
        metric: "rmse".into(),
        test_metric: rmse_future,
        test_loss: mse_future,
        samples: splits.test_future.len(),
        per_class: None,
        rollout: Some(RolloutErrors {
            rmse_future,
            rmse_domain,
            test_rollout: windows.protocol.test_rollout,
            windows: (splits.test_future.len(), splits.test_domain.len()),
        }),
        seconds: 0.0,
    })
}
