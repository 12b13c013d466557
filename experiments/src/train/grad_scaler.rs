//! Dynamic loss scaling for fp16 mixed precision (what PyTorch's `GradScaler` does): the loss
//! is multiplied by `scale` before `backward`; if any gradient is then non-finite the step is
//! skipped and the scale halved, otherwise gradients are divided by `scale` and the step
//! taken; after `GROWTH_INTERVAL` good steps in a row the scale doubles.
use super::adamw::AdamW;
use super::Result;
use serde::{Deserialize, Serialize};
use tch::Tensor;

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
        let mut finite = true;
        for v in vars {
            let g = v.grad();
            if g.defined() && g.f_isfinite()?.f_all()?.int64_value(&[]) == 0 {
                finite = false;
                break;
            }
        }
        if !finite {
            self.scale /= 2.0;
            self.good_steps = 0;
            opt.zero_grad();
            return Ok(false);
        }
        tch::no_grad(|| -> Result<()> {
            for v in vars {
                let mut g = v.grad();
                if g.defined() {
                    let _ = g.f_div_scalar_(self.scale)?;
                }
            }
            Ok(())
        })?;
        opt.step()?;
        self.good_steps += 1;
        if self.good_steps >= GROWTH_INTERVAL {
            self.scale *= 2.0;
            self.good_steps = 0;
        }
        Ok(true)
    }
}
