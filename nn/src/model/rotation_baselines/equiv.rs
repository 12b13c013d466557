//! `Equiv`: the exactly rotation-equivariant baseline (Wang et al.'s `E2CNN`).
use super::field_norm::FieldBatchNorm;
use super::plan::{equivariant_stack, LayerFields};
use super::steerable_conv::SteerableConv;
use crate::model::{FieldNet, FieldNetConfig};
use crate::Result;
use tch::nn::{ModuleT, Path};
use tch::Tensor;

/// The `C4`-equivariant CNN of Wang, Walters & Yu (`models/model_rotation.py`, `E2CNN`):
///
/// ```text
/// in_frames vector fields ─ SteerableConv ─ FieldBatchNorm ─ ReLU      (hidden regular fields)
///   ─ (layers − 2) × [SteerableConv ─ FieldBatchNorm ─ ReLU]
///   ─ SteerableConv ─ out_frames vector fields
/// ```
///
/// Every layer is a [`SteerableConv`] (exact grid basis, equivariant bias), the norms are
/// [`FieldBatchNorm`] (e2cnn's `InnerBatchNorm`), and ReLU acts per channel, which commutes
/// with the permutations of a regular field. The whole network is exactly equivariant to
/// quarter turns in evaluation mode ([`crate::field::rotate_vector_field`] on both sides).
///
/// Parameters with `F` in, `G` out frames, width `h`, `L` layers and the basis sizes
/// `B_vr, B_rr, B_rv` (18, 36, 18 on 3 × 3):
/// `h·F·B_vr + 3h + (L − 2)(h²·B_rr + 3h) + G·h·B_rv`.
///
/// Parameter paths: `layers.<l>.conv.{weight,bias}`, `layers.<l>.norm.…`.
///
/// # Shapes
/// `(B, 2·in_frames, H, W)` → `(B, 2·out_frames, H, W)`, `H = W`.
///
/// # Example
/// ```
/// use gm_nn::model::rotation_baselines::Equiv;
/// use gm_nn::model::{parameter_count, FieldNetConfig};
/// use tch::{nn::{ModuleT, VarStore}, Device, Kind, Tensor};
/// let config = FieldNetConfig { in_frames: 2, out_frames: 1, hidden: 3, layers: 3,
///     kernel_size: 3, height: 8, width: 8, banks: 1, alpha: 0.0 };
/// let vs = VarStore::new(Device::Cpu);
/// let model = Equiv::new(&vs.root(), &config).unwrap();
/// let y = model.forward_t(&Tensor::randn([2, 4, 8, 8], (Kind::Float, Device::Cpu)), false);
/// assert_eq!(y.size(), vec![2, 2, 8, 8]);
/// assert_eq!(parameter_count(&vs), 3 * 2 * 18 + 9 + (9 * 36 + 9) + 3 * 18);
/// ```
#[derive(Debug)]
pub struct Equiv {
    stack: SteerableStack,
}

impl Equiv {
    /// The model under `vs`.
    ///
    /// # Errors
    /// [`crate::NnError::InvalidConfig`] for sizes it cannot be built with.
    pub fn new(vs: &Path, config: &FieldNetConfig) -> Result<Self> {
        let stack = SteerableStack::new(vs, &equivariant_stack(config)?, config.kernel_size)?;
        Ok(Self { stack })
    }

    /// The forward pass.
    ///
    /// # Errors
    /// [`crate::NnError::Torch`] on a shape mismatch.
    pub fn f_forward_t(&self, xs: &Tensor, train: bool) -> Result<Tensor> {
        self.stack.f_forward_t(xs, 0..self.stack.len(), train)
    }
}

/// Steerable layers, each but the last followed by [`FieldBatchNorm`] and ReLU; run in
/// ranges so that a model can insert features between them ([`super::Lift`]).
#[derive(Debug)]
pub(super) struct SteerableStack {
    convs: Vec<SteerableConv>,
    norms: Vec<FieldBatchNorm>,
}

impl SteerableStack {
    /// The layers `fields` under `vs / "layers"`.
    pub(super) fn new(vs: &Path, fields: &[LayerFields], kernel_size: usize) -> Result<Self> {
        let mut convs = Vec::new();
        let mut norms = Vec::new();
        for (l, fields) in fields.iter().enumerate() {
            let p = vs / "layers" / l;
            convs.push(SteerableConv::new(
                &(&p / "conv"),
                fields.input,
                fields.output,
                kernel_size,
            )?);
            if !fields.is_last() {
                norms.push(FieldBatchNorm::new(&(&p / "norm"), fields.output.1));
            }
        }
        Ok(Self { convs, norms })
    }

    /// The number of layers.
    pub(super) fn len(&self) -> usize {
        self.convs.len()
    }

    /// Layers `range` applied to `xs`.
    pub(super) fn f_forward_t(
        &self,
        xs: &Tensor,
        range: std::ops::Range<usize>,
        train: bool,
    ) -> Result<Tensor> {
        let mut x = xs.shallow_clone();
        for l in range {
            x = self.convs[l].f_forward(&x)?;
            if let Some(norm) = self.norms.get(l) {
                x = norm.f_forward_t(&x, train)?.f_relu()?;
            }
        }
        Ok(x)
    }
}

impl ModuleT for Equiv {
    /// # Panics
    /// On the errors of [`Equiv::f_forward_t`].
    fn forward_t(&self, xs: &Tensor, train: bool) -> Tensor {
        self.f_forward_t(xs, train).expect("Equiv forward")
    }
}

impl FieldNet for Equiv {}
