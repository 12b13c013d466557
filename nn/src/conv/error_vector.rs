//! The reference's regression layer: a GM convolution scaled by a learned unit-norm
//! position vector, with its kernel rows and the vector kept on the unit sphere by projection.

use super::config::GMConvConfig;
use super::exact::GMConv;
use crate::lowering::Lowering;
use crate::precision::param_like;
use crate::Result;
use std::borrow::Borrow;
use tch::nn::{Init, ModuleT, Path};
use tch::Tensor;

/// The GM convolution of the reference's regression model (kiryteo/GM-CNN, commit 2c68809,
/// `gmcnn/plume_rotation_runner.py`, class `GMConv`; the same layer as `GMConvReg` in
/// `gmcnn/gm_convolution/gmconv_regression.py`):
///
/// `y[b,o,a] = bias_o + e[a] · Σ_k ŵ[o,k] Σ_i x[b,i, index(g_a·s_k)]`,
///
/// i.e. `y_o = diag(e)·M_{ŵ_o}·Σ_i x_i + bias_o`: the exact GM convolution [`GMConv`] (shared
/// channel mode in the reference) followed by a multiplication of every output position `a`
/// by one learned scalar `e[a]`, the same for every output channel, and the bias added after
/// the scaling. The reference multiplies the gathered input `x[…, g_a·s_k⁻¹]` by `e[a]`
/// before contracting with the kernel, which is the same map (`e[a]` depends on neither `k`
/// nor the input channel). A constant `e` gives an exactly equivariant layer; a general `e`
/// gives a matrix of diagonal-form displacement rank at most 1 (the rank-1 case of
/// [`super::RelaxedGMConv`]'s diagonal form, with no exact part).
///
/// # The unit-norm projection
/// `e ∈ ℝⁿ` and every kernel row `w[o,i,·] ∈ ℝ^K` are kept at unit Euclidean norm by a
/// *projection*, not by a differentiable normalisation. The reference divides the
/// parameters' `.data` in place at the start of each forward pass, outside autograd; this
/// layer does the same in training mode ([`ErrorVectorGMConv::project`], through
/// [`Tensor::data`], which shares the storage but not the version counter, so a rollout of
/// several forward passes before one backward pass stays valid). The gradient is therefore
/// the gradient with respect to the parameters as used (`∂L/∂ŵ`, `∂L/∂e`), with no
/// component removed along the parameter itself, and the optimiser steps from the projected
/// point (projected gradient descent).
///
/// - Construction projects once, so the stored parameters start on the sphere.
/// - Training mode (`train = true`) projects in place, then uses the parameters.
/// - Evaluation mode (`train = false`) does not modify the parameters: it uses
///   `w / ‖w‖` and `e / ‖e‖` computed with the norms held constant — the same values (the
///   same division, bit for bit) that a training-mode pass would store and use. Evaluating a
///   model therefore never changes its weights, and a checkpoint holds exactly the weights
///   the optimiser left; a resumed run projects them at its first training pass, as the
///   uninterrupted run does.
///
/// Parameters: `weight` `(O, 1|C, K)` (as [`GMConv`], initialised `U(±1/√(K·C_w))`, then
/// projected: the reference's kaiming-uniform with `a = √5`), `bias` `(O)` initialised to 0
/// (when [`GMConvConfig::bias`]), `error` `(n)` initialised `U(±1/√n)` then projected (the
/// reference's kaiming-uniform of a `(1, n)` tensor).
///
/// # Shapes
/// input `(B, C, n)` → output `(B, O, n)`.
///
/// # Example
/// ```
/// use gm_algebra::group::parse_group;
/// use gm_nn::conv::{ErrorVectorGMConv, GMConvConfig};
/// use gm_nn::lowering::{Lowering, Support};
/// use tch::{nn::ModuleT, Device, Kind, Tensor};
/// let vs = tch::nn::VarStore::new(Device::Cpu);
/// let l = Lowering::new(parse_group("C4xC4").unwrap(), &Support::Radius(1), Device::Cpu).unwrap();
/// let conv = ErrorVectorGMConv::new(vs.root(), 3, 5, &l, GMConvConfig::default()).unwrap();
/// let y = conv.forward_t(&Tensor::randn([2, 3, 16], (Kind::Float, Device::Cpu)), true);
/// assert_eq!(y.size(), vec![2, 5, 16]);
/// let norm = conv.error.norm().double_value(&[]);
/// assert!((norm - 1.0).abs() < 1e-6);
/// ```
#[derive(Debug)]
pub struct ErrorVectorGMConv {
    /// The GM convolution without bias; its `weight` holds the kernel rows.
    pub conv: GMConv,
    /// The bias `(O)`, added after the scaling by `e`, if any.
    pub bias: Option<Tensor>,
    /// The position vector `e`, `(n)`.
    pub error: Tensor,
}

impl ErrorVectorGMConv {
    /// The layer `in_channels → out_channels` on `lowering`'s group and support, its
    /// parameters created under `vs` (`weight`, `bias`, `error`) and projected onto the unit
    /// sphere.
    ///
    /// # Errors
    /// As [`GMConv::new`].
    pub fn new<'a, P: Borrow<Path<'a>>>(
        vs: P,
        in_channels: usize,
        out_channels: usize,
        lowering: &Lowering,
        config: GMConvConfig,
    ) -> Result<Self> {
        let vs = vs.borrow();
        let conv = GMConv::new(
            vs,
            in_channels,
            out_channels,
            lowering,
            GMConvConfig {
                bias: false,
                ..config
            },
        )?;
        let bias = config
            .bias
            .then(|| vs.f_zeros("bias", &[out_channels as i64]))
            .transpose()?;
        let n = lowering.order() as i64;
        let bound = 1.0 / (n as f64).sqrt();
        let error = vs.f_var(
            "error",
            &[n],
            Init::Uniform {
                lo: -bound,
                up: bound,
            },
        )?;
        let layer = Self { conv, bias, error };
        layer.project()?;
        Ok(layer)
    }

    /// Projects `e` and every kernel row onto the unit sphere, in place and outside autograd
    /// (the reference's `.data /= norm`): the storage the optimiser and the checkpoints see
    /// changes, the version counter autograd checks does not.
    ///
    /// # Errors
    /// [`crate::NnError::Torch`] from libtorch.
    pub fn project(&self) -> Result<()> {
        tch::no_grad(|| {
            for p in [&self.conv.weight, &self.error] {
                let mut data = p.f_data()?;
                let norm = row_norm(&data)?;
                let _ = data.f_div_(&norm)?;
            }
            Ok(())
        })
    }

    /// The kernel `ŵ` and position vector `ê` a forward pass uses: in training mode the
    /// parameters themselves after [`Self::project`]; in evaluation mode the projections
    /// computed aside (norms held constant), leaving the parameters untouched.
    pub(crate) fn projected(&self, train: bool) -> Result<(Tensor, Tensor)> {
        if train {
            self.project()?;
            return Ok((self.conv.weight.shallow_clone(), self.error.shallow_clone()));
        }
        let aside = |p: &Tensor| -> Result<Tensor> {
            let norm = tch::no_grad(|| row_norm(&p.f_detach()?))?;
            Ok(p.f_div(&norm)?)
        };
        Ok((aside(&self.conv.weight)?, aside(&self.error)?))
    }

    /// The forward pass with errors reported; it computes in the dtype of `xs` (see
    /// [`crate::precision`]). In training mode it first projects the parameters (see the
    /// type's docs).
    ///
    /// # Errors
    /// [`crate::NnError::Torch`] on a shape or device mismatch.
    pub fn f_forward_t(&self, xs: &Tensor, train: bool) -> Result<Tensor> {
        let (weight, error) = self.projected(train)?;
        let y = self
            .conv
            .backend()
            .forward(xs, &param_like(&weight, xs)?)?
            .f_mul(&param_like(&error, xs)?)?;
        Ok(match &self.bias {
            Some(b) => y.f_add(&param_like(b, xs)?.f_view([-1, 1])?)?,
            None => y,
        })
    }
}

/// The Euclidean norm of `t` along its last axis, kept as an axis of size 1 (one norm per
/// kernel row; one for the whole vector `e`) — the reference's
/// `torch.norm(w, dim=-1, keepdim=True)`.
fn row_norm(t: &Tensor) -> Result<Tensor> {
    Ok(t.f_norm_scalaropt_dim(2.0, [-1i64].as_slice(), true)?)
}

impl ModuleT for ErrorVectorGMConv {
    fn forward_t(&self, xs: &Tensor, train: bool) -> Tensor {
        self.f_forward_t(xs, train)
            .expect("ErrorVectorGMConv forward")
    }
}

impl crate::dense::ExportDense for ErrorVectorGMConv {
    /// The `(O·n, C·n)` matrix `diag(ê)·M_{ŵ_o}` per channel block (evaluation mode: the
    /// parameters are not modified).
    fn export_dense(&self) -> Result<Tensor> {
        crate::dense::linear_map_matrix(
            self.conv.in_channels(),
            self.conv.order(),
            self.conv.weight.kind(),
            self.conv.weight.device(),
            |x| self.f_forward_t(x, false),
        )
    }
}
