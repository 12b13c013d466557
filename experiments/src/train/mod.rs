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
pub use rollout::Rollout;
pub use run_lock::RunLock;
pub use tensors::TensorData;
pub use trainer::{evaluate, fit, FitSummary, TrainSettings};
pub use windows::{fit_protocol, plume_splits, suggest_windows, windows, PlumeSplits, ProtocolFit};
