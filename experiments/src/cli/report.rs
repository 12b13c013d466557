//! `gm report RUN_DIR... [--out FILE]`: a markdown table of finished runs (model, parameters,
//! metric, wall time, device), read from each run's `result.json`. Regression runs show the
//! RMSE of the future and the domain test.
use super::run::RunResult;
use anyhow::{Context, Result};
use std::path::{Path, PathBuf};

/// Reads the `result.json` of a run directory.
pub fn read_result(dir: &Path) -> Result<RunResult> {
    let path = dir.join("result.json");
    let bytes = std::fs::read(&path)
        .with_context(|| format!("{}: not a finished run (no result.json)", dir.display()))?;
    serde_json::from_slice(&bytes).with_context(|| format!("{}: malformed", path.display()))
}

/// The markdown table of `results`.
pub fn table(results: &[(PathBuf, RunResult)]) -> String {
    let mut s = String::from(
        "| run | experiment | model | parameters | metric | value | epochs | wall time (s) | device |\n\
         |---|---|---|---:|---|---:|---:|---:|---|\n",
    );
    for (dir, r) in results {
        let (metric, value) = match &r.regression {
            Some(g) => (
                format!("rmse future / domain ({} steps)", g.test_rollout),
                format!("{:.4} / {:.4}", g.rmse_future, g.rmse_domain),
            ),
            None => (r.metric.clone(), format!("{:.4}", r.test_metric)),
        };
        s.push_str(&format!(
            "| {} | {}{} | {} | {} | {} | {} | {} | {:.1} | {} |\n",
            dir.display(),
            r.experiment,
            if r.quick { " (quick)" } else { "" },
            r.model,
            r.parameters,
            metric,
            value,
            r.epochs,
            r.train_seconds,
            r.device
        ));
    }
    s
}

/// Prints (or writes to `out`) the table of the runs in `dirs`.
pub fn run(dirs: &[PathBuf], out: Option<&Path>) -> Result<()> {
    let results = dirs
        .iter()
        .map(|d| Ok((d.clone(), read_result(d)?)))
        .collect::<Result<Vec<_>>>()?;
    let md = table(&results);
    match out {
        Some(path) => {
            std::fs::write(path, &md).with_context(|| format!("writing {}", path.display()))?;
            println!("wrote {}", path.display());
        }
        None => print!("{md}"),
    }
    Ok(())
}
