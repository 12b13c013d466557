//! Dynamic loss scaling for fp16 mixed precision (what PyTorch's `GradScaler` does): the loss
//! is multiplied by `scale` before `backward`; if any gradient is then non-finite the step is
//! skipped and the scale halved, otherwise gradients are divided by `scale` and the step
//! taken; after `GROWTH_INTERVAL` good steps in a row the scale doubles.
use super::adamw::AdamW;
use super::Result;
use serde::{Deserialize, Serialize};
use tch::{Kind, Tensor};

/// Good steps in a row before the scale doubles.
pub const GROWTH_INTERVAL: usize = 2000;

/// The scaler's state (serialisable, for resuming).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GradScaler {
    /// Whether scaling is on (fp16 autocast on CUDA); off means plain backward + step.
    pub enabled: bool,
    /// Current loss scale.
    pub scale: f64,
    /// Good steps since the last change of scale.
    pub good_steps: usize,
}

impl GradScaler {
    /// A scaler starting at 2¹⁶ (PyTorch's default).
    pub fn new(enabled: bool) -> Self {
        Self {
            enabled,
            scale: 65536.0,
            good_steps: 0,
        }
    }

    /// Backpropagates `loss` and steps `opt` (over its variables `vars`); returns whether
    /// the step was taken.
    ///
    /// # Errors
    /// libtorch errors.
    pub fn backward_step(
        &mut self,
        opt: &mut AdamW,
        vars: &[Tensor],
        loss: &Tensor,
    ) -> Result<bool> {
        opt.zero_grad();
        if !self.enabled {
            loss.f_backward()?;
            opt.step()?;
            return Ok(true);
        }
        loss.f_mul_scalar(self.scale)?.f_backward()?;
        let grads: Vec<Tensor> = vars
            .iter()
            .map(Tensor::grad)
            .filter(Tensor::defined)
            .collect();
        if !unscale(&grads, self.scale)? {
            self.scale /= 2.0;
            self.good_steps = 0;
            opt.zero_grad();
            return Ok(false);
        }
        opt.step()?;
        self.good_steps += 1;
        if self.good_steps >= GROWTH_INTERVAL {
            self.scale *= 2.0;
            self.good_steps = 0;
        }
        Ok(true)
    }
}

/// Divides every gradient by `scale` in place and returns whether all of them are finite.
///
/// On CUDA this is PyTorch's fused `_amp_non_finite_check_and_unscale_` per gradient, writing
/// one device flag, and a single host synchronisation for the whole step; elsewhere the
/// gradients are checked one by one (the flagged kernel is CUDA-only).
fn unscale(grads: &[Tensor], scale: f64) -> Result<bool> {
    let Some(first) = grads.first() else {
        return Ok(true);
    };
    let device = first.device();
    if device.is_cuda() {
        let mut found_inf = Tensor::f_zeros([1], (Kind::Float, device))?;
        let inv_scale = Tensor::f_full([1], 1.0 / scale, (Kind::Float, device))?;
        for g in grads {
            g.shallow_clone()
                .f_internal_amp_non_finite_check_and_unscale(&mut found_inf, &inv_scale)?;
        }
        return Ok(found_inf.f_double_value(&[0])? == 0.0);
    }
    for g in grads {
        if g.f_isfinite()?.f_all()?.f_int64_value(&[])? == 0 {
            return Ok(false);
        }
    }
    tch::no_grad(|| -> Result<()> {
        for g in grads {
            let _ = g.shallow_clone().f_div_scalar_(scale)?;
        }
        Ok(())
    })?;
    Ok(true)
}
