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

/// Reads the log. An absent file is an empty log; a last line cut short by an interruption
/// (no final newline) is dropped; anything else that is not the next epoch's metrics is an
/// error.
///
/// # Errors
/// [`TrainError::Io`] when the file exists but cannot be read, or holds a malformed line.
pub fn read(dir: &Path) -> Result<Vec<EpochMetrics>> {
    let path = dir.join(FILE);
    match std::fs::read(&path) {
        Ok(bytes) => parse(&bytes).map_err(|m| TrainError::io(&path, m)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Vec::new()),
        Err(e) => Err(TrainError::io(&path, e)),
    }
}

/// Parses the bytes of a log: one [`EpochMetrics`] per line, epochs 1, 2, … in order. Only a
/// last line without its newline may fail to parse (it is then dropped).
///
/// # Errors
/// A message naming the line that is not the next epoch's metrics.
pub fn parse(bytes: &[u8]) -> std::result::Result<Vec<EpochMetrics>, String> {
    let complete = bytes.ends_with(b"\n");
    let lines: Vec<&[u8]> = bytes
        .split(|&b| b == b'\n')
        .filter(|l| !l.is_empty())
        .collect();
    let mut log = Vec::with_capacity(lines.len());
    for (k, line) in lines.iter().enumerate() {
        let last = k + 1 == lines.len();
        match serde_json::from_slice::<EpochMetrics>(line) {
            Ok(m) if m.epoch == k + 1 => log.push(m),
            Ok(m) => {
                return Err(format!(
                    "line {}: metrics of epoch {}, expected epoch {}",
                    k + 1,
                    m.epoch,
                    k + 1
                ))
            }
            Err(_) if last && !complete => {}
            Err(e) => return Err(format!("line {}: not an epoch's metrics: {e}", k + 1)),
        }
    }
    Ok(log)
}

/// Drops the entries after `epoch` (epochs lost to an interruption), rewriting atomically;
/// returns those kept.
///
/// # Errors
/// [`TrainError::Io`], also when the log holds a malformed line or fewer than `epoch` epochs.
pub fn truncate_after(dir: &Path, epoch: usize) -> Result<Vec<EpochMetrics>> {
    let kept: Vec<EpochMetrics> = match epoch {
        // A new run: whatever an earlier, unsaved attempt left is discarded unread.
        0 => Vec::new(),
        _ => read(dir)?
            .into_iter()
            .filter(|m| m.epoch <= epoch)
            .collect(),
    };
    if kept.len() != epoch {
        return Err(TrainError::io(
            dir.join(FILE),
            format!(
                "holds the metrics of {} epochs, the saved state {epoch}",
                kept.len()
            ),
        ));
    }
    let text: String = kept
        .iter()
        .map(|m| serde_json::to_string(m).expect("metrics serialise") + "\n")
        .collect();
    super::checkpoint::write_atomic(&dir.join(FILE), text.as_bytes())?;
    Ok(kept)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(epoch: usize) -> String {
        let m = EpochMetrics {
            epoch,
            train_loss: 1.0,
            train_metric: 0.5,
            val_loss: 1.5,
            val_metric: 0.25,
            lr: 1e-3,
            seconds: 2.0,
            samples_per_s: 100.0,
            skipped_steps: 0,
        };
        serde_json::to_string(&m).unwrap() + "\n"
    }

    #[test]
    fn only_a_truncated_last_line_is_dropped() {
        let two = line(1) + &line(2);
        assert_eq!(parse(two.as_bytes()).unwrap().len(), 2);
        let cut = two.clone() + &line(3)[..20];
        assert_eq!(parse(cut.as_bytes()).unwrap().len(), 2);
        assert!(parse(b"").unwrap().is_empty());
        // A complete last line that does not parse, a bad line before the last, a gap.
        let bad_last = two.clone() + "{\"epoch\": 3}\n";
        assert!(parse(bad_last.as_bytes())
            .unwrap_err()
            .starts_with("line 3:"));
        let bad_middle = line(1) + "garbage\n" + &line(2);
        assert!(parse(bad_middle.as_bytes())
            .unwrap_err()
            .starts_with("line 2:"));
        let gap = line(1) + &line(3);
        let e = parse(gap.as_bytes()).unwrap_err();
        assert!(e.contains("epoch 3, expected epoch 2"), "{e}");
    }

    #[test]
    fn truncating_keeps_the_saved_epochs_and_refuses_a_log_that_lost_some() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(FILE), line(1) + &line(2) + &line(3)[..9]).unwrap();
        assert_eq!(truncate_after(dir.path(), 1).unwrap().len(), 1);
        assert_eq!(read(dir.path()).unwrap().len(), 1);
        let e = truncate_after(dir.path(), 2).unwrap_err().to_string();
        assert!(e.contains("metrics of 1 epochs, the saved state 2"), "{e}");
        // A new run starts an empty log whatever an unsaved attempt left.
        std::fs::write(dir.path().join(FILE), "garbage\n").unwrap();
        assert!(truncate_after(dir.path(), 0).unwrap().is_empty());
        assert_eq!(std::fs::read(dir.path().join(FILE)).unwrap(), b"");
    }
}
