//! Models built from experiment configs: what each [`ModelKind`] is called in reports and
//! how it is built for a classification or a regression experiment. A new kind of model is
//! its own file (e.g. [`crate::baseline`]), a [`ModelKind`] variant, and its arms here.
use crate::baseline::PlainCnn;
use crate::config::{ExperimentConfig, ModelKind};
use crate::data::ImageSet;
use crate::symmetry::{image_symmetry, ImageGroup};
use anyhow::{bail, Context, Result};
use gm_nn::conv::{BackendChoice, GMConvConfig};
use gm_nn::model::{Classifier, ClassifierConfig, LiftedClassifier, RegressionConfig};
use tch::nn::{ModuleT, VarStore};

/// The model of `cfg` in a line, e.g. `gm axis-product/dihedral t=3 k=196 2x64 ch`.
pub fn describe(cfg: &ExperimentConfig) -> String {
    let m = &cfg.model;
    match m.kind {
        ModelKind::Cnn => format!("cnn {}x{} ch", m.blocks, m.channels),
        ModelKind::Gm => format!(
            "gm {} t={} k={} {}x{} ch",
            image_symmetry(m.symmetry).describe(m),
            m.t,
            m.support_size(),
            m.blocks,
            m.channels
        ),
    }
}

/// The classifier of `cfg` for `images`, its variables in `vs`.
///
/// # Errors
/// A config without `model.classes`, or a group the images' grid does not carry.
pub fn classifier(
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
                group: group.group(),
                support: group.support().clone(),
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

/// The GM regression model of `cfg` on `height × width` frames with `in_channels`
/// input channels.
///
/// # Errors
/// A model kind or symmetry the regression model does not support.
pub fn regression_config(
    cfg: &ExperimentConfig,
    in_channels: usize,
    out_channels: usize,
    height: usize,
    width: usize,
) -> Result<RegressionConfig> {
    let m = &cfg.model;
    if m.kind == ModelKind::Cnn {
        bail!(
            "model.kind = \"cnn\" is the classification baseline; regression experiments train \
             the GM regression model (model.kind = \"gm\")"
        );
    }
    let group = ImageGroup::of(m, height, width)?;
    if !group.images_on_group() {
        bail!(
            "model.symmetry = \"{}\" needs a lift from the pixel grid, which the regression \
             model does not have yet; use model.symmetry = \"axis-product\"",
            m.symmetry
        );
    }
    Ok(RegressionConfig {
        group: group.group(),
        support: group.support().clone(),
        in_channels,
        out_channels,
        hidden: m.channels,
        blocks: m.blocks,
        relaxed_rank: m.relaxed_rank,
        conv: GMConvConfig {
            backend: BackendChoice::Timed,
            batch_hint: cfg.train.batch_size,
            ..GMConvConfig::default()
        },
    })
}
