//! `Lift`: an unconstrained encoder feeding an equivariant backbone (Wang et al.'s
//! `Lift_Rot_Expansion`).
use super::equiv::SteerableStack;
use super::plan::{equivariant_stack, torch_batch_norm, validate};
use super::steerable::FieldRep;
use crate::field::ORIENTATIONS;
use crate::model::{FieldNet, FieldNetConfig};
use crate::precision::linear;
use crate::{NnError, Result};
use tch::nn::{self, ModuleT, Path};
use tch::Tensor;

/// The layer after which the encoder's features join the backbone (the reference's
/// `e2conv_1` has two steerable layers).
pub const LIFT_JOIN_AFTER: usize = 2;

/// Lift expansion (`models/model_rotation.py`, `Lift_Rot_Expansion`):
///
/// - an **encoder** MLP on the flattened input, `Linear(2F·H·W → h) ─ BN1d ─ ReLU ─
///   Linear(h → h) ─ BN1d ─ ReLU ─ Linear(h → h)`: `h` channels = `h/4` regular fields,
///   constant over the grid (the reference's `backbone_hidden_dim·N/4` with `N = 4`; it
///   hard-codes the JetFlow grid 62 × 23, here it is `height × width`; both widths are
///   `hidden`);
/// - an **equivariant backbone** as [`super::Equiv`] whose first [`LIFT_JOIN_AFTER`] layers
///   see the input and whose next layer reads their `h` regular fields concatenated with the
///   encoder's `h/4` (`h + h/4` fields); `layers = 5` is the reference, at least 4 are needed.
///
/// The encoder ignores the symmetry, so the model is not equivariant: it can lift a
/// symmetry-breaking summary of the whole input into the backbone.
///
/// Parameters with `F` in, `G` out frames, width `h` (a multiple of 4), `L` layers on
/// `H × W` and basis sizes `B_vr, B_rr, B_rv`: encoder
/// `2F·H·W·h + 3h + h² + 3h + h² + h`; backbone `h·F·B_vr + 3h + (L − 3)(h²·B_rr + 3h)
///  + h·(h + h/4)·B_rr + 3h + G·h·B_rv`.
///
/// Parameter paths: `encoder.{0,1,2}.…`, `encoder.norm{0,1}.…`, `backbone.layers.<l>.…`.
///
/// # Shapes
/// `(B, 2·in_frames, height, width)` → `(B, 2·out_frames, height, width)`, square grid.
#[derive(Debug)]
pub struct Lift {
    encoder: Vec<nn::Linear>,
    encoder_norms: Vec<nn::BatchNorm>,
    backbone: SteerableStack,
    input_shape: [i64; 3],
}

impl Lift {
    /// The model under `vs`.
    ///
    /// # Errors
    /// [`NnError::InvalidConfig`] for fewer than `LIFT_JOIN_AFTER + 2` layers (the join is
    /// into a hidden layer, as in the reference), a width that
    /// is not a multiple of 4, or sizes no baseline can be built with.
    pub fn new(vs: &Path, config: &FieldNetConfig) -> Result<Self> {
        validate(config)?;
        let h = config.hidden;
        if config.layers < LIFT_JOIN_AFTER + 2 || !h.is_multiple_of(ORIENTATIONS as usize) {
            return Err(NnError::InvalidConfig(format!(
                "Lift needs at least {} layers and a hidden width divisible by {ORIENTATIONS}, \
                 got {} layers of width {h}",
                LIFT_JOIN_AFTER + 2,
                config.layers
            )));
        }
        let input_shape = [
            2 * config.in_frames as i64,
            config.height as i64,
            config.width as i64,
        ];
        let e = vs / "encoder";
        let flat: i64 = input_shape.iter().product();
        let dims = [flat, h as i64, h as i64, h as i64];
        let encoder = (0..3)
            .map(|i| nn::linear(&e / i, dims[i], dims[i + 1], Default::default()))
            .collect();
        let encoder_norms = (0..2)
            .map(|i| nn::batch_norm1d(&e / format!("norm{i}"), h as i64, torch_batch_norm()))
            .collect();
        let mut fields = equivariant_stack(config)?;
        fields[LIFT_JOIN_AFTER].input = (FieldRep::Regular, h + h / ORIENTATIONS as usize);
        let backbone = SteerableStack::new(&(vs / "backbone"), &fields, config.kernel_size)?;
        Ok(Self {
            encoder,
            encoder_norms,
            backbone,
            input_shape,
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
                what: format!("Lift input (B, {:?}), got shape {size:?}", self.input_shape),
                expected: self.input_shape.iter().product(),
                got: size.iter().skip(1).product(),
            });
        }
        let mut code = xs.f_flatten(1, -1)?;
        for (i, layer) in self.encoder.iter().enumerate() {
            code = linear(layer, &code)?;
            if let Some(norm) = self.encoder_norms.get(i) {
                code = norm.forward_t(&code, train).f_relu()?;
            }
        }
        let lifted = code
            .f_view([size[0], -1, 1, 1])?
            .f_expand([size[0], -1, size[2], size[3]], false)?;
        let hidden = self.backbone.f_forward_t(xs, 0..LIFT_JOIN_AFTER, train)?;
        let joined = Tensor::f_cat(&[hidden, lifted], 1)?;
        self.backbone
            .f_forward_t(&joined, LIFT_JOIN_AFTER..self.backbone.len(), train)
    }
}

impl ModuleT for Lift {
    /// # Panics
    /// On the errors of [`Lift::f_forward_t`].
    fn forward_t(&self, xs: &Tensor, train: bool) -> Tensor {
        self.f_forward_t(xs, train).expect("Lift forward")
    }
}

impl FieldNet for Lift {}
