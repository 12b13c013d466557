//! `FieldMlp`: the fully connected baseline (Wang et al.'s `MLPNet`).
use super::plan::{torch_batch_norm, validate};
use crate::model::{FieldNet, FieldNetConfig};
use crate::precision::linear;
use crate::{NnError, Result};
use tch::nn::{self, ModuleT, Path};
use tch::Tensor;

/// A stack of `Linear ─ BatchNorm1d ─ ReLU` blocks on the flattened field
/// (`models/model_rotation.py`, `MLPNet`): `c_in·H·W → h`, `(L − 2)` times `h → h`, then a
/// `Linear` `h → c_out·H·W`, reshaped to the output field.
///
/// Parameters with `c_in = 2F`, `c_out = 2G` channels, width `h`, `L` layers on `H × W`:
/// `(c_in·H·W·h + 3h) + (L − 2)(h² + 3h) + h·c_out·H·W + c_out·H·W`. The first layer
/// dominates: at 64 × 64 with 20 input channels and `h = 92` it alone has 7.5 M weights
/// (8.32 M in all at the protocol sizes, as the reference's).
///
/// Parameter paths: `layers.<l>.linear.…`, `layers.<l>.norm.…`.
///
/// # Shapes
/// `(B, 2·in_frames, height, width)` → `(B, 2·out_frames, height, width)`; other grids are
/// refused.
#[derive(Debug)]
pub struct FieldMlp {
    linears: Vec<nn::Linear>,
    norms: Vec<nn::BatchNorm>,
    input_shape: [i64; 3],
    output_shape: [i64; 3],
}

impl FieldMlp {
    /// The model under `vs`.
    ///
    /// # Errors
    /// [`crate::NnError::InvalidConfig`] for sizes it cannot be built with.
    pub fn new(vs: &Path, config: &FieldNetConfig) -> Result<Self> {
        validate(config)?;
        let (hw, h) = ((config.height * config.width) as i64, config.hidden as i64);
        let (cin, cout) = (2 * config.in_frames as i64, 2 * config.out_frames as i64);
        let (height, width) = (config.height as i64, config.width as i64);
        let mut linears = Vec::new();
        let mut norms = Vec::new();
        for l in 0..config.layers {
            let p = vs / "layers" / l;
            let din = if l == 0 { cin * hw } else { h };
            let last = l + 1 == config.layers;
            let dout = if last { cout * hw } else { h };
            linears.push(nn::linear(&p / "linear", din, dout, Default::default()));
            if !last {
                norms.push(nn::batch_norm1d(&p / "norm", dout, torch_batch_norm()));
            }
        }
        Ok(Self {
            linears,
            norms,
            input_shape: [cin, height, width],
            output_shape: [cout, height, width],
        })
    }

    /// The forward pass.
    ///
    /// # Errors
    /// [`NnError::ShapeMismatch`] when the input is not `(B, 2·in_frames, height, width)`;
    /// [`NnError::Torch`] from libtorch.
    pub fn f_forward_t(&self, xs: &Tensor, train: bool) -> Result<Tensor> {
        let size = xs.size();
        if size.len() != 4 || size[1..] != self.input_shape {
            return Err(NnError::ShapeMismatch {
                what: format!(
                    "FieldMlp input (B, {:?}), got shape {size:?}",
                    self.input_shape
                ),
                expected: self.input_shape.iter().product(),
                got: size.iter().skip(1).product(),
            });
        }
        let mut x = xs.f_flatten(1, -1)?;
        for (l, layer) in self.linears.iter().enumerate() {
            x = linear(layer, &x)?;
            if let Some(norm) = self.norms.get(l) {
                x = norm.forward_t(&x, train).f_relu()?;
            }
        }
        let [c, h, w] = self.output_shape;
        Ok(x.f_reshape([size[0], c, h, w])?)
    }
}

impl ModuleT for FieldMlp {
    /// # Panics
    /// On the errors of [`FieldMlp::f_forward_t`].
    fn forward_t(&self, xs: &Tensor, train: bool) -> Tensor {
        self.f_forward_t(xs, train).expect("FieldMlp forward")
    }
}

impl FieldNet for FieldMlp {}
