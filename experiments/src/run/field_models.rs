//! The regression models on velocity fields that rotate with the grid: the baselines of
//! Wang, Walters & Yu (2022) (`model.kind = "field-baseline"`) and the GM model on `p4`
//! (`model.regression_model = "p4-field"`), built from a config.
use crate::config::{ExperimentConfig, FieldBaseline};
use anyhow::Result;
use gm_nn::model::{
    ConvNet, Equiv, FieldMlp, FieldNet, FieldNetConfig, GmP4Field, Lift, RGroup, RSteer,
    RelaxedConvNet, Rpp,
};
use tch::nn::VarStore;

/// The filter banks of the relaxed group convolution when `model.banks` is not given (the
/// reference's `num_filter_banks` default).
pub const DEFAULT_BANKS: usize = 2;

/// The sizes of `cfg`'s field model for `in_channels → out_channels` velocity channels on a
/// `height × width` grid: hidden width `model.channels`, `model.blocks` layers, kernels
/// `2t + 1`, `model.banks` filter banks and constraint weight `model.alpha`.
pub fn field_net_config(
    cfg: &ExperimentConfig,
    (in_channels, out_channels): (usize, usize),
    (height, width): (usize, usize),
) -> FieldNetConfig {
    let m = &cfg.model;
    FieldNetConfig {
        in_frames: in_channels / 2,
        out_frames: out_channels / 2,
        hidden: m.channels,
        layers: m.blocks,
        kernel_size: 2 * m.t + 1,
        height,
        width,
        banks: m.banks.unwrap_or(DEFAULT_BANKS),
        alpha: m.alpha.unwrap_or(0.0),
    }
}

/// The baseline `baseline` with the sizes of `config`, its variables in `vs`.
///
/// # Errors
/// The model's own checks (sizes, grid).
pub fn field_baseline(
    baseline: FieldBaseline,
    vs: &VarStore,
    config: &FieldNetConfig,
) -> Result<Box<dyn FieldNet>> {
    let root = vs.root();
    Ok(match baseline {
        FieldBaseline::ConvNet => Box::new(ConvNet::new(&root, config)?),
        FieldBaseline::Mlp => Box::new(FieldMlp::new(&root, config)?),
        FieldBaseline::Equiv => Box::new(Equiv::new(&root, config)?),
        FieldBaseline::Rpp => Box::new(Rpp::new(&root, config)?),
        FieldBaseline::Lift => Box::new(Lift::new(&root, config)?),
        FieldBaseline::RGroup => Box::new(RGroup::new(&root, config)?),
        FieldBaseline::RSteer => Box::new(RSteer::new(&root, config)?),
        FieldBaseline::RGroupTranslation => Box::new(RelaxedConvNet::new(&root, config)?),
    })
}

/// The GM model on `p4` acting on velocity fields, with the sizes of `config`: its
/// `config.layers` count residual GM blocks (`model.blocks`, as the reference regression
/// model's), to which [`GmP4Field`] adds its input and output mixing layers.
///
/// # Errors
/// The model's own checks (sizes, a square grid).
pub fn p4_field(vs: &VarStore, config: &FieldNetConfig) -> Result<Box<dyn FieldNet>> {
    let layers = FieldNetConfig {
        layers: config.layers + 2,
        ..config.clone()
    };
    Ok(Box::new(GmP4Field::new(vs.root(), &layers)?))
}
