//! `suite-run.json`: what a suite wrote into each of its run directories — the suite, the
//! family, the setting (experiment and sweep point) and the seed — so that `gm report` groups
//! the seeds of one configuration and labels them by family, for any set of run directories.
use super::plan::PlannedRun;
use crate::train::checkpoint::write_atomic;
use anyhow::{Context, Result};
use serde::{Deserialize, Serialize};
use std::path::Path;

/// File name of the record in a run directory.
pub const SUITE_RUN_FILE: &str = "suite-run.json";

/// Largest record read (it holds a few hundred bytes).
const MAX_RECORD_BYTES: u64 = 1 << 20;

/// What a suite records about one of its runs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SuiteRunRecord {
    /// The suite's name.
    pub suite: String,
    /// The family.
    pub family: String,
    /// The experiment and sweep point ([`PlannedRun::setting`]).
    pub setting: String,
    /// The seed.
    pub seed: u64,
    /// Every override applied, as `key=value`.
    pub overrides: Vec<String>,
}

impl SuiteRunRecord {
    /// The record of `run` of the suite named `suite`.
    pub fn of(suite: &str, run: &PlannedRun) -> Self {
        Self {
            suite: suite.into(),
            family: run.family.clone(),
            setting: run.setting(),
            seed: run.seed,
            overrides: run.overrides.iter().map(ToString::to_string).collect(),
        }
    }

    /// Writes the record into `dir` (created if needed), atomically.
    ///
    /// # Errors
    /// When the directory or the file cannot be written.
    pub fn write(&self, dir: &Path) -> Result<()> {
        std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
        let json = serde_json::to_vec_pretty(self).expect("records serialise");
        write_atomic(&dir.join(SUITE_RUN_FILE), &json)?;
        Ok(())
    }

    /// The record of `dir`, or `None` when it has none (a run not started by a suite).
    ///
    /// # Errors
    /// When the file exists but cannot be read, is larger than 1 MiB or does not parse.
    pub fn read(dir: &Path) -> Result<Option<Self>> {
        let path = dir.join(SUITE_RUN_FILE);
        match std::fs::metadata(&path) {
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(e).with_context(|| format!("reading {}", path.display())),
            Ok(m) if m.len() > MAX_RECORD_BYTES => {
                anyhow::bail!("{}: larger than 1 MiB, not a suite record", path.display())
            }
            Ok(_) => {}
        }
        let bytes = std::fs::read(&path).with_context(|| format!("reading {}", path.display()))?;
        let record = serde_json::from_slice(&bytes)
            .with_context(|| format!("{}: malformed suite record", path.display()))?;
        Ok(Some(record))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_round_trip_and_are_optional() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(SuiteRunRecord::read(dir.path()).unwrap(), None);
        let r = SuiteRunRecord {
            suite: "s".into(),
            family: "GM".into(),
            setting: "mnist model.t=1".into(),
            seed: 3,
            overrides: vec!["model.t=1".into(), "seed=3".into()],
        };
        let run = dir.path().join("a/b");
        r.write(&run).unwrap();
        assert_eq!(SuiteRunRecord::read(&run).unwrap(), Some(r));
        std::fs::write(run.join(SUITE_RUN_FILE), "{").unwrap();
        let e = SuiteRunRecord::read(&run).unwrap_err();
        assert!(format!("{e:#}").contains("malformed suite record"), "{e:#}");
    }
}
