//! PReLU with one learned slope for every channel (the reference models' `nn.PReLU()`), in
//! the form that is fastest for the activations' device and dtype.
//!
//! libtorch 2.11's CPU PReLU kernels run bf16 through a scalar loop, and in bf16 training of
//! the CIFAR-10 model on the CPU its backward was the largest single cost (22 % of the CPU
//! time under `perf`). There the same function is computed as `relu(x) − a·relu(−x)`, whose
//! vectorised elementwise kernels measured 114 ms against PReLU's 160–173 ms for one forward
//! and backward of a `256 × 120 × 1024` bf16 tensor on this 2-core VM. In fp32 PReLU's own
//! kernel was faster (136 against 163 ms), and on CUDA it is one fused kernel, so every other
//! case calls PReLU itself.

use crate::precision::param_like;
use crate::Result;
use tch::{Device, Kind, Tensor};

/// `x` where `x > 0`, `a·x` elsewhere, with the one-element `slope` `a` cast to `x`'s dtype
/// (gradients reach it in its own dtype).
///
/// Values and gradients equal [`Tensor::prelu`]'s except the gradient with respect to `x`
/// at `x = 0` exactly, which is `0` in the bf16-on-CPU form and `a` in PReLU (both are
/// subgradients there).
///
/// # Errors
/// [`crate::NnError::Torch`] from libtorch (e.g. a `slope` of more than one element).
pub fn shared_prelu(x: &Tensor, slope: &Tensor) -> Result<Tensor> {
    let a = param_like(slope, x)?;
    if x.device() == Device::Cpu && x.kind() == Kind::BFloat16 {
        let negative_part = x.f_neg()?.f_relu()?.f_mul(&a)?;
        Ok(x.f_relu()?.f_sub(&negative_part)?)
    } else {
        Ok(x.f_prelu(&a)?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The bf16-on-CPU form against libtorch's PReLU on the same bf16 inputs: values,
    /// input gradients and the slope's gradient, at inputs of both signs (no exact zeros:
    /// the one point where the two subgradients differ).
    #[test]
    fn the_bf16_cpu_form_is_prelu() {
        tch::manual_seed(3);
        for slope in [0.25, -0.5, 1.5] {
            let x0 = Tensor::randn([4, 7, 33], (Kind::Float, Device::Cpu));
            let x0 = x0.where_self(&x0.ne(0.0), &Tensor::from(1.0f32));
            let x0 = x0.to_kind(Kind::BFloat16);
            let g = Tensor::randn([4, 7, 33], (Kind::BFloat16, Device::Cpu));
            let run = |form: &dyn Fn(&Tensor, &Tensor) -> Tensor| {
                let x = x0.copy().set_requires_grad(true);
                let a = Tensor::from_slice(&[slope as f32]).set_requires_grad(true);
                let y = form(&x, &a);
                (&y * &g).sum(Kind::Float).backward();
                (
                    y.to_kind(Kind::Float),
                    x.grad().to_kind(Kind::Float),
                    a.grad(),
                )
            };
            let (y, dx, da) = run(&|x, a| shared_prelu(x, a).unwrap());
            let (y_ref, dx_ref, da_ref) = run(&|x, a| x.prelu(&a.to_kind(Kind::BFloat16)));
            assert_eq!(
                (&y - &y_ref).abs().max().double_value(&[]),
                0.0,
                "values, a = {slope}"
            );
            assert_eq!(
                (&dx - &dx_ref).abs().max().double_value(&[]),
                0.0,
                "dx, a = {slope}"
            );
            // The slope's gradient is a sum over 924 bf16 products: equal to bf16 rounding
            // of the partial sums.
            let (da, da_ref) = (da.double_value(&[0]), da_ref.double_value(&[0]));
            assert!(
                (da - da_ref).abs() <= 2e-2 * da_ref.abs().max(1.0),
                "da {da} against {da_ref}, a = {slope}"
            );
        }
    }

    /// Elsewhere (fp32 here) it is PReLU itself, bit for bit.
    #[test]
    fn other_dtypes_call_prelu() {
        tch::manual_seed(4);
        let x = Tensor::randn([3, 5, 8], (Kind::Float, Device::Cpu));
        let a = Tensor::from_slice(&[0.3f32]);
        let y = shared_prelu(&x, &a).unwrap();
        assert!(y.equal(&x.prelu(&a)));
    }
}
