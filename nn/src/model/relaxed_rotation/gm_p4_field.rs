//! A GM model on `p4` acting on vector fields.

use super::filter_bank::check_regular_input;
use super::group_conv::{P4ConvConfig, P4GroupConv};
use super::regular::{lift_vector_field, project_regular_field};
use crate::activation::shared_prelu;
use crate::conv::ChannelMode;
use crate::field::ORIENTATIONS;
use crate::model::reference_regression::torch_pointwise;
use crate::model::{FieldNet, FieldNetConfig};
use crate::precision::pointwise_conv;
use crate::{NnError, Result};
use std::borrow::Borrow;
use tch::nn::{self, Init, ModuleT, Path};
use tch::Tensor;

/// The GM-CNN regression model ([`crate::model::ReferenceRegression`]'s blocks) on
/// `p4(N) = Z_N² ⋊ C4`, between vector fields — the reference GM-CNN has no such model:
///
/// ```text
/// x = lift(input)                      // F vector fields → F regular fields (cos, sin)
/// out = mix(x)                         // fields F → hidden, the same at every (s, p)
/// for each block:  x = PReLU_b(P4GroupConv_b(x)) + out;  out = x
/// result = project(mix(out))           // hidden → out_frames fields → vector fields
/// ```
///
/// `P4GroupConv_b` is the exact, circular [`P4GroupConv`] (the GM convolution on `p4(N)`,
/// checked against the dense group matrices) with a bias, in the GM-CNN's shared channel mode
/// by default; the `layers − 2` blocks each have a one-parameter PReLU (0.25), and the first
/// reads the lifted input. `mix` is a pointwise channel mixing of fields (the reference's
/// 1×1 convolution on `(B, C, n)`: equivariant, the same at every group element), initialised
/// as PyTorch's `Conv2d`; the output one has no bias, since the projection of a bias (constant
/// over orientations) is 0. Lift and projection are [`super::lift_vector_field`] and
/// [`super::project_regular_field`]. Exactly equivariant under
/// [`crate::field::rotate_vector_field`] and, on the torus, cyclic translations. No error
/// vectors (an exact model): [`FieldNet::penalty`] is `None`.
///
/// Parameters (shared mode): `(F+1)·C + (layers − 2)·(C·4k² + C + 1) + C·out_frames` —
/// 11,319 at the `run.sh` Rotation sizes (`C = 92`, `layers = 5`, `k = 3`, 10 → 1 frames);
/// full mode: `C_in·C·4k²` per block instead of `C·4k²`.
///
/// Parameter paths: `input/…`, `blocks/<i>/weight|bias|prelu`, `output/weight`.
///
/// # Shapes
/// `(B, 2·in_frames, H, W)` → `(B, 2·out_frames, H, W)`.
///
/// # Example
/// ```
/// use gm_nn::field::rotate_vector_field;
/// use gm_nn::model::relaxed_rotation::GmP4Field;
/// use gm_nn::model::{parameter_count, FieldNetConfig};
/// use tch::{nn::{ModuleT, VarStore}, Device, Kind, Tensor};
/// let config = FieldNetConfig {
///     in_frames: 2, out_frames: 1, hidden: 3, layers: 4, kernel_size: 3,
///     height: 8, width: 8, banks: 1, alpha: 0.0,
/// };
/// let vs = VarStore::new(Device::Cpu);
/// let model = GmP4Field::new(vs.root(), &config).unwrap();
/// assert_eq!(parameter_count(&vs), 3 * 3 + 2 * (3 * 36 + 3 + 1) + 3);
/// let x = Tensor::randn([2, 4, 8, 8], (Kind::Float, Device::Cpu));
/// let y = model.forward_t(&x, false);
/// assert_eq!(y.size(), vec![2, 2, 8, 8]);
/// let y_turned = model.forward_t(&rotate_vector_field(&x, 1).unwrap(), false);
/// let err = (y_turned - rotate_vector_field(&y, 1).unwrap()).abs().max();
/// assert!(f64::try_from(err).unwrap() < 1e-4);
/// ```
#[derive(Debug)]
pub struct GmP4Field {
    in_frames: i64,
    input: nn::Conv1D,
    blocks: Vec<P4GroupConv>,
    prelus: Vec<Tensor>,
    output: nn::Conv1D,
}

/// Fields `(B, 4C, H, W)` mixed pointwise by `conv` (`C → O`): `(B, 4O, H, W)`.
fn mix_fields(conv: &nn::Conv1D, x: &Tensor) -> Result<Tensor> {
    let size = x.size();
    let fields = x.f_reshape([size[0], size[1] / ORIENTATIONS, -1])?;
    let mixed = pointwise_conv(conv, &fields)?;
    Ok(mixed.f_reshape([size[0], -1, size[2], size[3]])?)
}

impl GmP4Field {
    /// The model of `config` under `vs` in the GM-CNN's shared channel mode.
    ///
    /// # Errors
    /// As [`GmP4Field::with_mode`].
    pub fn new<'a, P: Borrow<Path<'a>>>(vs: P, config: &FieldNetConfig) -> Result<Self> {
        Self::with_mode(vs, config, ChannelMode::Shared)
    }

    /// The model of `config` under `vs`, its group convolutions in channel mode `mode`.
    ///
    /// # Errors
    /// [`NnError::InvalidConfig`] for fewer than 3 layers (input mixing, a block, output
    /// mixing), no frames, no hidden fields or an even kernel size; [`NnError::Torch`] from
    /// libtorch.
    pub fn with_mode<'a, P: Borrow<Path<'a>>>(
        vs: P,
        config: &FieldNetConfig,
        mode: ChannelMode,
    ) -> Result<Self> {
        let vs = vs.borrow();
        if config.layers < 3 || config.in_frames == 0 || config.out_frames == 0 {
            return Err(NnError::InvalidConfig(format!(
                "GmP4Field needs at least 3 layers (input mixing, a block, output mixing) and frames in and out, got {} layers, {} → {} frames",
                config.layers, config.in_frames, config.out_frames
            )));
        }
        let (f, c) = (config.in_frames as i64, config.hidden as i64);
        let input = torch_pointwise(vs / "input", f, c);
        let conv = P4ConvConfig {
            kernel_size: config.kernel_size,
            mode,
            bias: true,
            padding: super::Padding::Circular,
        };
        let mut blocks = Vec::with_capacity(config.layers - 2);
        let mut prelus = Vec::with_capacity(config.layers - 2);
        for i in 0..config.layers - 2 {
            let path = vs / "blocks" / i;
            let reads = if i == 0 {
                config.in_frames
            } else {
                config.hidden
            };
            blocks.push(P4GroupConv::new(&path, reads, config.hidden, conv)?);
            prelus.push(path.f_var("prelu", &[1], Init::Const(0.25))?);
        }
        let bound = 1.0 / (c as f64).sqrt();
        let output = nn::conv1d(
            vs / "output",
            c,
            config.out_frames as i64,
            1,
            nn::ConvConfig {
                ws_init: Init::Uniform {
                    lo: -bound,
                    up: bound,
                },
                bias: false,
                ..Default::default()
            },
        );
        Ok(Self {
            in_frames: f,
            input,
            blocks,
            prelus,
            output,
        })
    }

    /// The blocks' group convolutions, first to last.
    pub fn blocks(&self) -> &[P4GroupConv] {
        &self.blocks
    }

    /// The forward pass with errors reported; it computes in `xs`'s dtype.
    ///
    /// # Errors
    /// [`NnError::ShapeMismatch`] when `xs` is not `(B, 2·in_frames, H, W)`;
    /// [`NnError::Torch`] from libtorch.
    pub fn f_forward(&self, xs: &Tensor) -> Result<Tensor> {
        let mut x = lift_vector_field(xs)?;
        check_regular_input(&x, self.in_frames, "GmP4Field (lifted)")?;
        let mut out = mix_fields(&self.input, &x)?;
        for (block, prelu) in self.blocks.iter().zip(&self.prelus) {
            let y = block.f_forward(&x)?;
            x = shared_prelu(&y, prelu)?.f_add(&out)?;
            out = x.shallow_clone();
        }
        project_regular_field(&mix_fields(&self.output, &out)?)
    }
}

impl ModuleT for GmP4Field {
    fn forward_t(&self, xs: &Tensor, _train: bool) -> Tensor {
        self.f_forward(xs).expect("GmP4Field forward")
    }
}

/// An exact model: no soft constraint.
impl FieldNet for GmP4Field {}
