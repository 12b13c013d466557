//! Autoregressive next-frame regression: the model maps `2·input_frames` channels to the next
//! frame (2 channels); it is rolled out over the target steps, feeding each prediction back
//! as the newest input frame. The loss is the mean squared error over all steps; the metric
//! is the RMSE `√(mean over samples and steps of the per-step MSE)`.
use super::{Objective, Result};
use gm_nn::precision::PrecisionPolicy;
use tch::{nn::ModuleT, Kind, Tensor};

/// The rollout objective (targets `[B, steps, 2, H, W]`; the number of steps is taken from
/// the targets, so the same objective serves 6-step training and 20-step tests).
#[derive(Debug, Clone, Copy, Default)]
pub struct Rollout;

impl Rollout {
    /// Predictions `[B, steps, C, H, W]` of rolling `model` out from `x` for `steps` steps,
    /// under `precision`.
    ///
    /// # Errors
    /// libtorch errors (e.g. a model whose output is not one frame).
    pub fn predict(
        model: &dyn ModuleT,
        x: &Tensor,
        steps: usize,
        train: bool,
        precision: &PrecisionPolicy,
    ) -> Result<Tensor> {
        let mut state = x.shallow_clone();
        let mut preds = Vec::with_capacity(steps);
        for _ in 0..steps {
            let next = precision.forward(model, &state, train)?;
            let c = next.size()[1];
            let keep = state.size()[1] - c;
            state = Tensor::f_cat(&[state.f_narrow(1, c, keep)?, next.shallow_clone()], 1)?;
            preds.push(next);
        }
        Ok(Tensor::f_stack(&preds, 1)?)
    }
}

impl Objective for Rollout {
    fn metric_name(&self) -> &'static str {
        "rmse"
    }

    fn loss_and_metric(
        &self,
        model: &dyn ModuleT,
        x: &Tensor,
        y: &Tensor,
        train: bool,
        precision: &PrecisionPolicy,
    ) -> Result<(Tensor, f64)> {
        let steps = y.size()[1] as usize;
        let pred = Self::predict(model, x, steps, train, precision)?;
        let sq = pred.f_sub(y)?.f_square()?;
        let loss = sq.f_mean(Kind::Float)?;
        let per_sample = sq.f_flatten(1, -1)?.f_mean_dim(1, false, Kind::Float)?;
        let metric = per_sample.f_sum(Kind::Double)?.double_value(&[]);
        Ok((loss, metric))
    }

    fn finish_metric(&self, mean: f64) -> f64 {
        mean.sqrt()
    }
}
