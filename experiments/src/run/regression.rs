//! The regression protocol of `gm run` (plumes, JetFlow): the autoregressive protocol of Wang,
//! Walters & Yu (ICML 2022).
//!
//! Loads the trajectories, cuts them with [`plume_splits`] (train / validation / future test /
//! domain test), builds the regression model of `model.regression_model`
//! ([`gm_nn::model::ReferenceRegression`], the reference's, or
//! [`gm_nn::model::RelaxedRegression`]), trains it with [`fit`] and the [`Rollout`] objective,
//! then rolls the best-validation weights out over the test windows and reports the RMSE
//! `√(mean per-step MSE)` on the future and the domain test. The test rollout has
//! `regression.test_rollout` steps (20), or fewer when the trajectories are too short for it
//! ([`fit_protocol`]); the run says so and records the steps used. For scale it also reports
//! the RMSE of persistence (the last input frame repeated) on both tests.
//!
//! The GM layers time their applicable backends once on the device (`BackendChoice::Timed`,
//! planned for the training batch size) and keep the fastest; they agree to float rounding.
//!
//! Besides the common run files it writes [`ROLLOUT_FIELDS`]: the predicted and true fields of
//! the first domain-test window (the first held-out simulation from frame 0).
use super::model::{describe, regression_model};
use super::{mean_epoch_seconds, tested_val_metric, write_result, RunOptions, RunResult};
use crate::config::{Dataset, ExperimentConfig, ModelKind, RegressionConfig, RegressionModel};
use crate::data::{load_trajectories, DataError, TrajectorySet};
use crate::symmetry::{
    symmetry_error, vector_rotation_error, ImageGroup, InvarianceCheck, Response,
};
use crate::train::{
    atomic_write, evaluate, fit, fit_protocol, parameter_count, plume_splits, PenalisedRollout,
    PlumeSplits, ProtocolFit, Rollout, TensorData, TrainSettings,
};
use anyhow::{Context, Result};
use gm_nn::device::device_name;
use gm_nn::precision::PrecisionPolicy;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::Path;
use tch::nn::{ModuleT, VarStore};
use tch::{Device, Kind, Tensor};

/// File name of the sample rollout: safetensors with two f32 tensors, `predicted` and `true`,
/// each `(T, C, H, W)` (T = test rollout steps, C = 2 velocity components).
pub const ROLLOUT_FIELDS: &str = "rollout_fields.safetensors";

/// The tests of a regression run (`result.json`, key `regression`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RegressionResult {
    /// RMSE on the future test (training simulations, later frames).
    #[serde(deserialize_with = "super::result::null_as_nan")]
    pub rmse_future: f64,
    /// RMSE on the domain test (held-out simulations).
    #[serde(deserialize_with = "super::result::null_as_nan")]
    pub rmse_domain: f64,
    /// Mean squared error of the future test.
    #[serde(deserialize_with = "super::result::null_as_nan")]
    pub mse_future: f64,
    /// Mean squared error of the domain test.
    #[serde(deserialize_with = "super::result::null_as_nan")]
    pub mse_domain: f64,
    /// RMSE on the future test of persistence (the last input frame repeated), for scale.
    #[serde(deserialize_with = "super::result::null_as_nan")]
    pub rmse_future_persistence: f64,
    /// RMSE on the domain test of persistence.
    #[serde(deserialize_with = "super::result::null_as_nan")]
    pub rmse_domain_persistence: f64,
    /// Steps the tests rolled out.
    pub test_rollout: usize,
    /// Steps the config asked for (more than `test_rollout` when the trajectories were too
    /// short).
    pub configured_test_rollout: usize,
    /// Number of windows per part: `train`, `val`, `test_future`, `test_domain`.
    pub windows: BTreeMap<String, usize>,
    /// Frames of the shortest trajectory.
    pub frames: usize,
    /// Number of simulations (or sequences) and how many were held out.
    pub simulations: usize,
    /// Simulations held out for the domain test.
    pub held_out: usize,
    /// The sample rollout's file in the run directory ([`ROLLOUT_FIELDS`]).
    pub rollout_fields: String,
    /// Which window it shows.
    pub rollout_window: String,
    /// The trained model's equivariance error under quarter turns of the plume (grid and
    /// velocities turned together; [`crate::symmetry::vector_rotation_error`]) on the domain
    /// test; `None` on a non-square grid (and in results written before it was measured).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rotation_equivariance: Option<InvarianceCheck>,
}

/// The persistence forecast: the next frame is the last input frame (`channels` channels).
#[derive(Debug)]
struct Persistence {
    channels: i64,
}

impl tch::nn::ModuleT for Persistence {
    fn forward_t(&self, xs: &Tensor, _train: bool) -> Tensor {
        let c = xs.size()[1];
        xs.narrow(1, c - self.channels, self.channels)
    }
}

/// `gm data plume --kind KIND` for a plume dataset.
fn plume_kind(dataset: Dataset) -> Option<&'static str> {
    match dataset {
        Dataset::PlumeTranslation => Some("translation"),
        Dataset::PlumeRotation => Some("rotation"),
        Dataset::PlumeScale => Some("scale"),
        _ => None,
    }
}

/// Loads the trajectories; a missing plume set names the exact `gm data plume` command.
fn load(cfg: &ExperimentConfig) -> Result<TrajectorySet> {
    match load_trajectories(&cfg.data) {
        Ok(set) => Ok(set),
        Err(e @ DataError::Missing { .. }) => {
            let dir = Path::new(&cfg.data.dir);
            let Some(kind) = plume_kind(cfg.data.dataset) else {
                return Err(e.into());
            };
            let sub = format!("plume-{kind}");
            let hint = if dir.file_name().is_some_and(|n| *n == *sub) {
                let root = dir
                    .parent()
                    .filter(|p| !p.as_os_str().is_empty())
                    .unwrap_or(Path::new("."));
                format!(
                    "make them with `gm data plume --kind {kind} --out {}` (the whole set: 310 \
                     steps per simulation; --sims N --steps T for a smaller one)",
                    root.display()
                )
            } else {
                format!(
                    "`gm data plume --kind {kind} --out ROOT` writes ROOT/{sub}; point \
                     data.dir at it (--set data.dir=ROOT/{sub})"
                )
            };
            Err(anyhow::Error::new(e).context(format!(
                "`gm run {}` needs the trajectories sim_000.npy, sim_001.npy, ... (float32 \
                 [T, 2, 64, 64]) in {}: {hint}",
                cfg.name,
                dir.display()
            )))
        }
        Err(e) => Err(e.into()),
    }
}

/// Writes the predicted and true fields `(T, C, H, W)` of the first window of `data` to
/// `path` (atomically).
fn write_rollout_fields(
    model: &dyn ModuleT,
    data: &TensorData,
    steps: usize,
    device: Device,
    precision: &PrecisionPolicy,
    path: &Path,
) -> Result<()> {
    let (x, y) = data.batch(&[0], device)?;
    let predicted = tch::no_grad(|| Rollout::predict(model, &x, steps, false, precision))?;
    let cpu = |t: &Tensor| -> Result<Tensor> {
        Ok(t.f_get(0)?
            .f_to_kind(Kind::Float)?
            .f_to_device(Device::Cpu)?
            .f_contiguous()?)
    };
    let tensors = [("predicted", cpu(&predicted)?), ("true", cpu(&y)?)];
    atomic_write::write_with(path, |tmp| {
        Tensor::write_safetensors(&tensors, tmp).map_err(std::io::Error::other)
    })
    .with_context(|| format!("writing {}", path.display()))
}

/// A regression config's data cut by its protocol: the trajectories, how the protocol fits
/// them, and the windows of each part.
pub(crate) struct ProtocolWindows {
    /// The trajectories.
    pub set: TrajectorySet,
    /// How the protocol fits them ([`fit_protocol`]).
    pub fitted: ProtocolFit,
    /// The configured protocol.
    pub configured: RegressionConfig,
    /// The protocol as run: the test rollout shortened to what the trajectories allow.
    pub protocol: RegressionConfig,
    /// The windows (truncated to the `[quick]` limits for a quick run).
    pub splits: PlumeSplits,
    /// The simulations of the domain test.
    pub domain_sims: Vec<usize>,
}

/// Loads `cfg`'s trajectories and cuts them into the protocol's windows (`quick`: as a
/// `--quick` run does); says so when the test rollout had to be shortened.
///
/// # Errors
/// Missing or too short trajectories.
pub(crate) fn protocol_windows(cfg: &ExperimentConfig, quick: bool) -> Result<ProtocolWindows> {
    let protocol = cfg
        .regression
        .clone()
        .context("regression experiments have a [regression] section")?;
    let set = load(cfg)?;
    let fitted = fit_protocol(&set, &protocol).with_context(|| {
        format!(
            "{} trajectories in {}",
            set.trajectories.len(),
            cfg.data.dir
        )
    })?;
    let steps = fitted.test_rollout;
    if fitted.shortened(&protocol) {
        eprintln!(
            "note: the trajectories are too short for {}-step test rollouts (shortest training \
             one: {} frames, held-out: {}); testing {steps}-step rollouts",
            protocol.test_rollout, fitted.train_frames, fitted.held_out_frames
        );
    }
    let mut r = protocol.clone();
    r.test_rollout = steps;
    let mut splits = plume_splits(&set, &r)?;
    let (_, domain_sims) = r
        .partition(set.trajectories.len())
        .map_err(anyhow::Error::msg)?;
    if quick {
        let q = &cfg.quick;
        splits.train = splits.train.truncate(q.max_train)?;
        splits.val = splits.val.truncate(q.max_test)?;
        splits.test_future = splits.test_future.truncate(q.max_test)?;
        splits.test_domain = splits.test_domain.truncate(q.max_test)?;
    }
    Ok(ProtocolWindows {
        set,
        fitted,
        configured: protocol,
        protocol: r,
        splits,
        domain_sims,
    })
}

/// Test windows the equivariance error is measured on (at most).
pub const EQUIVARIANCE_SAMPLES: usize = 64;

/// Trains and tests a regression experiment in `run_dir` (see the module docs).
///
/// # Errors
/// Missing or too short trajectories, model, training and I/O errors.
pub fn run(
    cfg: &ExperimentConfig,
    run_dir: &Path,
    opts: &RunOptions,
    device: Device,
) -> Result<RunResult> {
    let ProtocolWindows {
        set,
        fitted,
        configured: protocol,
        protocol: r,
        splits,
        domain_sims,
    } = protocol_windows(cfg, opts.quick)?;
    let steps = r.test_rollout;
    let first = &set.trajectories[0];
    let (channels, height, width) = (first.channels, first.height, first.width);
    let mut vs = VarStore::new(device);
    let model = regression_model(
        cfg,
        &vs,
        (r.input_frames * channels, channels),
        (height, width),
    )?;
    let net = model.as_ref();
    let model: &dyn ModuleT = net;
    let precision = PrecisionPolicy::new(cfg.train.precision, device);
    let parameters = parameter_count(&vs);
    let model_name = match (cfg.model.kind, cfg.model.regression_model) {
        (ModelKind::Gm, RegressionModel::RelaxedRank) => {
            format!("{} rank {}", describe(cfg), cfg.model.relaxed_rank)
        }
        _ => describe(cfg),
    };
    eprintln!(
        "{}: {model_name} ({parameters} parameters) on {}; {} simulations ({} held \
         out), {} frames; windows {} train / {} validation / {} future test / {} domain test; \
         {}-step training and {steps}-step test rollouts",
        cfg.name,
        device_name(device),
        set.trajectories.len(),
        domain_sims.len(),
        fitted.train_frames.min(fitted.held_out_frames),
        splits.train.len(),
        splits.val.len(),
        splits.test_future.len(),
        splits.test_domain.len(),
        r.train_rollout,
    );
    let mut settings = TrainSettings::from_config(&cfg.train, cfg.seed);
    settings.resume = opts.resume;
    let summary = fit(
        model,
        &mut vs,
        &PenalisedRollout { net },
        &splits.train,
        &splits.val,
        &settings,
        run_dir,
    )?;
    let test = |data: &TensorData| {
        evaluate(
            model,
            &Rollout,
            data,
            cfg.train.batch_size,
            device,
            precision,
        )
    };
    let (mse_future, rmse_future) = test(&splits.test_future)?;
    let (mse_domain, rmse_domain) = test(&splits.test_domain)?;
    let persistence = Persistence {
        channels: channels as i64,
    };
    let baseline = |data: &TensorData| {
        evaluate(
            &persistence,
            &Rollout,
            data,
            cfg.train.batch_size,
            device,
            PrecisionPolicy::fp32(),
        )
        .map(|(_, rmse)| rmse)
    };
    let rmse_future_persistence = baseline(&splits.test_future)?;
    let rmse_domain_persistence = baseline(&splits.test_domain)?;
    write_rollout_fields(
        model,
        &splits.test_domain,
        steps,
        device,
        &precision,
        &run_dir.join(ROLLOUT_FIELDS),
    )?;
    // One step of the trained model under the pixel group (exactly equivariant when every
    // relaxed layer's position part is zero, or every error vector of the reference model is
    // constant; the relaxation makes it measurably not), for the models whose group acts on
    // the pixel grid (not p4-field's p4).
    let group = ImageGroup::of(&cfg.model, height, width)?;
    let (probe, batch) = (&splits.test_domain, cfg.train.batch_size);
    let equivariance = group
        .images_on_group()
        .then(|| {
            let response = Response::Equivariant;
            symmetry_error(
                model,
                &group,
                response,
                probe,
                EQUIVARIANCE_SAMPLES,
                batch,
                device,
            )
        })
        .transpose()?;
    // Quarter turns of the plume, velocities turned with the grid (square grids only).
    let rotation_equivariance = (height == width)
        .then(|| vector_rotation_error(model, probe, EQUIVARIANCE_SAMPLES, batch, device))
        .transpose()?;
    let held_file = domain_sims.first().and_then(|&k| set.files.get(k));
    let rollout_window = format!(
        "domain test window 0: {}, input frames 0..{}, predicted frames {}..{}",
        held_file.map_or("the first held-out simulation".into(), |f| f
            .display()
            .to_string()),
        r.input_frames,
        r.input_frames,
        r.input_frames + steps
    );
    let windows = [
        ("train", splits.train.len()),
        ("val", splits.val.len()),
        ("test_future", splits.test_future.len()),
        ("test_domain", splits.test_domain.len()),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .collect();
    let result = RunResult {
        experiment: cfg.name.clone(),
        model: model_name,
        parameters,
        metric: "rmse".into(),
        test_metric: rmse_future,
        test_loss: mse_future,
        val_metric: tested_val_metric(&summary, cfg.train.evaluate),
        epochs: summary.history.len(),
        best_epoch: summary.best_epoch,
        train_seconds: summary.train_seconds,
        device: device_name(device),
        quick: opts.quick,
        seconds_per_epoch: mean_epoch_seconds(&summary),
        invariance: equivariance,
        rotation: None,
        regression: Some(RegressionResult {
            rmse_future,
            rmse_domain,
            mse_future,
            mse_domain,
            rmse_future_persistence,
            rmse_domain_persistence,
            test_rollout: steps,
            configured_test_rollout: protocol.test_rollout,
            windows,
            frames: fitted.train_frames.min(fitted.held_out_frames),
            simulations: set.trajectories.len(),
            held_out: domain_sims.len(),
            rollout_fields: ROLLOUT_FIELDS.into(),
            rollout_window,
            rotation_equivariance,
        }),
    };
    write_result(run_dir, &result)?;
    Ok(result)
}
