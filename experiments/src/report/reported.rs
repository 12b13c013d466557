//! A finished run as reports see it ([`ReportedRun`]): its result, its family and setting
//! (from the `suite-run.json` a suite wrote, else the experiment's name) and its
//! configuration without the seed, which decides which runs are seeds of one configuration.
use crate::run::{read_result, RunResult};
use crate::suite::SuiteRunRecord;
use anyhow::{Context, Result};
use std::path::{Path, PathBuf};

/// A finished run, labelled for aggregation.
#[derive(Debug, Clone, PartialEq)]
pub struct ReportedRun {
    /// The run directory.
    pub dir: PathBuf,
    /// Its `result.json`.
    pub result: RunResult,
    /// The family (a suite's), else the experiment's name.
    pub family: String,
    /// The experiment and sweep point (a suite's), else the experiment's name.
    pub setting: String,
    /// The seed (from the suite record or `config.toml`), if known.
    pub seed: Option<u64>,
    /// The run's configuration without its seed: its `config.toml` with `seed` removed,
    /// as canonical TOML, and whether it was `--quick`. Without a `config.toml` (runs written
    /// by hand or by old versions): the experiment, model and parameter count.
    pub configuration: String,
}

impl ReportedRun {
    /// Reads the run in `dir`.
    ///
    /// # Errors
    /// When `dir` holds no readable `result.json`, or a `suite-run.json` or `config.toml`
    /// that does not parse.
    pub fn read(dir: &Path) -> Result<Self> {
        let result = read_result(dir)?;
        let record = SuiteRunRecord::read(dir)?;
        let config = read_config(dir)?;
        let seed = record
            .as_ref()
            .map(|r| r.seed)
            .or_else(|| config.as_ref()?.get("seed")?.as_integer()?.try_into().ok());
        let configuration = match config {
            Some(mut table) => {
                table.remove("seed");
                format!(
                    "quick = {}\n{}",
                    result.quick,
                    toml::to_string(&table).expect("tables serialise")
                )
            }
            None => format!(
                "experiment = {:?}\nmodel = {:?}\nparameters = {}\nquick = {}",
                result.experiment, result.model, result.parameters, result.quick
            ),
        };
        let (family, setting) = match record {
            Some(r) => (r.family, r.setting),
            None => (result.experiment.clone(), result.experiment.clone()),
        };
        Ok(Self {
            dir: dir.to_path_buf(),
            result,
            family,
            setting,
            seed,
            configuration,
        })
    }
}

/// The `config.toml` of `dir` as a table, or `None` when it has none.
fn read_config(dir: &Path) -> Result<Option<toml::Table>> {
    let path = dir.join("config.toml");
    match std::fs::read_to_string(&path) {
        Ok(text) => toml::from_str(&text)
            .map(Some)
            .with_context(|| format!("{}: not a config", path.display())),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(e).with_context(|| format!("reading {}", path.display())),
    }
}
