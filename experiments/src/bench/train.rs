//! The `gm bench train` measurement: training throughput of the reference classifiers, measured the way
//! `shared/bench/ref_gmcnn_train.py` measures the reference (random data of the dataset's
//! shape on the device, AdamW with the reference's learning rate and weight decay, warm-up
//! steps, then timed steps between two device synchronisations), so the figures compare
//! directly with that script's and with `pytorch_fast_gmcnn_train.py`'s in the same run; and
//! of the reference regression model of `plume-rotation` (one step = an autoregressive rollout
//! on a random window, the trainer's rollout loss), to compare with
//! `scripts/pytorch_plume_train.py`.
use crate::config::{load_experiment, Precision};
use crate::run::model::build_regression;
use crate::train::adamw::AdamW;
use crate::train::grad_scaler::GradScaler;
use crate::train::objective::Objective;
use crate::train::PenalisedRollout;
use anyhow::{ensure, Context, Result};
use clap::ValueEnum;
use gm_nn::conv::{BackendChoice, BackendKind, GMConvConfig};
use gm_nn::device::synchronize;
use gm_nn::host_memory::KeptHostBlocks;
use gm_nn::model::{parameter_count, Classifier, ClassifierConfig};
use gm_nn::precision::PrecisionPolicy;
use serde::{Deserialize, Serialize};
use std::time::Instant;
use tch::nn::VarStore;
use tch::{Device, Kind, Tensor};

/// Which reference model to train.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ValueEnum)]
#[serde(rename_all = "kebab-case")]
pub enum BenchModel {
    /// The CIFAR-10 classifier: `C32xC32`, `K = 49`, inputs `(B, 3, 32, 32)`.
    Cifar10,
    /// The rotated-MNIST classifier: `D14xD14`, `K = 196`, inputs `(B, 1, 28, 28)`.
    RotMnist,
    /// The reference regression model of the `plume-rotation` experiment at its config's sizes
    /// (`C64xC64`, `K = 9`, 20 input channels = 10 frames, 2 blocks of 120 channels), trained
    /// on 6-step rollouts.
    Plume,
}

impl BenchModel {
    /// The classifier's config and the shape of one input image `(C, H, W)`; `None` for the
    /// regression model.
    pub fn classifier(self) -> Option<(ClassifierConfig, [i64; 3])> {
        match self {
            BenchModel::Cifar10 => Some((ClassifierConfig::cifar10(), [3, 32, 32])),
            BenchModel::RotMnist => Some((ClassifierConfig::rot_mnist(), [1, 28, 28])),
            BenchModel::Plume => None,
        }
    }

    /// The batch size of the reference timing (the plume model's: its config's).
    pub fn default_batch(self) -> usize {
        match self {
            BenchModel::Cifar10 => 256,
            BenchModel::RotMnist => 128,
            BenchModel::Plume => 32,
        }
    }
}

/// How the models' blocks run ([`Classifier::set_fused_blocks`],
/// [`gm_nn::model::FieldNet::set_fused_blocks`]): fused where the fused block applies
/// (shared-mode blocks on the CPU; elsewhere composed), or composed of libtorch operations on
/// the planned backend everywhere.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ValueEnum)]
#[serde(rename_all = "kebab-case")]
pub enum BlockForm {
    /// Fused where it applies (the default of every classifier).
    Fused,
    /// Composed of libtorch operations.
    Composed,
}

impl std::fmt::Display for BlockForm {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.pad(match self {
            BlockForm::Fused => "fused",
            BlockForm::Composed => "composed",
        })
    }
}

/// One measurement to make.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct TrainBenchCase {
    /// The model.
    pub model: BenchModel,
    /// Batch size.
    pub batch: usize,
    /// How the GM convolutions choose their backend.
    pub backend: BackendChoice,
    /// Arithmetic (`fp16`: autocast + loss scaling, as the reference runner; `bf16`: bf16
    /// activations with fp32 weights).
    pub precision: Precision,
    /// How the models' blocks run.
    pub blocks: BlockForm,
}

/// The cases of `gm bench train`: every backend × precision for one model and batch size.
#[derive(Debug, Clone)]
pub struct TrainSweep {
    /// The model.
    pub model: BenchModel,
    /// Batch size.
    pub batch: usize,
    /// Backend choices to compare.
    pub backends: Vec<BackendChoice>,
    /// Precisions to compare.
    pub precisions: Vec<Precision>,
    /// Block forms to compare.
    pub block_forms: Vec<BlockForm>,
    /// Untimed warm-up steps.
    pub warmup: usize,
    /// Timed steps.
    pub steps: usize,
}

impl TrainSweep {
    /// Every case of the sweep, block forms outermost, then backends.
    pub fn cases(&self) -> Vec<TrainBenchCase> {
        let mut cases = Vec::new();
        for &blocks in &self.block_forms {
            for &backend in &self.backends {
                for &precision in &self.precisions {
                    cases.push(TrainBenchCase {
                        model: self.model,
                        batch: self.batch,
                        backend,
                        precision,
                        blocks,
                    });
                }
            }
        }
        cases
    }
}

/// The outcome of one [`TrainBenchCase`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TrainBenchResult {
    /// What was measured.
    pub case: TrainBenchCase,
    /// The device, as text.
    pub device: String,
    /// Trainable parameters of the model.
    pub parameters: usize,
    /// The backends the blocks' GM convolutions were planned on.
    pub backends: Vec<BackendKind>,
    /// Which blocks ran fused (then their convolution did not run on its backend).
    pub fused: Vec<bool>,
    /// Timed optimiser steps.
    pub steps: usize,
    /// Mean milliseconds per step.
    pub ms_per_step: f64,
    /// Training samples per second: images for the classifiers, rollout windows (10 input
    /// frames and the 6 frames the rollout predicts) for [`BenchModel::Plume`].
    pub images_per_s: f64,
    /// The loss of the last step (a sanity check: finite).
    pub last_loss: f64,
}

/// Trains the case's model for `warmup` untimed and then `steps` timed AdamW steps
/// (`lr = 4e-3`, weight decay `0.0153`) on one fixed random batch, on `device`: a classifier
/// with cross-entropy and dropout on; the plume model (see `plume_step`) on rollouts.
///
/// # Errors
/// A model that cannot be built (e.g. a fixed backend that does not apply), libtorch errors,
/// a non-finite loss, or `steps = 0`.
pub fn measure(
    case: &TrainBenchCase,
    warmup: usize,
    steps: usize,
    device: Device,
) -> Result<TrainBenchResult> {
    ensure!(steps > 0, "at least one timed step is needed");
    if device.is_cuda() {
        tch::Cuda::cudnn_set_benchmark(true);
    }
    tch::manual_seed(0);
    let vs = VarStore::new(device);
    let precision = PrecisionPolicy::new(case.precision, device);
    let Ran {
        backends,
        fused,
        timed: (seconds, last_loss),
    } = match case.model.classifier() {
        Some((mut config, [c, h, w])) => {
            config.conv = GMConvConfig {
                backend: case.backend,
                batch_hint: case.batch,
                ..config.conv
            };
            let mut model = Classifier::new(vs.root(), &config)?;
            model.set_fused_blocks(case.blocks == BlockForm::Fused);
            let fused = model.fused_on(device, precision.activations());
            let b = case.batch as i64;
            let x = Tensor::f_randn([b, c, h, w], (Kind::Float, device))?;
            let y = Tensor::f_randint(config.classes as i64, [b], (Kind::Int64, device))?;
            let timed = time_steps(&vs, &precision, warmup, steps, || {
                let logits = precision.forward(&model, &x, true)?;
                Ok(logits.f_cross_entropy_loss::<Tensor>(
                    &y,
                    None,
                    tch::Reduction::Mean,
                    -100,
                    0.0,
                )?)
            })?;
            Ran {
                backends: model.backends(),
                fused,
                timed,
            }
        }
        None => plume_step(case, &vs, &precision, warmup, steps)?,
    };
    ensure!(last_loss.is_finite(), "non-finite loss {last_loss}");
    let ms_per_step = seconds * 1e3 / steps as f64;
    Ok(TrainBenchResult {
        case: *case,
        device: gm_nn::device::device_name(device),
        parameters: parameter_count(&vs),
        backends,
        fused,
        steps,
        ms_per_step,
        images_per_s: case.batch as f64 * 1e3 / ms_per_step,
        last_loss,
    })
}

/// What a model's timed steps ran on and took.
struct Ran {
    /// The backends its GM convolutions were planned on.
    backends: Vec<BackendKind>,
    /// Which of its blocks ran fused.
    fused: Vec<bool>,
    /// The timed seconds and the last loss.
    timed: (f64, f64),
}

/// The plume measurement: the `plume-rotation` experiment's model, built as the experiment
/// builds it ([`build_regression`], its GM layers' backends chosen by the case), trained on a
/// fixed random window `(B, 2·input_frames, H, W)` and its `train_rollout` target frames
/// `(B, steps, 2, H, W)` with the trainer's objective ([`PenalisedRollout`]: the rollout's
/// mean squared error, and the metric it reads back every step). Returns the backends, which
/// blocks ran fused, the timed seconds and the last loss.
fn plume_step(
    case: &TrainBenchCase,
    vs: &VarStore,
    precision: &PrecisionPolicy,
    warmup: usize,
    steps: usize,
) -> Result<Ran> {
    let mut cfg = load_experiment("plume-rotation", &[])?;
    cfg.train.batch_size = case.batch;
    let r = cfg
        .regression
        .clone()
        .context("plume-rotation has a [regression] section")?;
    let (c, h, w) = cfg.data.dataset.native_shape();
    let mut net = build_regression(&cfg, vs, (r.input_frames * c, c), (h, w), case.backend)?;
    net.set_fused_blocks(case.blocks == BlockForm::Fused);
    let fused = net.fused_on(vs.device(), precision.activations());
    let (b, device) = (case.batch as i64, vs.device());
    let frames = (r.input_frames * c) as i64;
    let x = Tensor::f_randn([b, frames, h as i64, w as i64], (Kind::Float, device))?;
    let y = Tensor::f_randn(
        [b, r.train_rollout as i64, c as i64, h as i64, w as i64],
        (Kind::Float, device),
    )?;
    let objective = PenalisedRollout { net: net.as_ref() };
    let timed = time_steps(vs, precision, warmup, steps, || {
        Ok(objective
            .loss_and_metric(net.as_ref(), &x, &y, true, precision)?
            .0)
    })?;
    Ok(Ran {
        backends: net.backends(),
        fused,
        timed,
    })
}

/// Runs `warmup` untimed and then `steps` timed AdamW steps (`lr = 4e-3`, weight decay
/// `0.0153`, loss scaling as `precision` asks) on the loss `loss` computes over `vs`'s
/// variables; returns the seconds between the two device synchronisations around the timed
/// steps and the last loss.
fn time_steps(
    vs: &VarStore,
    precision: &PrecisionPolicy,
    warmup: usize,
    steps: usize,
    mut loss: impl FnMut() -> Result<Tensor>,
) -> Result<(f64, f64)> {
    let mut opt = AdamW::new(vs, 4e-3, 0.0153);
    let vars = vs.trainable_variables();
    // As in the trainer: freed activations are kept on the CPU while the steps run.
    let _kept_blocks = KeptHostBlocks::for_training_on(vs.device());
    let mut scaler = GradScaler::new(precision.loss_scaling());
    let mut step = || -> Result<Tensor> {
        let l = loss()?;
        scaler.backward_step(&mut opt, &vars, &l)?;
        Ok(l)
    };
    for _ in 0..warmup {
        let _ = step()?;
    }
    synchronize(vs.device());
    let start = Instant::now();
    let mut last = None;
    for _ in 0..steps {
        last = Some(step()?);
    }
    synchronize(vs.device());
    let seconds = start.elapsed().as_secs_f64();
    Ok((seconds, last.map_or(f64::NAN, |l| l.double_value(&[]))))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn measures_the_reference_models_on_the_cpu() {
        for (model, parameters) in [
            (BenchModel::Cifar10, 13_691),
            (BenchModel::RotMnist, 48_731),
        ] {
            let case = TrainBenchCase {
                model,
                batch: 2,
                backend: BackendChoice::Fixed(BackendKind::Gather),
                precision: Precision::Bf16,
                blocks: BlockForm::Fused,
            };
            let r = measure(&case, 1, 2, Device::Cpu).unwrap();
            assert_eq!(r.parameters, parameters);
            assert_eq!(r.backends, vec![BackendKind::Gather; 2]);
            assert_eq!(r.fused, vec![true; 2]);
            assert!(r.last_loss.is_finite() && r.images_per_s > 0.0, "{r:?}");
        }
        let case = TrainBenchCase {
            model: BenchModel::RotMnist,
            batch: 2,
            backend: BackendChoice::Fixed(BackendKind::Cudnn),
            precision: Precision::Fp32,
            blocks: BlockForm::Composed,
        };
        // The convolution backend runs the dihedral model as |P|² = 4 blocks of conv2d.
        let r = measure(&case, 0, 1, Device::Cpu).unwrap();
        assert_eq!(r.backends, vec![BackendKind::Cudnn; 2]);
        assert_eq!(r.fused, vec![false; 2]);
        assert!(measure(&case, 0, 0, Device::Cpu).is_err(), "no timed step");
    }

    #[test]
    fn measures_the_plume_model_on_the_cpu() {
        let case = TrainBenchCase {
            model: BenchModel::Plume,
            batch: 1,
            backend: BackendChoice::Fixed(BackendKind::Gather),
            precision: Precision::Fp32,
            blocks: BlockForm::Fused,
        };
        let r = measure(&case, 0, 1, Device::Cpu).unwrap();
        assert_eq!(r.fused, vec![true; 2]);
        // What `gm list` prints for plume-rotation.
        assert_eq!(r.parameters, 13_356);
        let cfg = load_experiment("plume-rotation", &[]).unwrap();
        assert_eq!(
            r.parameters,
            crate::run::model::parameter_count(&cfg).unwrap()
        );
        assert_eq!(r.backends, vec![BackendKind::Gather; 2]);
        // Random targets of unit variance: the rollout's mean squared error is near 1 or more.
        assert!(r.last_loss > 0.5 && r.images_per_s > 0.0, "{r:?}");
    }
}
