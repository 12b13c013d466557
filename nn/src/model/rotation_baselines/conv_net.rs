//! `ConvNet`: the unconstrained convolutional baseline (Wang et al.'s `ConvNet`).
use super::plan::{torch_batch_norm, validate};
use super::steerable_conv::plain_conv;
use crate::model::{FieldNet, FieldNetConfig};
use crate::Result;
use tch::nn::{self, ModuleT, Path};
use tch::Tensor;

/// Plain CNN (`models/model_rotation.py`, `ConvNet`): `layers − 1` blocks of
/// `conv2d (k × k, same padding) ─ BatchNorm2d ─ ReLU` of width `hidden`, then a plain
/// `conv2d` to the output channels. PyTorch's default initialisation (through tch).
///
/// Parameters with `c_in = 2F`, `c_out = 2G` channels, width `h`, `L` layers, kernel `k`:
/// `(c_in·k²·h + 3h) + (L − 2)(h²·k² + 3h) + h·k²·c_out + c_out`.
///
/// Parameter paths: `layers.<l>.conv.…`, `layers.<l>.norm.…`.
///
/// # Shapes
/// `(B, 2·in_frames, H, W)` → `(B, 2·out_frames, H, W)`.
#[derive(Debug)]
pub struct ConvNet {
    convs: Vec<nn::Conv2D>,
    norms: Vec<nn::BatchNorm>,
    padding: i64,
}

impl ConvNet {
    /// The model under `vs`.
    ///
    /// # Errors
    /// [`crate::NnError::InvalidConfig`] for sizes it cannot be built with.
    pub fn new(vs: &Path, config: &FieldNetConfig) -> Result<Self> {
        validate(config)?;
        let (h, k) = (config.hidden as i64, config.kernel_size as i64);
        let conv_config = nn::ConvConfig {
            padding: k / 2,
            ..Default::default()
        };
        let mut convs = Vec::new();
        let mut norms = Vec::new();
        for l in 0..config.layers {
            let p = vs / "layers" / l;
            let cin = if l == 0 {
                2 * config.in_frames as i64
            } else {
                h
            };
            let last = l + 1 == config.layers;
            let cout = if last {
                2 * config.out_frames as i64
            } else {
                h
            };
            convs.push(nn::conv2d(&p / "conv", cin, cout, k, conv_config));
            if !last {
                norms.push(nn::batch_norm2d(&p / "norm", cout, torch_batch_norm()));
            }
        }
        Ok(Self {
            convs,
            norms,
            padding: k / 2,
        })
    }

    /// The forward pass.
    ///
    /// # Errors
    /// [`crate::NnError::Torch`] on a shape mismatch.
    pub fn f_forward_t(&self, xs: &Tensor, train: bool) -> Result<Tensor> {
        let mut x = xs.shallow_clone();
        for (l, conv) in self.convs.iter().enumerate() {
            x = plain_conv(conv, &x, self.padding)?;
            if let Some(norm) = self.norms.get(l) {
                x = norm.forward_t(&x, train).f_relu()?;
            }
        }
        Ok(x)
    }
}

impl ModuleT for ConvNet {
    /// # Panics
    /// On the errors of [`ConvNet::f_forward_t`].
    fn forward_t(&self, xs: &Tensor, train: bool) -> Tensor {
        self.f_forward_t(xs, train).expect("ConvNet forward")
    }
}

impl FieldNet for ConvNet {}
