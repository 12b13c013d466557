//! `gm run EXP [--set key=value]... [--quick] [--resume] [--out DIR]`: trains and evaluates
//! an experiment, writing everything into its run directory:
//! `config.toml` (the exact config), `metrics.jsonl`, checkpoints, and `result.json`
//! (what `gm report` tabulates); regression runs also write `rollout_fields.safetensors`
//! ([`regression`]).
pub mod regression;

use anyhow::{Context, Result};
use gm_experiments::baseline::PlainCnn;
use gm_experiments::config::{
    load_experiment, overrides::Override, ExperimentConfig, ModelKind, Precision, Symmetry, Task,
};
use gm_experiments::data::{load_images, ImageSet};
use gm_experiments::symmetry::{symmetry_error, ImageGroup, InvarianceCheck, Response};
use gm_experiments::train::{
    checkpoint, evaluate, fit, parameter_count, Classification, FitSummary, RunLock, TensorData,
    TrainSettings,
};
use gm_nn::conv::GMConvConfig;
use gm_nn::model::{Classifier, ClassifierConfig, LiftedClassifier};
use gm_nn::precision::CastModel;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use tch::nn::{ModuleT, VarStore};
use tch::{Device, Kind};

/// What a finished run reports (`result.json`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RunResult {
    /// Experiment name.
    pub experiment: String,
    /// Model description, e.g. `gm axis-product/dihedral t=3`.
    pub model: String,
    /// Trainable parameters.
    pub parameters: usize,
    /// Name of the test metric.
    pub metric: String,
    /// Test metric of the best-validation weights.
    #[serde(deserialize_with = "null_as_nan")]
    pub test_metric: f64,
    /// Test loss.
    #[serde(deserialize_with = "null_as_nan")]
    pub test_loss: f64,
    /// Epochs trained.
    pub epochs: usize,
    /// Epoch of the best validation loss.
    pub best_epoch: usize,
    /// Training wall seconds (all sessions).
    pub train_seconds: f64,
    /// Device, e.g. `cpu` or `cuda:0`.
    pub device: String,
    /// Whether this was a `--quick` smoke run.
    pub quick: bool,
    /// The measured invariance of the trained classifier, or the one-step equivariance of
    /// the trained regression model, under the experiment's symmetry group acting on test
    /// inputs (absent in runs of older versions).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub invariance: Option<InvarianceCheck>,
    /// Mean wall seconds of an epoch (training and validation); absent in older files.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seconds_per_epoch: Option<f64>,
    /// The autoregressive tests of a regression run; absent for classification and in older
    /// files.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub regression: Option<regression::RegressionResult>,
}

/// Reads a float that serde_json wrote as `null` (it writes NaN and ±∞ so, e.g. the RMSE of
/// a diverged rollout) back as NaN.
pub(crate) fn null_as_nan<'de, D: serde::Deserializer<'de>>(d: D) -> Result<f64, D::Error> {
    Ok(Option::<f64>::deserialize(d)?.unwrap_or(f64::NAN))
}

/// `model` as it trains in `precision` on `device`: with bf16 on CUDA it computes in bf16 on
/// its fp32 weights (`gm_nn::precision`; no loss scaling), otherwise it is returned as is
/// (fp16 is autocast inside the trainer; the CPU runs fp32).
pub(crate) fn in_precision(
    model: Box<dyn ModuleT>,
    precision: Precision,
    device: Device,
) -> Box<dyn ModuleT> {
    if precision == Precision::Bf16 && device.is_cuda() {
        Box::new(CastModel::new(model, Kind::BFloat16))
    } else {
        model
    }
}

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

pub(crate) fn describe(cfg: &ExperimentConfig) -> String {
    let m = &cfg.model;
    match m.kind {
        ModelKind::Cnn => format!("cnn {}x{} ch", m.blocks, m.channels),
        ModelKind::Gm => format!(
            "gm {} t={} K={} {}x{} ch",
            match m.symmetry {
                Symmetry::AxisProduct => format!("{:?}/{:?}", m.symmetry, m.axis_group),
                wallpaper => format!("{wallpaper:?}"),
            },
            m.t,
            m.support_size(),
            m.blocks,
            m.channels
        )
        .to_lowercase(),
    }
}

fn build_model(
    cfg: &ExperimentConfig,
    vs: &VarStore,
    images: &ImageSet,
) -> Result<Box<dyn ModuleT>> {
    let in_channels = images.channels;
    let m = &cfg.model;
    let classes = m
        .classes
        .context("classification configs have model.classes")?;
    match m.kind {
        ModelKind::Cnn => Ok(Box::new(PlainCnn::new(
            &vs.root(),
            in_channels,
            m.channels,
            m.blocks,
            m.dropout,
            classes,
        ))),
        ModelKind::Gm => {
            let group = ImageGroup::of(m, images.height, images.width)?;
            let config = ClassifierConfig {
                group: group.spec(),
                support: group.support(m.t),
                in_channels,
                channels: vec![m.channels; m.blocks],
                dropout: m.dropout,
                classes,
                relaxed_rank: m.relaxed_rank,
                conv: GMConvConfig::default(),
            };
            let classifier = Classifier::new(vs.root(), &config)?;
            Ok(match group.lift(vs.device())? {
                None => Box::new(classifier),
                Some(lift) => Box::new(LiftedClassifier::new(lift, classifier)),
            })
        }
    }
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

fn device_name(device: Device) -> String {
    match device {
        Device::Cuda(k) => format!("cuda:{k}"),
        _ => "cpu".into(),
    }
}

fn mean_epoch_seconds(summary: &FitSummary) -> Option<f64> {
    let n = summary.history.len();
    (n > 0).then(|| summary.history.iter().map(|m| m.seconds).sum::<f64>() / n as f64)
}

fn write_result(run_dir: &Path, result: &RunResult) -> Result<()> {
    let path = run_dir.join("result.json");
    checkpoint::write_atomic(&path, &serde_json::to_vec_pretty(result)?)?;
    Ok(())
}

/// Runs `experiment` on `device`: classification (accuracy) or autoregressive regression
/// (rollout RMSE on the future and domain tests, see [`regression`]).
pub fn run(
    experiment: &str,
    overrides: &[Override],
    opts: &RunOptions,
    device: Device,
) -> Result<RunResult> {
    let Prepared {
        cfg,
        run_dir,
        _lock,
    } = prepare(experiment, overrides, opts)?;
    match cfg.task {
        Task::Classification => classify(&cfg, &run_dir, opts, device),
        Task::Regression => regression::run(&cfg, &run_dir, opts, device),
    }
}

fn classify(
    cfg: &ExperimentConfig,
    run_dir: &Path,
    opts: &RunOptions,
    device: Device,
) -> Result<RunResult> {
    let splits = load_images(&cfg.data)?;
    let mut all = TensorData::from_images(&splits.train)?;
    let mut test = TensorData::from_images(&splits.test)?;
    if opts.quick {
        all = all.truncate(cfg.quick.max_train)?;
        test = test.truncate(cfg.quick.max_test)?;
    }
    let (train, val) = all.split(cfg.data.val_fraction, cfg.seed)?;
    let mut vs = VarStore::new(device);
    let model = build_model(cfg, &vs, &splits.train)?;
    let model = in_precision(model, cfg.train.precision, device);
    let parameters = parameter_count(&vs);
    eprintln!(
        "{}: {} ({parameters} parameters) on {device:?}; {} train / {} validation / {} test",
        cfg.name,
        describe(cfg),
        train.len(),
        val.len(),
        test.len()
    );
    let mut settings = TrainSettings::from_config(&cfg.train, cfg.seed);
    settings.resume = opts.resume;
    let summary = fit(
        model.as_ref(),
        &mut vs,
        &Classification,
        &train,
        &val,
        &settings,
        run_dir,
    )?;
    let autocast = settings.mixed_precision && device.is_cuda();
    let (test_loss, test_metric) = evaluate(
        model.as_ref(),
        &Classification,
        &test,
        cfg.train.batch_size,
        device,
        autocast,
    )?;
    // The GM models' group; the CNN baseline is measured under the group its GM
    // counterpart would use.
    let group = ImageGroup::of(&cfg.model, splits.train.height, splits.train.width)?;
    let invariance = symmetry_error(
        model.as_ref(),
        &group,
        Response::Invariant,
        &test,
        INVARIANCE_SAMPLES,
        cfg.train.batch_size,
        device,
    )?;
    let result = RunResult {
        experiment: cfg.name.clone(),
        model: describe(cfg),
        parameters,
        metric: "accuracy".into(),
        test_metric,
        test_loss,
        epochs: summary.history.len(),
        best_epoch: summary.best_epoch,
        train_seconds: summary.train_seconds,
        device: device_name(device),
        quick: opts.quick,
        invariance: Some(invariance.clone()),
        seconds_per_epoch: mean_epoch_seconds(&summary),
        regression: None,
    };
    write_result(run_dir, &result)?;
    println!(
        "{}: test accuracy {:.4}, {} parameters, {} epochs in {:.1} s (best epoch {}), \
         invariance error {:.1e} under {} -> {}",
        result.experiment,
        result.test_metric,
        result.parameters,
        result.epochs,
        result.train_seconds,
        result.best_epoch,
        invariance.error,
        invariance.group,
        run_dir.display()
    );
    Ok(result)
}

#[cfg(test)]
mod tests {
    use super::*;
    use gm_experiments::data::idx;
    use tch::Tensor;

    #[test]
    fn result_json_of_older_runs_and_non_finite_metrics_is_read() {
        let old = r#"{"experiment": "mnist", "model": "cnn", "parameters": 3, "metric": "accuracy",
            "test_metric": 0.5, "test_loss": 1.0, "epochs": 1, "best_epoch": 1,
            "train_seconds": 2.0, "device": "cpu", "quick": false}"#;
        let r: RunResult = serde_json::from_str(old).unwrap();
        assert!(r.seconds_per_epoch.is_none() && r.regression.is_none());
        // serde_json writes an infinite RMSE (a diverged rollout) as null.
        let diverged = RunResult {
            test_metric: f64::INFINITY,
            ..r
        };
        let json = serde_json::to_string(&diverged).unwrap();
        assert!(json.contains("\"test_metric\":null"), "{json}");
        let back: RunResult = serde_json::from_str(&json).unwrap();
        assert!(back.test_metric.is_nan());
    }

    #[test]
    fn quick_run_of_the_baseline_writes_a_complete_run_directory() {
        tch::set_num_threads(1);
        let dir = tempfile::tempdir().unwrap();
        let data = dir.path().join("digits");
        // 40 train and 10 test 28×28 "digits": label = which quarter holds the bright block.
        let image = |label: usize| -> Vec<u8> {
            (0..784)
                .map(|p| {
                    let (y, x) = (p / 28, p % 28);
                    u8::from((y / 14) * 2 + x / 14 == label % 4) * 255
                })
                .collect()
        };
        let labels = |n: usize| (0..n).map(|i| (i % 10) as u8).collect::<Vec<u8>>();
        let pixels = |n: usize| (0..n).flat_map(|i| image(i % 10)).collect::<Vec<u8>>();
        idx::write_mnist(
            &data,
            28,
            28,
            (&pixels(40), &labels(40)),
            (&pixels(10), &labels(10)),
        )
        .unwrap();
        let sets: Vec<Override> = [
            "model.kind=cnn".to_string(),
            format!("data.dir={}", data.display()),
            "model.channels=4".into(),
        ]
        .iter()
        .map(|s| s.parse().unwrap())
        .collect();
        let opts = RunOptions {
            quick: true,
            resume: false,
            out: Some(dir.path().join("run")),
        };
        let r = run("rot-mnist-digits", &sets, &opts, Device::Cpu).unwrap();
        assert_eq!((r.epochs, r.device.as_str(), r.quick), (1, "cpu", true));
        assert!((0.0..=1.0).contains(&r.test_metric));
        let saved = crate::cli::report::read_result(&dir.path().join("run")).unwrap();
        assert_eq!(saved, r);
        let cfg = std::fs::read_to_string(dir.path().join("run/config.toml")).unwrap();
        assert!(cfg.contains("kind = \"cnn\""), "{cfg}");
        let md = crate::cli::report::table(&[(dir.path().join("run"), saved)]);
        assert!(
            md.contains("| rot-mnist-digits (quick) | cnn 2x4 ch |"),
            "{md}"
        );
        assert!(md.lines().count() == 3);
    }

    /// Writes `n` 28×28 `.amat` lines (784 floats, then the label): a bright bar whose
    /// orientation (0: horizontal, 1: vertical) is the label, at a varying place.
    fn amat_lines(n: usize) -> String {
        (0..n)
            .map(|i| {
                let label = i % 2;
                let (r, c) = (4 + (i * 5) % 16, 4 + (i * 3) % 16);
                let mut line: Vec<String> = (0..784)
                    .map(|p| {
                        let (y, x) = (p / 28, p % 28);
                        let on = if label == 0 {
                            y == r && (c..c + 8).contains(&x)
                        } else {
                            x == c && (r..r + 8).contains(&y)
                        };
                        if on { "1.0" } else { "0.0" }.to_string()
                    })
                    .collect();
                line.push(format!("{label}.0"));
                line.join(" ") + "\n"
            })
            .collect()
    }

    #[test]
    fn quick_runs_of_rot_mnist_p4_and_p4m_lift_train_and_measure_invariance() {
        tch::set_num_threads(1);
        let dir = tempfile::tempdir().unwrap();
        let data = dir.path().join("rot-mnist");
        std::fs::create_dir_all(&data).unwrap();
        let (train, test) =
            gm_experiments::data::amat::files(gm_experiments::config::Dataset::RotMnist);
        std::fs::write(data.join(train), amat_lines(24)).unwrap();
        std::fs::write(data.join(test), amat_lines(8)).unwrap();
        for (symmetry, order) in [("p4", 4 * 64), ("p4m", 8 * 64)] {
            let sets: Vec<Override> = [
                format!("data.dir={}", data.display()),
                format!("model.symmetry={symmetry}"),
                "data.image_size=8".into(),
                "model.channels=4".into(),
                "train.batch_size=8".into(),
            ]
            .iter()
            .map(|s| s.parse().unwrap())
            .collect();
            let out = dir.path().join(symmetry);
            let opts = RunOptions {
                quick: true,
                resume: false,
                out: Some(out.clone()),
            };
            let r = run("rot-mnist-p4", &sets, &opts, Device::Cpu).unwrap();
            assert_eq!(
                r.model,
                format!("gm {symmetry} t=1 k={} 2x4 ch", order / 64 * 9)
            );
            // 2 blocks of 4 channels, K = |P|·9, one kernel per output channel, biases,
            // the 1→4 residual, PReLU, head 4→10.
            let k = order / 64 * 9;
            assert_eq!(
                r.parameters,
                4 * k + 4 + 4 * k + 4 + (4 + 4) + 1 + 4 * 10 + 10
            );
            let inv = r.invariance.clone().unwrap();
            assert_eq!(inv.group, format!("{symmetry}(8)"));
            assert_eq!(inv.samples, 8);
            assert!(
                inv.error < 1e-5,
                "an exact GM classifier is invariant: {inv:?}"
            );
            assert_eq!(crate::cli::report::read_result(&out).unwrap(), r);
        }
    }

    #[test]
    fn the_cnn_baseline_is_not_invariant_under_the_translations() {
        // The plain CNN pads with zeros: cyclic shifts change its logits measurably.
        tch::set_num_threads(1);
        tch::manual_seed(3);
        let vs = VarStore::new(Device::Cpu);
        let cnn = PlainCnn::new(&vs.root(), 1, 4, 2, 0.0, 3);
        let x = Tensor::rand([4, 1, 8, 8], tch::kind::FLOAT_CPU);
        let data = TensorData::new(x, Tensor::zeros([4], tch::kind::INT64_CPU)).unwrap();
        let cfg = load_experiment("rot-mnist-digits-cnn", &[]).unwrap();
        let group = ImageGroup::of(&cfg.model, 8, 8).unwrap();
        let c =
            symmetry_error(&cnn, &group, Response::Invariant, &data, 4, 2, Device::Cpu).unwrap();
        // Its GM counterpart, rot-mnist-digits, uses a dihedral group on each image axis.
        assert_eq!((c.group.as_str(), c.samples), ("D4xD4", 4));
        assert!(c.error > 1e-3, "{c:?}");
    }
}
