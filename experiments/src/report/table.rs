//! The per-run markdown table of `gm report`: one row per finished run.
use crate::run::RunResult;
use std::path::PathBuf;

/// The markdown table of `results`: run directory, experiment (marked when `--quick`),
/// model, parameters, metric and its value (regression: future / domain RMSE), invariance
/// error, epochs, wall time, device.
pub fn runs_table(results: &[(PathBuf, RunResult)]) -> String {
    let mut s = String::from(
        "| run | experiment | model | parameters | metric | value | invariance error | epochs | wall time (s) | device |\n\
         |---|---|---|---:|---|---:|---|---:|---:|---|\n",
    );
    for (dir, r) in results {
        let invariance = r.invariance.as_ref().map_or("—".to_string(), |c| {
            format!("{:.1e} ({})", c.error, c.group)
        });
        let (metric, value) = match &r.regression {
            Some(g) => (
                format!("rmse future / domain ({} steps)", g.test_rollout),
                format!("{:.4} / {:.4}", g.rmse_future, g.rmse_domain),
            ),
            None => (r.metric.clone(), format!("{:.4}", r.test_metric)),
        };
        s.push_str(&format!(
            "| {} | {}{} | {} | {} | {} | {} | {} | {} | {:.1} | {} |\n",
            dir.display(),
            r.experiment,
            if r.quick { " (quick)" } else { "" },
            r.model,
            r.parameters,
            metric,
            value,
            invariance,
            r.epochs,
            r.train_seconds,
            r.device
        ));
    }
    s
}
