//! What is minimised and what is reported: the [`Objective`] trait and cross-entropy
//! classification. A regression objective (autoregressive rollouts) implements the same trait.
use super::Result;
use gm_nn::precision::PrecisionPolicy;
use tch::{nn::ModuleT, Kind, Tensor};

/// A training objective: a loss to minimise and a metric to report.
pub trait Objective {
    /// The metric's name in logs and reports (e.g. `accuracy`).
    fn metric_name(&self) -> &'static str;

    /// The batch's mean loss (a scalar with a graph when `train`) and the metric summed over
    /// the batch's samples, the model run under `precision`.
    ///
    /// # Errors
    /// libtorch errors.
    fn loss_and_metric(
        &self,
        model: &dyn ModuleT,
        x: &Tensor,
        y: &Tensor,
        train: bool,
        precision: &PrecisionPolicy,
    ) -> Result<(Tensor, f64)>;

    /// Turns the per-sample mean of the metric into the reported value (identity by default;
    /// e.g. a square root for an RMSE).
    fn finish_metric(&self, mean: f64) -> f64 {
        mean
    }
}

/// Cross-entropy on logits; the metric is accuracy.
#[derive(Debug, Clone, Copy, Default)]
pub struct Classification;

impl Objective for Classification {
    fn metric_name(&self) -> &'static str {
        "accuracy"
    }

    fn loss_and_metric(
        &self,
        model: &dyn ModuleT,
        x: &Tensor,
        y: &Tensor,
        train: bool,
        precision: &PrecisionPolicy,
    ) -> Result<(Tensor, f64)> {
        let logits = precision.forward(model, x, train)?;
        let loss = logits.cross_entropy_for_logits(y);
        let correct = logits
            .f_argmax(-1, false)?
            .f_eq_tensor(y)?
            .f_sum(Kind::Int64)?
            .int64_value(&[]);
        Ok((loss, correct as f64))
    }
}
