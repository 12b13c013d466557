//! The exact GM convolution layer.

use super::backend::ConvBackend;
use super::config::{ChannelMode, GMConvConfig};
use super::planner::{self, ConvShape};
use crate::lowering::Lowering;
use crate::precision::param_like;
use crate::Result;
use std::borrow::Borrow;
use tch::nn::{Init, Module, Path};
use tch::Tensor;

/// The exact (equivariant) GM convolution
///
/// `y[b,o,a] = bias_o + Σ_i Σ_k w[o,i,k]·x[b,i, index(g_a·s_k)]`,
///
/// i.e. `y_o = bias_o + Σ_i M_{f_{oi}} x_i` with `f_{oi}(s_k) = w[o,i,k]` and the group
/// matrix `M_f[a,b] = f(g_a⁻¹g_b)`; it commutes with the left-regular action of `G`.
/// In [`ChannelMode::Shared`] the weight is `(O, 1, K)` and applies to `Σ_i x_i`.
///
/// **Reference convention.** The reference gathers `x[g_a·s_k⁻¹]` with its list
/// `S_ref`; this layer with support `[s⁻¹ for s in S_ref]` (what
/// [`crate::lowering::radius_support`] returns) and the same weight vector is the same map.
///
/// Parameters: `weight` `(O, 1|C, K)` initialised `U(−1/√(K·C_w), 1/√(K·C_w))` (the
/// reference's `U(−K^{−1/2}, K^{−1/2})` in shared mode), `bias` `(O)` initialised to 0.
///
/// # Shapes
/// input `(B, C, n)` → output `(B, O, n)`.
///
/// # Example
/// ```
/// use gm_algebra::group::parse_group;
/// use gm_nn::conv::{GMConv, GMConvConfig};
/// use gm_nn::lowering::{Lowering, Support};
/// use tch::{nn::Module, Device, Kind, Tensor};
/// let vs = tch::nn::VarStore::new(Device::Cpu);
/// let lowering = Lowering::new(parse_group("D3").unwrap(), &Support::Elements(vec![0, 1, 3]), Device::Cpu).unwrap();
/// let conv = GMConv::new(vs.root(), 2, 4, &lowering, GMConvConfig::default()).unwrap();
/// let y = conv.forward(&Tensor::randn([5, 2, 6], (Kind::Float, Device::Cpu)));
/// assert_eq!(y.size(), vec![5, 4, 6]);
/// ```
#[derive(Debug)]
pub struct GMConv {
    /// The kernel weights `(O, 1|C, K)`.
    pub weight: Tensor,
    /// The bias `(O)`, if any.
    pub bias: Option<Tensor>,
    backend: Box<dyn ConvBackend>,
    in_channels: usize,
    order: usize,
}

impl GMConv {
    /// A GM convolution `in_channels → out_channels` on `lowering`'s group and support, its
    /// parameters created under `vs` (`weight`, `bias`), its backend planned per `config`.
    ///
    /// # Errors
    /// [`crate::NnError::BackendUnavailable`] for a fixed backend that does not apply;
    /// [`crate::NnError::Torch`] from libtorch.
    pub fn new<'a, P: Borrow<Path<'a>>>(
        vs: P,
        in_channels: usize,
        out_channels: usize,
        lowering: &Lowering,
        config: GMConvConfig,
    ) -> Result<Self> {
        let vs = vs.borrow();
        let k = lowering.kernel_size() as i64;
        let ci = match config.mode {
            ChannelMode::Shared => 1,
            ChannelMode::Full => in_channels as i64,
        };
        let bound = 1.0 / ((k * ci) as f64).sqrt();
        let weight = vs.f_var(
            "weight",
            &[out_channels as i64, ci, k],
            Init::Uniform {
                lo: -bound,
                up: bound,
            },
        )?;
        let bias = config
            .bias
            .then(|| vs.f_zeros("bias", &[out_channels as i64]))
            .transpose()?;
        let shape = ConvShape {
            batch: config.batch_hint,
            in_channels,
            out_channels,
            mode: config.mode,
        };
        let backend = planner::plan(lowering, &shape, config.backend)?;
        Ok(Self {
            weight,
            bias,
            backend,
            in_channels,
            order: lowering.order(),
        })
    }

    /// The backend in use.
    pub fn backend(&self) -> &dyn ConvBackend {
        self.backend.as_ref()
    }

    /// Replaces the backend (e.g. to compare backends on the same weights).
    pub fn set_backend(&mut self, backend: Box<dyn ConvBackend>) {
        self.backend = backend;
    }

    /// The number of input channels `C`.
    pub fn in_channels(&self) -> usize {
        self.in_channels
    }

    /// The group order `n`.
    pub fn order(&self) -> usize {
        self.order
    }

    /// The forward pass with errors reported; it computes in `xs`'s dtype (fp32 weights are
    /// cast on use, see [`crate::precision`]).
    ///
    /// # Errors
    /// [`crate::NnError::Torch`] on a shape or device mismatch.
    pub fn f_forward(&self, xs: &Tensor) -> Result<Tensor> {
        self.f_forward_with(xs, &self.weight, self.bias.as_ref())
    }

    /// The forward pass with parameters owned elsewhere (e.g. `torch.nn.Parameter`s of a
    /// Python module): this layer's group, support and backend applied with `weight`
    /// (the shape of [`GMConv::weight`]) and `bias` (`(O)`, or none). Gradients flow to the
    /// given tensors; [`GMConv::f_forward`] is this with the layer's own parameters.
    ///
    /// # Errors
    /// [`crate::NnError::Torch`] on a shape or device mismatch.
    pub fn f_forward_with(
        &self,
        xs: &Tensor,
        weight: &Tensor,
        bias: Option<&Tensor>,
    ) -> Result<Tensor> {
        let y = self.backend.forward(xs, &param_like(weight, xs)?)?;
        Ok(match bias {
            Some(b) => y.f_add(&param_like(b, xs)?.f_view([-1, 1])?)?,
            None => y,
        })
    }
}

impl Module for GMConv {
    fn forward(&self, xs: &Tensor) -> Tensor {
        self.f_forward(xs).expect("GMConv forward")
    }
}

impl crate::dense::ExportDense for GMConv {
    /// The `(O·n, C·n)` matrix: block `(o, i)` is the group matrix `M_{f_{oi}}` (shared mode:
    /// `M_{f_o}` in every block of row `o`).
    fn export_dense(&self) -> Result<Tensor> {
        crate::dense::linear_map_matrix(
            self.in_channels,
            self.order,
            self.weight.kind(),
            self.weight.device(),
            |x| self.f_forward(x),
        )
    }
}
