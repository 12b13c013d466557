//! What the rotation baselines share: the checks on their sizes and the field types of an
//! equivariant stack (vector fields in, regular hidden fields, vector fields out).
use super::steerable::FieldRep;
use crate::model::FieldNetConfig;
use crate::{NnError, Result};

/// The field types of one layer of an equivariant stack.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LayerFields {
    /// Input representation and number of fields.
    pub input: (FieldRep, usize),
    /// Output representation and number of fields.
    pub output: (FieldRep, usize),
}

impl LayerFields {
    /// Whether this is the output layer (vector fields out).
    pub fn is_last(&self) -> bool {
        self.output.0 == FieldRep::Vector
    }
}

/// Refuses sizes none of the baselines can be built with: no frames, no hidden width,
/// fewer than two layers, an even kernel or an empty grid.
///
/// # Errors
/// [`NnError::InvalidConfig`] naming the offending size.
pub fn validate(config: &FieldNetConfig) -> Result<()> {
    let problem = if config.in_frames == 0 || config.out_frames == 0 {
        Some("at least one input and one output frame")
    } else if config.hidden == 0 {
        Some("a hidden width of at least 1")
    } else if config.layers < 2 {
        Some("at least two layers (input and output)")
    } else if config.kernel_size.is_multiple_of(2) {
        Some("an odd kernel size")
    } else if config.height == 0 || config.width == 0 {
        Some("a non-empty grid")
    } else {
        None
    };
    match problem {
        Some(needed) => Err(NnError::InvalidConfig(format!(
            "a rotation baseline needs {needed}, got {config:?}"
        ))),
        None => Ok(()),
    }
}

/// The layers of an equivariant stack: `in_frames` vector fields → `hidden` regular fields
/// (`layers − 1` times) → `out_frames` vector fields.
///
/// # Errors
/// As [`validate`].
pub fn equivariant_stack(config: &FieldNetConfig) -> Result<Vec<LayerFields>> {
    validate(config)?;
    let hidden = (FieldRep::Regular, config.hidden);
    Ok((0..config.layers)
        .map(|l| LayerFields {
            input: if l == 0 {
                (FieldRep::Vector, config.in_frames)
            } else {
                hidden
            },
            output: if l + 1 == config.layers {
                (FieldRep::Vector, config.out_frames)
            } else {
                hidden
            },
        })
        .collect())
}

/// Batch-norm settings as PyTorch's defaults (scale 1, shift 0, `eps = 1e-5`, momentum
/// 0.1), which the reference's `BatchNorm*d` and e2cnn's `InnerBatchNorm` use; tch starts
/// the scale uniform in `[0, 1)` instead.
pub fn torch_batch_norm() -> tch::nn::BatchNormConfig {
    tch::nn::BatchNormConfig {
        ws_init: tch::nn::Init::Const(1.0),
        ..Default::default()
    }
}
