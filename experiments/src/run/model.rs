//! Models built from experiment configs: what each [`ModelKind`] is called in reports and
//! how it is built for a classification or a regression experiment. A new kind of model is
//! its own file (e.g. [`crate::baseline`]), a [`ModelKind`] variant, and its arms here; a
//! new regression model, a [`RegressionModel`] variant and its arm in [`regression_model`].
use super::field_models::{field_baseline, field_net_config, p4_field};
use crate::baseline::{Mlp, PlainCnn};
use crate::config::{ChannelMode, ExperimentConfig, ModelKind, RegressionModel, Symmetry, Task};
use crate::data::ImageSet;
use crate::symmetry::{image_symmetry, ImageGroup};
use anyhow::{bail, Context, Result};
use gm_nn::conv::{BackendChoice, GMConvConfig};
use gm_nn::model::{
    Classifier, ClassifierConfig, FieldNet, LiftedClassifier, ReferenceRegression,
    ReferenceRegressionConfig, RelaxedRegression, RelaxedRegressionConfig, StructuredMlp,
    StructuredMlpConfig,
};
use tch::nn::{ModuleT, VarStore};

/// The model of `cfg` in a line, e.g. `gm axis-product/dihedral t=3 k=196 2x64 ch`. An exact
/// GM model on a wallpaper group is the G-CNN of that group and is named so
/// (`g-cnn p4 t=1 k=36 2x16 ch`); a relaxed one says its rank (`relaxed r=1`), a pooled one
/// where it pools (`pool after 0`), the reference regression model its layer
/// (`error-vector`).
pub fn describe(cfg: &ExperimentConfig) -> String {
    let m = &cfg.model;
    match m.kind {
        ModelKind::Cnn => format!("cnn {}x{} ch", m.blocks, m.channels),
        ModelKind::Mlp => format!("mlp {}x{}", m.blocks, m.channels),
        ModelKind::FieldBaseline => match m.baseline {
            Some(b) => format!("{b} {}x{} ch k={}", m.blocks, m.channels, 2 * m.t + 1),
            None => "field-baseline (no baseline)".into(),
        },
        ModelKind::Structured => match (m.family, m.rank) {
            (Some(f), Some(r)) if f.has_rank() => format!("shl {f} r={r}"),
            (Some(f), _) => format!("shl {f}"),
            (None, _) => "shl (no family)".into(),
        },
        ModelKind::Gm => {
            let wallpaper = matches!(m.symmetry, Symmetry::P4 | Symmetry::P4m);
            let name = if wallpaper && m.relaxed_rank == 0 {
                "g-cnn"
            } else {
                "gm"
            };
            let mut s = format!(
                "{name} {} t={} k={} {}x{} ch",
                image_symmetry(m.symmetry).describe(m),
                m.t,
                m.support_size(),
                m.blocks,
                m.channels
            );
            if m.channel_mode == ChannelMode::Full {
                s.push_str(" full");
            }
            if cfg.task == Task::Regression {
                match m.regression_model {
                    RegressionModel::Reference => s.push_str(" error-vector"),
                    RegressionModel::P4Field => s.push_str(" on velocity fields"),
                    RegressionModel::RelaxedRank => {}
                }
            }
            if m.relaxed_rank > 0 {
                s.push_str(&format!(" relaxed r={}", m.relaxed_rank));
            }
            if !m.pool_after.is_empty() {
                let blocks: Vec<String> = m.pool_after.iter().map(usize::to_string).collect();
                s.push_str(&format!(" pool after {}", blocks.join(",")));
            }
            s
        }
    }
}

/// The shape `(channels, height, width)` of one image of `images`.
pub fn image_shape(images: &ImageSet) -> (usize, usize, usize) {
    (images.channels, images.height, images.width)
}

/// The classifier of `cfg` for images of shape `(channels, height, width)`, its variables in
/// `vs`.
///
/// # Errors
/// A config without `model.classes`, or a group the images' grid does not carry.
pub fn classifier(
    cfg: &ExperimentConfig,
    vs: &VarStore,
    (in_channels, height, width): (usize, usize, usize),
) -> Result<Box<dyn ModuleT>> {
    let m = &cfg.model;
    let inputs = in_channels * height * width;
    let classes = m
        .classes
        .context("classification configs have model.classes")?;
    match m.kind {
        ModelKind::FieldBaseline => bail!(
            "model.kind = \"field-baseline\" predicts velocity fields: regression experiments \
             only"
        ),
        ModelKind::Cnn => Ok(Box::new(PlainCnn::new(
            &vs.root(),
            in_channels,
            m.channels,
            m.blocks,
            m.dropout,
            classes,
        ))),
        ModelKind::Mlp => Ok(Box::new(Mlp::new(
            &vs.root(),
            inputs,
            m.channels,
            m.blocks,
            m.dropout,
            classes,
        ))),
        ModelKind::Structured => {
            let family = m
                .family
                .context("model.kind = \"structured\" needs model.family")?;
            let config = StructuredMlpConfig::new(family, m.rank.unwrap_or(0), inputs, classes);
            Ok(Box::new(StructuredMlp::new(vs.root(), &config)?))
        }
        ModelKind::Gm => {
            let group = ImageGroup::of(m, height, width)?;
            let config = ClassifierConfig {
                group: group.group(),
                support: group.support().clone(),
                in_channels,
                channels: vec![m.channels; m.blocks],
                dropout: m.dropout,
                classes,
                relaxed_rank: m.relaxed_rank,
                pool_after: m.pool_after.clone(),
                conv: GMConvConfig {
                    mode: m.channel_mode,
                    ..GMConvConfig::default()
                },
            };
            let classifier = Classifier::new(vs.root(), &config)?;
            Ok(match group.lift(vs.device())? {
                None => Box::new(classifier),
                Some(lift) => Box::new(LiftedClassifier::new(lift, classifier)),
            })
        }
    }
}

/// The regression model of `cfg` (`model.regression_model`, or the field baseline of
/// `model.baseline`) for `height × width` frames of `in_channels` input and `out_channels`
/// output channels, its variables in `vs`. Its GM layers time their applicable backends once
/// on `vs`'s device and keep the fastest.
///
/// # Errors
/// A model kind or symmetry the regression models do not support; a group the grid does not
/// carry.
pub fn regression_model(
    cfg: &ExperimentConfig,
    vs: &VarStore,
    channels: (usize, usize),
    frame: (usize, usize),
) -> Result<Box<dyn FieldNet>> {
    build_regression(cfg, vs, channels, frame, BackendChoice::Timed)
}

/// [`regression_model`] with the GM layers' backends chosen by `backend`.
///
/// # Errors
/// As [`regression_model`].
pub fn build_regression(
    cfg: &ExperimentConfig,
    vs: &VarStore,
    (in_channels, out_channels): (usize, usize),
    (height, width): (usize, usize),
    backend: BackendChoice,
) -> Result<Box<dyn FieldNet>> {
    let m = &cfg.model;
    let sizes = || field_net_config(cfg, (in_channels, out_channels), (height, width));
    match (m.kind, m.baseline) {
        (ModelKind::FieldBaseline, Some(baseline)) => {
            return field_baseline(baseline, vs, &sizes())
        }
        (ModelKind::Gm, _) => {}
        _ => bail!(
            "model.kind = \"{}\" is a classification baseline; regression experiments train \
             a GM regression model (model.kind = \"gm\") or a field baseline \
             (\"field-baseline\" with model.baseline)",
            m.kind
        ),
    }
    // The GM models on the pixel grid's group: its group and their layers' settings.
    let on_grid = || -> Result<(ImageGroup, GMConvConfig)> {
        let group = ImageGroup::of(m, height, width)?;
        if !group.images_on_group() {
            bail!(
                "model.symmetry = \"{}\" needs a lift from the pixel grid, which the {} \
                 regression model does not have; use model.symmetry = \"axis-product\", or \
                 model.regression_model = \"p4-field\" on p4",
                m.symmetry,
                m.regression_model
            );
        }
        let conv = GMConvConfig {
            mode: m.channel_mode,
            backend,
            batch_hint: cfg.train.batch_size,
            ..GMConvConfig::default()
        };
        Ok((group, conv))
    };
    Ok(match m.regression_model {
        RegressionModel::P4Field => p4_field(vs, &sizes())?,
        RegressionModel::Reference => {
            let (group, conv) = on_grid()?;
            let config = ReferenceRegressionConfig {
                group: group.group(),
                support: group.support().clone(),
                in_channels,
                out_channels,
                hidden: m.channels,
                blocks: m.blocks,
                conv,
            };
            Box::new(ReferenceRegression::new(vs.root(), &config)?)
        }
        RegressionModel::RelaxedRank => {
            let (group, conv) = on_grid()?;
            let config = RelaxedRegressionConfig {
                group: group.group(),
                support: group.support().clone(),
                in_channels,
                out_channels,
                hidden: m.channels,
                blocks: m.blocks,
                relaxed_rank: m.relaxed_rank,
                conv,
            };
            Box::new(RelaxedRegression::new(vs.root(), &config)?)
        }
    })
}

/// The number of trainable parameters of the model of `cfg`, built on the CPU for the
/// dataset's image (or frame) shape after `data.image_size`: what `gm list` prints, without
/// reading any data (and without timing backends: the count does not depend on them).
///
/// # Errors
/// As [`classifier`] and [`regression_model`].
pub fn parameter_count(cfg: &ExperimentConfig) -> Result<usize> {
    let (channels, h, w) = cfg.data.dataset.native_shape();
    let (h, w) = cfg.data.image_size.map_or((h, w), |s| (s, s));
    let vs = VarStore::new(tch::Device::Cpu);
    match (cfg.task, &cfg.regression) {
        (Task::Regression, Some(r)) => {
            let frames = (r.input_frames * channels, channels);
            build_regression(cfg, &vs, frames, (h, w), BackendChoice::Auto)?;
        }
        _ => {
            classifier(cfg, &vs, (channels, h, w))?;
        }
    }
    Ok(crate::train::parameter_count(&vs))
}
