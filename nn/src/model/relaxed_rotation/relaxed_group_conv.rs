//! The relaxed `p4` group convolution: filter banks mixed per output orientation.

use super::filter_bank::{
    check_kernel_size, check_regular_input, p4_conv2d, p4_filter_bank, Padding,
};
use crate::field::ORIENTATIONS;
use crate::precision::param_like;
use crate::{NnError, Result};
use std::borrow::Borrow;
use tch::nn::{Init, Module, Path};
use tch::Tensor;

/// The relaxed group convolution of Wang, Walters & Yu (ICML 2022, `Relaxed_GroupConv` in
/// `models/model_rotation.py`): `L` base kernels `W_l` `(O, C, 4, k, k)` and combination
/// weights `w` `(4, L)`; the kernel of output orientation `r` is
///
/// `K_r = Σ_l w[r, l] · bank_r(W_l)`,
///
/// with `bank_r` the rotated-and-shifted kernel of [`p4_filter_bank`]. When `w[r, ·]` is the
/// same for every `r` (the initialisation), `K_r = bank_r(Σ_l w[0, l] W_l)` and the layer is
/// an exact `p4` group convolution; otherwise the orientations get different filters and
/// equivariance is relaxed. Built per forward by four rotations, four rolls, one stack and
/// one einsum, then one `conv2d`.
///
/// Parameters (the reference's names and initialisation, no bias): `weight` `(L, O, C, 4, k,
/// k)` `U(±1/√(C·k²))` and `combination_weights` `(4, L)` all `1/(4L)`: `L·O·C·4k² + 4L`.
///
/// # Shapes
/// `(B, 4C, H, W)` → `(B, 4O, H, W)`.
///
/// # Example
/// ```
/// use gm_nn::model::relaxed_rotation::{Padding, RelaxedP4GroupConv};
/// use tch::{nn::VarStore, Device, Kind, Tensor};
/// let vs = VarStore::new(Device::Cpu);
/// let conv = RelaxedP4GroupConv::new(vs.root(), 2, 3, 2, 3, Padding::Zeros).unwrap();
/// let y = conv.f_forward(&Tensor::randn([1, 8, 6, 6], (Kind::Float, Device::Cpu))).unwrap();
/// assert_eq!(y.size(), vec![1, 12, 6, 6]);
/// assert_eq!(gm_nn::model::parameter_count(&vs), 2 * 3 * 2 * 36 + 8);
/// ```
#[derive(Debug)]
pub struct RelaxedP4GroupConv {
    /// The base kernels `(L, O, C, 4, k, k)`.
    pub weight: Tensor,
    /// The combination weights `(4, L)`: row `r` mixes the banks for output orientation `r`.
    pub combination_weights: Tensor,
    in_fields: i64,
    padding: Padding,
}

impl RelaxedP4GroupConv {
    /// A relaxed convolution from `in_fields` to `out_fields` regular fields with `banks`
    /// filter banks of side `kernel_size`, its parameters created under `vs`.
    ///
    /// # Errors
    /// [`NnError::InvalidConfig`] for an even kernel size, no fields or no banks;
    /// [`NnError::Torch`] from libtorch.
    pub fn new<'a, P: Borrow<Path<'a>>>(
        vs: P,
        in_fields: usize,
        out_fields: usize,
        banks: usize,
        kernel_size: usize,
        padding: Padding,
    ) -> Result<Self> {
        let vs = vs.borrow();
        check_kernel_size(kernel_size)?;
        if in_fields == 0 || out_fields == 0 || banks == 0 {
            return Err(NnError::InvalidConfig(format!(
                "a relaxed p4 convolution needs fields and banks, got {in_fields} → {out_fields} fields, {banks} banks"
            )));
        }
        let (c, k, l) = (in_fields as i64, kernel_size as i64, banks as i64);
        let bound = 1.0 / ((c * k * k) as f64).sqrt();
        let weight = vs.f_var(
            "weight",
            &[l, out_fields as i64, c, ORIENTATIONS, k, k],
            Init::Uniform {
                lo: -bound,
                up: bound,
            },
        )?;
        let combination_weights = vs.f_var(
            "combination_weights",
            &[ORIENTATIONS, l],
            Init::Const(1.0 / (ORIENTATIONS * l) as f64),
        )?;
        Ok(Self {
            weight,
            combination_weights,
            in_fields: c,
            padding,
        })
    }

    /// The mixed filter bank `(O, 4, C, 4, k, k)`: `K_r` at index `r` of axis 1.
    ///
    /// # Errors
    /// [`NnError::Torch`] from libtorch.
    pub fn filter_bank(&self) -> Result<Tensor> {
        let banks = p4_filter_bank(&self.weight)?;
        Ok(Tensor::f_einsum(
            "rl,lorcsij->orcsij",
            &[&self.combination_weights, &banks],
            None::<i64>,
        )?)
    }

    /// The forward pass with errors reported; it computes in `xs`'s dtype.
    ///
    /// # Errors
    /// [`NnError::ShapeMismatch`] when `xs` does not have `4C` channels;
    /// [`NnError::Torch`] from libtorch.
    pub fn f_forward(&self, xs: &Tensor) -> Result<Tensor> {
        check_regular_input(xs, self.in_fields, "a relaxed p4 convolution")?;
        let bank = param_like(&self.filter_bank()?, xs)?;
        p4_conv2d(xs, &bank, None, self.padding)
    }
}

impl Module for RelaxedP4GroupConv {
    fn forward(&self, xs: &Tensor) -> Tensor {
        self.f_forward(xs).expect("RelaxedP4GroupConv forward")
    }
}
