//! Autoregressive next-frame regression: the model maps `2·input_frames` channels to the next
//! frame (2 channels); it is rolled out over the target steps, feeding each prediction back
//! as the newest input frame. The loss is the mean squared error over all steps; the metric
//! is the RMSE `√(mean over samples and steps of the per-step MSE)`.
use super::{Objective, Result};
use gm_nn::model::FieldNet;
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

/// [`Rollout`] with a relaxed model's soft constraint added to the training loss:
/// `loss + penalty²`, as Wang, Walters & Yu add `MSE(get_weight_constraint(), 0)` in training
/// (validation and test losses are the rollout's alone, as theirs). For a model without a
/// penalty it is [`Rollout`].
#[derive(Clone, Copy)]
pub struct PenalisedRollout<'a> {
    /// The model whose [`FieldNet::penalty`] is added.
    pub net: &'a dyn FieldNet,
}

impl Objective for PenalisedRollout<'_> {
    fn metric_name(&self) -> &'static str {
        Rollout.metric_name()
    }

    fn loss_and_metric(
        &self,
        model: &dyn ModuleT,
        x: &Tensor,
        y: &Tensor,
        train: bool,
        precision: &PrecisionPolicy,
    ) -> Result<(Tensor, f64)> {
        let (loss, metric) = Rollout.loss_and_metric(model, x, y, train, precision)?;
        match self.net.penalty().filter(|_| train) {
            Some(p) => Ok((loss.f_add(&p.f_to_kind(Kind::Float)?.f_square()?)?, metric)),
            None => Ok((loss, metric)),
        }
    }

    fn finish_metric(&self, mean: f64) -> f64 {
        Rollout.finish_metric(mean)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tch::{Device, Kind};

    /// Predicts zeros; its penalty is a fixed number.
    #[derive(Debug)]
    struct Zero(f64);

    impl ModuleT for Zero {
        fn forward_t(&self, xs: &Tensor, _train: bool) -> Tensor {
            xs.narrow(1, 0, 2).zeros_like()
        }
    }

    impl FieldNet for Zero {
        fn penalty(&self) -> Option<Tensor> {
            Some(Tensor::from(self.0))
        }
    }

    #[test]
    fn the_penalty_squared_is_added_in_training_only() {
        let x = Tensor::ones([3, 4, 2, 2], (Kind::Float, Device::Cpu));
        let y = Tensor::ones([3, 2, 2, 2, 2], (Kind::Float, Device::Cpu));
        let net = Zero(0.5);
        let objective = PenalisedRollout { net: &net };
        let fp32 = PrecisionPolicy::fp32();
        let loss = |train| {
            let (l, m) = objective
                .loss_and_metric(&net, &x, &y, train, &fp32)
                .unwrap();
            (l.double_value(&[]), m)
        };
        let (plain, metric) = Rollout.loss_and_metric(&net, &x, &y, true, &fp32).unwrap();
        assert_eq!(plain.double_value(&[]), 1.0);
        assert_eq!(loss(true), (1.25, metric));
        assert_eq!(loss(false), (1.0, metric));
    }
}
