//! The report of a suite (`OUT/<suite>/report.md`): how many planned runs finished, the
//! aggregated table (mean ± std over seeds per configuration), the metric-against-parameters
//! figure and the per-run table. Partial suites are reported too, naming the missing runs.
use super::{
    aggregate, aggregate_table, regression_table, runs_table, scaling_figures, ReportedRun,
};
use crate::suite::Plan;
use crate::train::checkpoint;
use anyhow::{Context, Result};
use std::path::{Path, PathBuf};

/// File name of a suite's report in its output directory.
pub const REPORT_FILE: &str = "report.md";

/// Missing runs listed by name in a report (the rest are counted).
const LISTED_MISSING: usize = 20;

/// What [`write_suite_report`] wrote.
#[derive(Debug, Clone, PartialEq)]
pub struct SuiteReport {
    /// The report's path.
    pub path: PathBuf,
    /// Its markdown.
    pub markdown: String,
    /// Planned runs.
    pub planned: usize,
    /// Finished runs in the report.
    pub finished: usize,
    /// Runs without a result: directory (relative to the suite's) and why.
    pub missing: Vec<(PathBuf, String)>,
    /// The finished runs aggregated over seeds (the report's table).
    pub aggregates: Vec<super::Aggregate>,
}

/// Reads the finished runs of `plan` under the suite directory `root`, writes
/// `root/report.md` and its figures (unless `plots` is off), and returns the report. The
/// family and setting of each run are the plan's.
///
/// # Errors
/// When `root` or a figure cannot be written.
pub fn write_suite_report(plan: &Plan, root: &Path, plots: bool) -> Result<SuiteReport> {
    let mut runs = Vec::new();
    let mut missing = Vec::new();
    for run in &plan.runs {
        let dir = root.join(&run.dir);
        if !dir.join("result.json").is_file() {
            let why = match checkpoint::load_state(&dir) {
                Ok(Some(s)) => format!("interrupted after epoch {}", s.epoch),
                Ok(None) => "not run".to_string(),
                Err(e) => e.to_string(),
            };
            missing.push((run.dir.clone(), why));
            continue;
        }
        match ReportedRun::read(&dir) {
            Ok(mut r) => {
                r.dir = run.dir.clone();
                r.family = run.family.clone();
                r.setting = run.setting();
                runs.push(r);
            }
            Err(e) => missing.push((run.dir.clone(), format!("{e:#}"))),
        }
    }
    std::fs::create_dir_all(root).with_context(|| format!("creating {}", root.display()))?;
    let suite = &plan.suite;
    let mut md = format!("# Suite `{}`\n\n", suite.name);
    if !suite.description.is_empty() {
        md.push_str(&format!("{}\n\n", suite.description));
    }
    if let Some(notes) = &suite.notes {
        md.push_str(&format!("Notes: {}\n\n", notes.trim()));
    }
    md.push_str(&format!(
        "{} of {} planned runs finished",
        runs.len(),
        plan.runs.len()
    ));
    if missing.is_empty() {
        md.push_str(".\n\n");
    } else {
        md.push_str(&format!("; {} missing:\n\n", missing.len()));
        for (dir, why) in missing.iter().take(LISTED_MISSING) {
            md.push_str(&format!("- `{}`: {why}\n", dir.display()));
        }
        if missing.len() > LISTED_MISSING {
            md.push_str(&format!("- and {} more\n", missing.len() - LISTED_MISSING));
        }
        md.push('\n');
    }
    let aggregates = aggregate(&runs);
    if !runs.is_empty() {
        md.push_str("## Mean ± std over seeds\n\n");
        md.push_str(&aggregate_table(&aggregates));
        let regression = regression_table(&aggregates);
        if !regression.is_empty() {
            md.push_str("\n## Regression: RMSE over seeds\n\n");
            md.push_str(&regression);
        }
        if plots {
            let stem = Path::new(REPORT_FILE)
                .file_stem()
                .map_or("report".into(), |s| s.to_string_lossy().into_owned());
            md.push('\n');
            for (caption, path) in scaling_figures(&aggregates, root, &stem)? {
                let name = path.file_name().map_or_else(
                    || path.display().to_string(),
                    |n| n.to_string_lossy().into_owned(),
                );
                md.push_str(&format!("![{caption}]({name})\n"));
            }
        }
        md.push_str("\n## Runs\n\n");
        let rows: Vec<(PathBuf, _)> = runs.into_iter().map(|r| (r.dir, r.result)).collect();
        md.push_str(&runs_table(&rows));
    }
    let path = root.join(REPORT_FILE);
    crate::train::checkpoint::write_atomic(&path, md.as_bytes())?;
    let finished = plan.runs.len() - missing.len();
    Ok(SuiteReport {
        path,
        markdown: md,
        planned: plan.runs.len(),
        finished,
        missing,
        aggregates,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::run::{write_result, RunResult};
    use crate::suite::{Selection, Suite, SuiteRunRecord};

    fn result(parameters: usize, acc: f64) -> RunResult {
        RunResult {
            experiment: "rot-mnist-digits-cnn".into(),
            model: format!("cnn {parameters}"),
            parameters,
            metric: "accuracy".into(),
            test_metric: acc,
            test_loss: 1.0,
            epochs: 8,
            best_epoch: 8,
            train_seconds: 10.0,
            device: "cpu".into(),
            quick: false,
            invariance: None,
            seconds_per_epoch: None,
            rotation: None,
            val_metric: None,
            regression: None,
        }
    }

    #[test]
    fn a_partial_suite_is_reported_with_its_missing_runs() {
        let text = r#"
            name = "widths"
            description = "CNN widths"
            seeds = [1, 2, 3]
            notes = "sized for a test"
            [[run]]
            family = "CNN"
            experiment = "rot-mnist-digits-cnn"
            [run.sweep]
            "model.channels" = [8, 16]
        "#;
        let plan = Plan::new(&Suite::from_text("t", text).unwrap(), &Selection::default()).unwrap();
        let cfgs = plan.configs(false).unwrap();
        let root = tempfile::tempdir().unwrap();
        // Seed-major order: (8, s1), (16, s1), (8, s2), (16, s2), (8, s3), (16, s3).
        let accuracies = [Some(0.5), Some(0.8), Some(0.6), None, Some(0.7), None];
        for ((run, cfg), acc) in plan.runs.iter().zip(&cfgs).zip(accuracies) {
            let dir = root.path().join(&run.dir);
            SuiteRunRecord::of("widths", run).write(&dir).unwrap();
            std::fs::write(dir.join("config.toml"), cfg.to_toml()).unwrap();
            if let Some(acc) = acc {
                write_result(&dir, &result(cfg.model.channels * 100, acc)).unwrap();
            }
        }
        // (16, s2) was interrupted after its first epoch.
        crate::suite::status::write_fake_state(&root.path().join(&plan.runs[3].dir), 1);

        let report = write_suite_report(&plan, root.path(), true).unwrap();
        assert_eq!((report.planned, report.finished), (6, 4));
        let md = std::fs::read_to_string(root.path().join(REPORT_FILE)).unwrap();
        assert_eq!(md, report.markdown);
        assert!(md.starts_with("# Suite `widths`\n\nCNN widths\n\nNotes: sized for a test"));
        assert!(
            md.contains("4 of 6 planned runs finished; 2 missing:"),
            "{md}"
        );
        assert!(
            md.contains(
                "- `CNN/rot-mnist-digits-cnn__model.channels=16/seed-2`: interrupted after epoch 1"
            ),
            "{md}"
        );
        assert!(
            md.contains("- `CNN/rot-mnist-digits-cnn__model.channels=16/seed-3`: not run"),
            "{md}"
        );
        // 0.5, 0.6, 0.7: mean 0.6, sample std 0.1; one run of the wider CNN.
        assert!(
            md.contains(
                "| CNN | rot-mnist-digits-cnn model.channels=8 | cnn 800 | 800 | 3 | accuracy | \
                 0.6000 ± 0.1000 | — | — | 10.0 |"
            ),
            "{md}"
        );
        assert!(
            md.contains("| CNN | rot-mnist-digits-cnn model.channels=16 | cnn 1600 | 1600 | 1 | accuracy | 0.8000 ± — |"),
            "{md}"
        );
        assert!(md.contains(
            "![accuracy against parameters, mean ± std over seeds](report-scaling-accuracy.png)"
        ));
        assert!(root.path().join("report-scaling-accuracy.png").is_file());
        // The per-run table lists the four finished runs by their directories.
        assert!(md.contains(
            "| CNN/rot-mnist-digits-cnn__model.channels=8/seed-3 | rot-mnist-digits-cnn |"
        ));
        assert_eq!(
            md.matches("| rot-mnist-digits-cnn | cnn ").count(),
            4,
            "{md}"
        );
    }
}
