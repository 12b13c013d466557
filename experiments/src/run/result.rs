//! What a finished run reports: the `result.json` schema ([`RunResult`]), written into the run
//! directory and read back by `gm report`.
use super::regression::RegressionResult;
use crate::symmetry::{InvarianceCheck, RotationAgreement};
use anyhow::{Context, Result};
use serde::{Deserialize, Serialize};
use std::path::Path;

/// What a finished run reports (`result.json`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RunResult {
    /// Experiment name.
    pub experiment: String,
    /// Model description, e.g. `gm axis-product/dihedral t=3`.
    pub model: String,
    /// Trainable parameters.
    pub parameters: usize,
    /// Name of the test metric.
    pub metric: String,
    /// Test metric of the tested weights (`train.evaluate`: best validation or last epoch).
    #[serde(deserialize_with = "null_as_nan")]
    pub test_metric: f64,
    /// Test loss.
    #[serde(deserialize_with = "null_as_nan")]
    pub test_loss: f64,
    /// The validation metric of the tested weights (what model selection may look at; the
    /// test metric may not). Absent in older files.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub val_metric: Option<f64>,
    /// Epochs trained.
    pub epochs: usize,
    /// Epoch of the best validation loss.
    pub best_epoch: usize,
    /// Training wall seconds (all sessions).
    pub train_seconds: f64,
    /// Device, e.g. `cpu` or `cuda:0`.
    pub device: String,
    /// Whether this was a `--quick` smoke run.
    pub quick: bool,
    /// The measured invariance of the trained classifier, or the one-step equivariance of
    /// the trained regression model, under the experiment's symmetry group acting on test
    /// inputs (absent in runs of older versions).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub invariance: Option<InvarianceCheck>,
    /// How often the classifier's prediction survives turning a test image by 90°, 180° and
    /// 270° (square images; absent for regression and in older files).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rotation: Option<RotationAgreement>,
    /// Mean wall seconds of an epoch (training and validation); absent in older files.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seconds_per_epoch: Option<f64>,
    /// The autoregressive tests of a regression run; absent for classification and in older
    /// files.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub regression: Option<RegressionResult>,
}

/// Reads a float that serde_json wrote as `null` (it writes NaN and ±∞ so, e.g. the RMSE of
/// a diverged rollout) back as NaN.
pub(crate) fn null_as_nan<'de, D: serde::Deserializer<'de>>(d: D) -> Result<f64, D::Error> {
    Ok(Option::<f64>::deserialize(d)?.unwrap_or(f64::NAN))
}

/// Writes `result` as the `result.json` of `run_dir`.
///
/// # Errors
/// When the file cannot be written.
pub fn write_result(run_dir: &Path, result: &RunResult) -> Result<()> {
    let path = run_dir.join("result.json");
    crate::train::checkpoint::write_atomic(&path, &serde_json::to_vec_pretty(result)?)?;
    Ok(())
}

/// Reads the `result.json` of a run directory.
///
/// # Errors
/// When the directory holds no finished run or the file is malformed.
pub fn read_result(dir: &Path) -> Result<RunResult> {
    let path = dir.join("result.json");
    let bytes = std::fs::read(&path)
        .with_context(|| format!("{}: not a finished run (no result.json)", dir.display()))?;
    parse_result(&path, &bytes)
}

/// Parses the bytes of a `result.json` read from `path` (named in the error).
///
/// # Errors
/// When the bytes are not a [`RunResult`] as JSON.
pub fn parse_result(path: &Path, bytes: &[u8]) -> Result<RunResult> {
    serde_json::from_slice(bytes).with_context(|| format!("{}: malformed", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn result_json_of_older_runs_and_non_finite_metrics_is_read() {
        let old = r#"{"experiment": "mnist", "model": "cnn", "parameters": 3, "metric": "accuracy",
            "test_metric": 0.5, "test_loss": 1.0, "epochs": 1, "best_epoch": 1,
            "train_seconds": 2.0, "device": "cpu", "quick": false}"#;
        let r: RunResult = serde_json::from_str(old).unwrap();
        assert!(r.seconds_per_epoch.is_none() && r.regression.is_none());
        // serde_json writes an infinite RMSE (a diverged rollout) as null.
        let diverged = RunResult {
            test_metric: f64::INFINITY,
            ..r
        };
        let json = serde_json::to_string(&diverged).unwrap();
        assert!(json.contains("\"test_metric\":null"), "{json}");
        let back: RunResult = serde_json::from_str(&json).unwrap();
        assert!(back.test_metric.is_nan());
    }
}
