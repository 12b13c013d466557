//! The reference's GM regression model for smoke plumes, as its regression runner builds it.

use super::config::ReferenceRegressionConfig;
use super::fused_block::{self, fused_scaled_block};
use crate::activation::shared_prelu;
use crate::conv::ErrorVectorGMConv;
use crate::precision::pointwise_conv;
use crate::Result;
use std::borrow::Borrow;
use tch::nn::{self, Init, ModuleT, Path};
use tch::Tensor;

/// The reference regression model (kiryteo/GM-CNN, commit 2c68809,
/// `gmcnn/plume_rotation_runner.py`, `ImplicitCNN.__init__` and `ImplicitCNN.forward`):
///
/// ```text
/// out = conv1x1(input)                      // in → hidden
/// x = input
/// for each block:  x = PReLU_b(GMConv_b(x)) + out;  out = x
/// result = conv1x1(out)                     // hidden → out
/// ```
///
/// Every `GMConv_b` is an [`ErrorVectorGMConv`] (a kernel `(hidden, 1, K)` shared by the
/// input channels, a bias and one unit-norm position vector `e ∈ ℝⁿ`); the first reads the
/// raw `in` input channels (summed by its shared kernel), the others `hidden`. Each block has
/// its own single-parameter PReLU (initialised to 0.25). The 1×1 convolutions start as
/// PyTorch's `nn.Conv2d` does (weight and bias `U(±1/√fan_in)`).
///
/// Parameter count (shared channel mode): `(in+1)·C + blocks·(C·K + C + n + 1) + (C+1)·out`
/// — 13,356 for the default config (`C64xC64`, `t = 1`, 20 → 120 → 2, 2 blocks),
/// 24,454 with 128 channels and 4 blocks.
///
/// Training mode projects every block's kernel rows and `e` onto the unit sphere in place
/// before using them; evaluation mode uses the projections without modifying the parameters
/// (see [`ErrorVectorGMConv`]).
///
/// Parameter paths: `input/…`, `blocks/<i>/weight|bias|error|prelu`, `output/…`.
///
/// On the CPU, blocks in shared channel mode run as one fused operation each
/// ([`fused_scaled_block`]), the same map computed one sample at a time in cache; on by
/// default, [`super::FieldNet::set_fused_blocks`] turns it off.
///
/// # Shapes
/// `(B, in, H, W)` → `(B, out, H, W)` (or `(B, in, n)` → `(B, out, n)`).
///
/// # Example
/// ```
/// use gm_algebra::group::parse_group;
/// use gm_nn::model::{parameter_count, ReferenceRegression, ReferenceRegressionConfig};
/// use tch::{nn::{ModuleT, VarStore}, Device, Kind, Tensor};
/// let config = ReferenceRegressionConfig {
///     group: parse_group("C8xC8").unwrap(),
///     hidden: 6,
///     ..Default::default()
/// };
/// let vs = VarStore::new(Device::Cpu);
/// let model = ReferenceRegression::new(vs.root(), &config).unwrap();
/// let y = model.forward_t(&Tensor::randn([3, 20, 8, 8], (Kind::Float, Device::Cpu)), false);
/// assert_eq!(y.size(), vec![3, 2, 8, 8]);
/// // 21·6 + 2·(6·9 + 6 + 64 + 1) + 7·2
/// assert_eq!(parameter_count(&vs), 126 + 250 + 14);
/// ```
#[derive(Debug)]
pub struct ReferenceRegression {
    input: nn::Conv1D,
    blocks: Vec<ErrorVectorGMConv>,
    prelus: Vec<Tensor>,
    output: nn::Conv1D,
    /// The lowering's gather table `(K, n)` (the fused blocks').
    table: Tensor,
    /// Whether blocks run fused where [`fused_block::applies`].
    fused: bool,
}

/// A 1×1 convolution `cin → cout` initialised as PyTorch's `nn.Conv2d` (weight and bias
/// `U(±1/√cin)`), as the reference's `conv1x1` and `out_conv`.
pub(crate) fn torch_pointwise(vs: Path, cin: i64, cout: i64) -> nn::Conv1D {
    let bound = 1.0 / (cin as f64).sqrt();
    let init = Init::Uniform {
        lo: -bound,
        up: bound,
    };
    let config = nn::ConvConfig {
        ws_init: init,
        bs_init: init,
        ..Default::default()
    };
    nn::conv1d(vs, cin, cout, 1, config)
}

impl ReferenceRegression {
    /// Builds the model of `config` under `vs`.
    ///
    /// # Errors
    /// As [`ReferenceRegressionConfig::lowering`] and [`ErrorVectorGMConv::new`].
    pub fn new<'a, P: Borrow<Path<'a>>>(vs: P, config: &ReferenceRegressionConfig) -> Result<Self> {
        let vs = vs.borrow();
        let lowering = config.lowering(vs.device())?;
        let (cin, h, cout) = (
            config.in_channels as i64,
            config.hidden as i64,
            config.out_channels as i64,
        );
        let input = torch_pointwise(vs / "input", cin, h);
        let mut blocks = Vec::with_capacity(config.blocks);
        let mut prelus = Vec::with_capacity(config.blocks);
        for i in 0..config.blocks {
            let path = vs / "blocks" / i;
            let reads = if i == 0 {
                config.in_channels
            } else {
                config.hidden
            };
            blocks.push(ErrorVectorGMConv::new(
                &path,
                reads,
                config.hidden,
                &lowering,
                config.conv,
            )?);
            prelus.push(path.f_var("prelu", &[1], Init::Const(0.25))?);
        }
        let output = torch_pointwise(vs / "output", h, cout);
        Ok(Self {
            input,
            blocks,
            prelus,
            output,
            table: lowering.table().shallow_clone(),
            fused: true,
        })
    }

    /// The blocks' layers, first to last.
    pub fn blocks(&self) -> &[ErrorVectorGMConv] {
        &self.blocks
    }

    /// The forward pass with errors reported; it computes in the dtype of `xs` (see
    /// [`crate::precision`]). With `train` the blocks first project their parameters.
    ///
    /// # Errors
    /// [`crate::NnError::Torch`] on a shape mismatch.
    pub fn f_forward_t(&self, xs: &Tensor, train: bool) -> Result<Tensor> {
        let size = xs.size();
        let mut x = xs.f_reshape([size[0], size[1], -1])?;
        let mut out = pointwise_conv(&self.input, &x)?;
        for (i, (block, prelu)) in self.blocks.iter().zip(&self.prelus).enumerate() {
            x = if self.fused && fused_block::applies(x.device(), x.kind(), &block.conv.weight) {
                let (weight, error) = block.projected(train)?;
                let bias = match &block.bias {
                    Some(b) => b.shallow_clone(),
                    None => Tensor::f_zeros([weight.size()[0]], (weight.kind(), weight.device()))?,
                };
                // After the first block the skip is the block's own input.
                let skip = (i == 0).then_some(&out);
                fused_scaled_block(&x, skip, &weight, &error, &bias, prelu, &self.table)?
            } else {
                let y = block.f_forward_t(&x, train)?;
                shared_prelu(&y, prelu)?.f_add(&out)?
            };
            out = x.shallow_clone();
        }
        let y = pointwise_conv(&self.output, &out)?;
        let mut shape = size;
        shape[1] = y.size()[1];
        Ok(y.f_reshape(shape)?)
    }
}

impl ModuleT for ReferenceRegression {
    fn forward_t(&self, xs: &Tensor, train: bool) -> Tensor {
        self.f_forward_t(xs, train)
            .expect("ReferenceRegression forward")
    }
}

/// No soft constraint: the relaxation is part of the model.
impl super::FieldNet for ReferenceRegression {
    fn backends(&self) -> Vec<crate::conv::BackendKind> {
        self.blocks
            .iter()
            .map(|b| b.conv.backend().kind())
            .collect()
    }

    fn fused_on(&self, device: tch::Device, kind: tch::Kind) -> Vec<bool> {
        self.blocks
            .iter()
            .map(|b| self.fused && fused_block::applies(device, kind, &b.conv.weight))
            .collect()
    }

    fn set_fused_blocks(&mut self, on: bool) {
        self.fused = on;
    }
}
