//! The `gm bench train` measurement: training throughput of the reference classifiers, measured the way
//! `shared/bench/ref_gmcnn_train.py` measures the reference (random data of the dataset's
//! shape on the device, AdamW with the reference's learning rate and weight decay, warm-up
//! steps, then timed steps between two device synchronisations), so the figures compare
//! directly with that script's and with `pytorch_fast_gmcnn_train.py`'s in the same run.
use crate::config::Precision;
use crate::train::adamw::AdamW;
use crate::train::grad_scaler::GradScaler;
use anyhow::{ensure, Result};
use clap::ValueEnum;
use gm_nn::conv::{BackendChoice, BackendKind, GMConvConfig};
use gm_nn::device::synchronize;
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
}

impl BenchModel {
    /// The model's config and the shape of one input image `(C, H, W)`.
    pub fn config(self) -> (ClassifierConfig, [i64; 3]) {
        match self {
            BenchModel::Cifar10 => (ClassifierConfig::cifar10(), [3, 32, 32]),
            BenchModel::RotMnist => (ClassifierConfig::rot_mnist(), [1, 28, 28]),
        }
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
    /// Untimed warm-up steps.
    pub warmup: usize,
    /// Timed steps.
    pub steps: usize,
}

impl TrainSweep {
    /// Every case of the sweep, backends outermost.
    pub fn cases(&self) -> Vec<TrainBenchCase> {
        self.backends
            .iter()
            .flat_map(|&backend| {
                self.precisions
                    .iter()
                    .map(move |&precision| TrainBenchCase {
                        model: self.model,
                        batch: self.batch,
                        backend,
                        precision,
                    })
            })
            .collect()
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
    /// The backends the blocks ran on.
    pub backends: Vec<BackendKind>,
    /// Timed optimiser steps.
    pub steps: usize,
    /// Mean milliseconds per step.
    pub ms_per_step: f64,
    /// Training images per second.
    pub images_per_s: f64,
    /// The loss of the last step (a sanity check: finite).
    pub last_loss: f64,
}

/// Trains the case's model for `warmup` untimed and then `steps` timed AdamW steps
/// (`lr = 4e-3`, weight decay `0.0153`, dropout on) on one fixed random batch, on `device`.
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
    let (mut config, [c, h, w]) = case.model.config();
    config.conv = GMConvConfig {
        backend: case.backend,
        batch_hint: case.batch,
        ..config.conv
    };
    let vs = VarStore::new(device);
    let precision = PrecisionPolicy::new(case.precision, device);
    let model = Classifier::new(vs.root(), &config)?;
    let b = case.batch as i64;
    let x = Tensor::f_randn([b, c, h, w], (Kind::Float, device))?;
    let y = Tensor::f_randint(config.classes as i64, [b], (Kind::Int64, device))?;
    let mut opt = AdamW::new(&vs, 4e-3, 0.0153);
    let vars = vs.trainable_variables();
    let mut scaler = GradScaler::new(precision.loss_scaling());
    let mut step = || -> Result<Tensor> {
        let logits = precision.forward(&model, &x, true)?;
        let loss =
            logits.f_cross_entropy_loss::<Tensor>(&y, None, tch::Reduction::Mean, -100, 0.0)?;
        scaler.backward_step(&mut opt, &vars, &loss)?;
        Ok(loss)
    };
    for _ in 0..warmup {
        let _ = step()?;
    }
    synchronize(device);
    let start = Instant::now();
    let mut loss = None;
    for _ in 0..steps {
        loss = Some(step()?);
    }
    synchronize(device);
    let seconds = start.elapsed().as_secs_f64();
    let last_loss = loss.map_or(f64::NAN, |l| l.double_value(&[]));
    ensure!(last_loss.is_finite(), "non-finite loss {last_loss}");
    let ms_per_step = seconds * 1e3 / steps as f64;
    Ok(TrainBenchResult {
        case: *case,
        device: gm_nn::device::device_name(device),
        parameters: parameter_count(&vs),
        backends: model.backends(),
        steps,
        ms_per_step,
        images_per_s: case.batch as f64 * 1e3 / ms_per_step,
        last_loss,
    })
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
            };
            let r = measure(&case, 1, 2, Device::Cpu).unwrap();
            assert_eq!(r.parameters, parameters);
            assert_eq!(r.backends, vec![BackendKind::Gather; 2]);
            assert!(r.last_loss.is_finite() && r.images_per_s > 0.0, "{r:?}");
        }
        let case = TrainBenchCase {
            model: BenchModel::RotMnist,
            batch: 2,
            backend: BackendChoice::Fixed(BackendKind::Cudnn),
            precision: Precision::Fp32,
        };
        // The convolution backend runs the dihedral model as |P|² = 4 blocks of conv2d.
        let r = measure(&case, 0, 1, Device::Cpu).unwrap();
        assert_eq!(r.backends, vec![BackendKind::Cudnn; 2]);
        assert!(measure(&case, 0, 0, Device::Cpu).is_err(), "no timed step");
    }
}
