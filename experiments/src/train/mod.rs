//! A trainer generic over a tch model and a training objective: AdamW (its own, so its state
//! is checkpointed), reduce-on-plateau on the validation loss, early stopping, seeded
//! shuffling and dropout, mixed precision with dynamic loss scaling on CUDA, a progress bar,
//! per-epoch metrics as JSON lines, atomic safetensors checkpoints and resumption that loses at
//! most one epoch and otherwise continues exactly.

pub mod adamw;
pub mod atomic_write;
pub mod checkpoint;
pub mod early_stopping;
pub mod error;
pub mod grad_scaler;
pub mod metrics_log;
pub mod objective;
pub mod plateau;
pub mod rollout;
pub mod run_lock;
pub mod tensors;
pub mod trainer;
pub mod windows;

pub use error::{Result, TrainError};
pub use gm_nn::model::parameter_count;
pub use metrics_log::EpochMetrics;
pub use objective::{Classification, Objective};
pub use rollout::{PenalisedRollout, Rollout};
pub use run_lock::RunLock;
pub use tensors::TensorData;
pub use trainer::{evaluate, fit, FitSummary, TrainSettings};
/// Reads a "best loss so far" that serde_json wrote as `null` (it writes ±∞ and NaN so, e.g.
/// before any finite validation loss) back as +∞, so a saved state can always be resumed.
pub(crate) fn null_as_infinity<'de, D: serde::Deserializer<'de>>(
    d: D,
) -> std::result::Result<f64, D::Error> {
    use serde::Deserialize;
    Ok(Option::<f64>::deserialize(d)?.unwrap_or(f64::INFINITY))
}

pub use windows::{fit_protocol, plume_splits, suggest_windows, windows, PlumeSplits, ProtocolFit};

#[cfg(test)]
mod tests {
    use super::early_stopping::EarlyStopping;
    use super::plateau::ReduceOnPlateau;

    #[test]
    fn trackers_without_a_finite_best_survive_a_json_round_trip() {
        let early = EarlyStopping::new(3);
        let json = serde_json::to_string(&early).unwrap();
        assert!(json.contains("\"best\":null"), "{json}");
        assert_eq!(serde_json::from_str::<EarlyStopping>(&json).unwrap(), early);
        let mut plateau = ReduceOnPlateau::new(1e-3, 0.5, 2);
        plateau.step(f64::NAN);
        let back: ReduceOnPlateau =
            serde_json::from_str(&serde_json::to_string(&plateau).unwrap()).unwrap();
        assert_eq!((back.best, back.bad_epochs), (f64::INFINITY, 1));
        let mut finite = EarlyStopping::new(3);
        finite.update(1, 0.25);
        let back: EarlyStopping =
            serde_json::from_str(&serde_json::to_string(&finite).unwrap()).unwrap();
        assert_eq!(back, finite);
    }
}
