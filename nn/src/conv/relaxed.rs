//! The relaxed (approximately equivariant) GM convolution of rank `r` (its diagonal-form
//! displacement rank is at most `r`).

use super::config::GMConvConfig;
use super::exact::GMConv;
use crate::lowering::Lowering;
use crate::precision::param_like;
use crate::Result;
use std::borrow::Borrow;
use tch::nn::{Init, Module, Path};
use tch::Tensor;

/// The rank-`r` relaxed GM convolution.
///
/// Every `n×n` matrix indexed by the group is uniquely `M = Σ_g diag(d_g)·B_g` with
/// `B_g[a,b] = [g_a⁻¹g_b = g]` and `d_g[a] = M[a, index(g_a g)]` (the diagonal form: the
/// supports of the `B_g` partition the entries); a GM has every `d_g` constant. This layer takes the coefficient table
/// `F[g][a] = f(g) + Σ_{i<r} u_i(g)·v_i(a)` (kernel `f` plus a rank-`r` position-dependent
/// part), so that
///
/// `M = M_f + Σ_i diag(v_i)·M_{u_i}`, i.e. `y = M_f x + Σ_i v_i ⊙ (M_{u_i} x)`:
///
/// `r + 1` GM convolutions (run as one, with `(r+1)·O` output channels) and `r` diagonal
/// scalings. Per channel pair it has `K·(r+1) + r·n` parameters; `r = 0` is [`GMConv`].
///
/// "Rank `r`" is the bound on the *diagonal-form displacement rank*: with `F[g][a]` the
/// table above and `F_s[g][a] = F[g][index(s⁻¹g_a)]` (the table of `L_sML_s⁻¹`), the stack
/// `[F − F_s]_{s∈S}` has rank `≤ r`, since `f(g)` does not depend on the position `a`
/// (`gm_algebra::displacement::DiagonalForm::displacement_rank` measures it on an export).
/// It is neither the group displacement rank of `M` (the rank of `[L_sM − ML_s]_{s∈S}`,
/// which can reach `n` for `r = 1`) nor the LDR rank of the structured layers.
///
/// Parameters: those of [`GMConv`] (`weight` = `f`, `bias`), `relax_kernel` `(r, O, 1|C, K)`
/// (the `u_i`, initialised like `weight`) and `relax_position` `(r, O, n)` (the `v_i`, one per
/// output channel, initialised to 0 so training starts exactly equivariant).
///
/// # Shapes
/// input `(B, C, n)` → output `(B, O, n)`.
#[derive(Debug)]
pub struct RelaxedGMConv {
    /// The exact part (`f` and the bias).
    pub exact: GMConv,
    /// The kernels `u_i`, `(r, O, 1|C, K)`.
    pub relax_kernel: Tensor,
    /// The position vectors `v_i`, `(r, O, n)`.
    pub relax_position: Tensor,
    rank: usize,
}

impl RelaxedGMConv {
    /// A relaxed GM convolution of rank `rank` (parameters under `vs`).
    ///
    /// # Errors
    /// As [`GMConv::new`].
    pub fn new<'a, P: Borrow<Path<'a>>>(
        vs: P,
        in_channels: usize,
        out_channels: usize,
        rank: usize,
        lowering: &Lowering,
        config: GMConvConfig,
    ) -> Result<Self> {
        let vs = vs.borrow();
        let exact = GMConv::new(vs, in_channels, out_channels, lowering, config)?;
        let w = exact.weight.size();
        let bound = 1.0 / ((w[1] * w[2]) as f64).sqrt();
        let relax_kernel = vs.f_var(
            "relax_kernel",
            &[rank as i64, w[0], w[1], w[2]],
            Init::Uniform {
                lo: -bound,
                up: bound,
            },
        )?;
        let relax_position = vs.f_zeros(
            "relax_position",
            &[rank as i64, w[0], lowering.order() as i64],
        )?;
        Ok(Self {
            exact,
            relax_kernel,
            relax_position,
            rank,
        })
    }

    /// The bound `r` on the diagonal-form displacement rank.
    pub fn rank(&self) -> usize {
        self.rank
    }

    /// The forward pass with errors reported.
    ///
    /// # Errors
    /// [`crate::NnError::Torch`] on a shape or device mismatch.
    pub fn f_forward(&self, xs: &Tensor) -> Result<Tensor> {
        self.f_forward_with(
            xs,
            &self.exact.weight,
            self.exact.bias.as_ref(),
            &self.relax_kernel,
            &self.relax_position,
        )
    }

    /// The forward pass with parameters owned elsewhere (e.g. `torch.nn.Parameter`s of a
    /// Python module), each of the shape of the field it stands for (`weight` and `bias` of
    /// [`RelaxedGMConv::exact`], [`RelaxedGMConv::relax_kernel`],
    /// [`RelaxedGMConv::relax_position`]). Gradients flow to the given tensors;
    /// [`RelaxedGMConv::f_forward`] is this with the layer's own parameters.
    ///
    /// # Errors
    /// [`crate::NnError::Torch`] on a shape or device mismatch.
    pub fn f_forward_with(
        &self,
        xs: &Tensor,
        weight: &Tensor,
        bias: Option<&Tensor>,
        relax_kernel: &Tensor,
        relax_position: &Tensor,
    ) -> Result<Tensor> {
        if self.rank == 0 {
            return self.exact.f_forward_with(xs, weight, bias);
        }
        let w = weight.size();
        let (o, r) = (w[0], self.rank as i64);
        let stacked = Tensor::f_cat(
            &[
                param_like(weight, xs)?,
                param_like(relax_kernel, xs)?.f_reshape([r * o, w[1], w[2]])?,
            ],
            0,
        )?;
        let z = self.exact.backend().forward(xs, &stacked)?;
        let b = z.size()[0];
        let z = z.f_view([b, r + 1, o, -1])?;
        let relaxed = z
            .f_narrow(1, 1, r)?
            .f_mul(&param_like(relax_position, xs)?.f_unsqueeze(0)?)?
            .f_sum_dim_intlist(1i64, false, None)?;
        let y = z.f_select(1, 0)?.f_add(&relaxed)?;
        Ok(match bias {
            Some(bias) => y.f_add(&param_like(bias, xs)?.f_view([-1, 1])?)?,
            None => y,
        })
    }
}

impl Module for RelaxedGMConv {
    fn forward(&self, xs: &Tensor) -> Tensor {
        self.f_forward(xs).expect("RelaxedGMConv forward")
    }
}

impl crate::dense::ExportDense for RelaxedGMConv {
    /// The `(O·n, C·n)` matrix `M_f + Σ_i diag(v_i)·M_{u_i}` per channel block.
    fn export_dense(&self) -> Result<Tensor> {
        crate::dense::linear_map_matrix(
            self.exact.in_channels(),
            self.exact.order(),
            self.exact.weight.kind(),
            self.exact.weight.device(),
            |x| self.f_forward(x),
        )
    }
}
