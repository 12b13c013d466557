//! The regression columns of a configuration's seeds: domain-test RMSE as mean ± std (the
//! future-test RMSE is the aggregate's test metric), persistence on both tests for scale, and
//! the mean equivariance error under quarter turns of the plume.
use super::{ReportedRun, Summary};
use crate::run::RunResult;

/// What the runs of one regression configuration add to its [`super::Aggregate`].
#[derive(Debug, Clone, PartialEq)]
pub struct RegressionSummary {
    /// Domain-test RMSE over the runs.
    pub domain: Summary,
    /// Mean persistence RMSE on the future test (the last input frame repeated).
    pub persistence_future: f64,
    /// Mean persistence RMSE on the domain test.
    pub persistence_domain: f64,
    /// Mean equivariance error under quarter turns of the plume, over the runs that measured
    /// it.
    pub rotation_equivariance: Option<f64>,
}

impl RegressionSummary {
    /// The summary of `runs`, or `None` when none of them is a regression run.
    pub fn of(runs: &[&ReportedRun]) -> Option<Self> {
        let results: Vec<&RunResult> = runs.iter().map(|r| &r.result).collect();
        let tests: Vec<_> = results
            .iter()
            .filter_map(|r| r.regression.as_ref())
            .collect();
        let mean = |values: Vec<f64>| Summary::of(&values).map(|s| s.mean);
        Some(Self {
            domain: Summary::of(&tests.iter().map(|t| t.rmse_domain).collect::<Vec<_>>())?,
            persistence_future: mean(tests.iter().map(|t| t.rmse_future_persistence).collect())?,
            persistence_domain: mean(tests.iter().map(|t| t.rmse_domain_persistence).collect())?,
            rotation_equivariance: mean(
                tests
                    .iter()
                    .filter_map(|t| Some(t.rotation_equivariance.as_ref()?.error))
                    .collect(),
            ),
        })
    }
}

/// The markdown table of the regression configurations among `aggregates`: family, setting,
/// model, parameters, seeds, future and domain RMSE (mean ± std), persistence, mean
/// equivariance errors under translations (the GM models' pixel group) and quarter turns,
/// mean wall time. Empty when there are none.
pub fn regression_table(aggregates: &[super::Aggregate]) -> String {
    let rows: Vec<_> = aggregates
        .iter()
        .filter_map(|a| Some((a, a.regression.as_ref()?)))
        .collect();
    if rows.is_empty() {
        return String::new();
    }
    let mut s = String::from(
        "| family | setting | model | parameters | seeds | RMSE future | RMSE domain | persistence future / domain | equivariance error: pixel group / quarter turns (mean) | wall time (s, mean) |\n\
         |---|---|---|---:|---:|---:|---:|---:|---|---:|\n",
    );
    let error = |e: Option<f64>| e.map_or("—".to_string(), |e| format!("{e:.1e}"));
    for (a, r) in rows {
        s.push_str(&format!(
            "| {} | {}{} | {} | {} | {} | {:.3} | {:.3} | {:.3} / {:.3} | {} / {} | {:.1} |\n",
            a.family,
            a.setting,
            if a.quick { " (quick)" } else { "" },
            a.model,
            a.parameters,
            a.value.n,
            a.value,
            r.domain,
            r.persistence_future,
            r.persistence_domain,
            error(a.invariance),
            error(r.rotation_equivariance),
            a.wall_seconds
        ));
    }
    s
}
