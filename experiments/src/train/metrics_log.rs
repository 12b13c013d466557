//! Per-epoch metrics as JSON lines (`metrics.jsonl`, one object per epoch).
use super::{Result, TrainError};
use serde::{Deserialize, Serialize};
use std::io::Write;
use std::path::Path;

/// One line of `metrics.jsonl`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EpochMetrics {
    /// Epoch (1-based).
    pub epoch: usize,
    /// Mean training loss.
    pub train_loss: f64,
    /// Training metric (e.g. accuracy).
    pub train_metric: f64,
    /// Validation loss.
    pub val_loss: f64,
    /// Validation metric.
    pub val_metric: f64,
    /// Learning rate used during the epoch.
    pub lr: f64,
    /// Wall seconds of the epoch (training and validation).
    pub seconds: f64,
    /// Training samples per second.
    pub samples_per_s: f64,
    /// Optimiser steps skipped by the loss scaler (fp16 overflow).
    pub skipped_steps: usize,
}

/// File name of the log in a run directory.
pub const FILE: &str = "metrics.jsonl";

/// Appends one epoch's metrics.
///
/// # Errors
/// [`TrainError::Io`].
pub fn append(dir: &Path, m: &EpochMetrics) -> Result<()> {
    let path = dir.join(FILE);
    let mut f = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(&path)
        .map_err(|e| TrainError::io(&path, e))?;
    let line = serde_json::to_string(m).expect("metrics serialise");
    writeln!(f, "{line}").map_err(|e| TrainError::io(&path, e))
}

/// Reads the log (an absent file is an empty log; unparsable lines, e.g. one cut short by an
/// interruption, are skipped).
///
/// # Errors
/// [`TrainError::Io`] when the file exists but cannot be read.
pub fn read(dir: &Path) -> Result<Vec<EpochMetrics>> {
    let path = dir.join(FILE);
    match std::fs::read_to_string(&path) {
        Ok(text) => Ok(text
            .lines()
            .filter_map(|l| serde_json::from_str(l).ok())
            .collect()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Vec::new()),
        Err(e) => Err(TrainError::io(&path, e)),
    }
}

/// Drops the entries after `epoch` (epochs lost to an interruption), rewriting atomically.
///
/// # Errors
/// [`TrainError::Io`].
pub fn truncate_after(dir: &Path, epoch: usize) -> Result<Vec<EpochMetrics>> {
    let kept: Vec<EpochMetrics> = read(dir)?
        .into_iter()
        .filter(|m| m.epoch <= epoch)
        .collect();
    let text: String = kept
        .iter()
        .map(|m| serde_json::to_string(m).expect("metrics serialise") + "\n")
        .collect();
    super::checkpoint::write_atomic(&dir.join(FILE), text.as_bytes())?;
    Ok(kept)
}
