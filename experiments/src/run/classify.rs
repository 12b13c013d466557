//! The classification protocol of `gm run`: load the images, split off validation, build the
//! model, train with [`fit`], test the configured weights (best validation or last epoch),
//! and measure the trained model's invariance under the experiment's group and how often its
//! predictions survive turning the test images by multiples of 90°.
use super::model::{classifier, describe, image_shape};
use super::{
    mean_epoch_seconds, tested_val_metric, write_result, RunOptions, RunResult, INVARIANCE_SAMPLES,
};
use crate::config::{ExperimentConfig, ModelKind};
use crate::data::load_images;
use crate::symmetry::{rotation_agreement, symmetry_error, ImageGroup, Response};
use crate::train::{evaluate, fit, parameter_count, Classification, TensorData, TrainSettings};
use anyhow::Result;
use gm_nn::device::device_name;
use gm_nn::precision::PrecisionPolicy;
use std::path::Path;
use tch::nn::VarStore;
use tch::Device;

/// Trains and tests a classification experiment in `run_dir` (see the module docs).
///
/// # Errors
/// Data, model, training and I/O errors.
pub fn run(
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
    let model = classifier(cfg, &vs, image_shape(&splits.train))?;
    let precision = PrecisionPolicy::new(cfg.train.precision, device);
    let parameters = parameter_count(&vs);
    eprintln!(
        "{}: {} ({parameters} parameters) on {}; {} train / {} validation / {} test",
        cfg.name,
        describe(cfg),
        device_name(device),
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
    let (test_loss, test_metric) = evaluate(
        model.as_ref(),
        &Classification,
        &test,
        cfg.train.batch_size,
        device,
        precision,
    )?;
    // The GM models' group — for a pooled GM model the subgroup it is invariant under; the
    // baselines are measured under the group their GM counterpart would use.
    let group = ImageGroup::of(&cfg.model, splits.train.height, splits.train.width)?;
    let group = match (cfg.model.kind, cfg.model.pool_after.len()) {
        (ModelKind::Gm, levels) if levels > 0 => group.pooled(levels)?,
        _ => group,
    };
    let invariance = symmetry_error(
        model.as_ref(),
        &group,
        Response::Invariant,
        &test,
        INVARIANCE_SAMPLES,
        cfg.train.batch_size,
        device,
    )?;
    let rotation = (splits.test.height == splits.test.width)
        .then(|| {
            rotation_agreement(
                model.as_ref(),
                &test,
                INVARIANCE_SAMPLES,
                cfg.train.batch_size,
                device,
            )
        })
        .transpose()?;
    let result = RunResult {
        experiment: cfg.name.clone(),
        model: describe(cfg),
        parameters,
        metric: "accuracy".into(),
        test_metric,
        test_loss,
        val_metric: tested_val_metric(&summary, cfg.train.evaluate),
        epochs: summary.history.len(),
        best_epoch: summary.best_epoch,
        train_seconds: summary.train_seconds,
        device: device_name(device),
        quick: opts.quick,
        invariance: Some(invariance),
        rotation,
        seconds_per_epoch: mean_epoch_seconds(&summary),
        regression: None,
    };
    write_result(run_dir, &result)?;
    Ok(result)
}
