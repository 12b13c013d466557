//! Seeds of one configuration aggregated ([`aggregate`]): the test metric as mean ± sample
//! standard deviation, the mean invariance error and wall time, as a markdown table sorted by
//! family then parameters, and as the series of the metric-against-parameters figure.
use super::{RegressionSummary, ReportedRun, Summary};
use crate::plots::scaling::{metric_vs_parameters, ErrorPoint, Series};
use crate::plots::PlotError;
use crate::slug::slug;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The runs of one configuration (one family, one configuration up to the seed).
#[derive(Debug, Clone, PartialEq)]
pub struct Aggregate {
    /// The family.
    pub family: String,
    /// The setting (experiment and sweep point).
    pub setting: String,
    /// The model's description.
    pub model: String,
    /// Trainable parameters.
    pub parameters: usize,
    /// Name of the test metric.
    pub metric: String,
    /// Whether the runs were `--quick`.
    pub quick: bool,
    /// The seeds, where known, ascending.
    pub seeds: Vec<u64>,
    /// The test metric over the runs.
    pub value: Summary,
    /// Mean invariance error over the runs that measured it.
    pub invariance: Option<f64>,
    /// Mean agreement of predictions under quarter turns of the test images, over the runs
    /// that measured it.
    pub rotation: Option<f64>,
    /// The validation metric of the tested weights over the runs that recorded it (what model
    /// selection may look at).
    pub validation: Option<Summary>,
    /// Mean training wall seconds.
    pub wall_seconds: f64,
    /// Domain-test RMSE, persistence and rotation equivariance (regression runs).
    pub regression: Option<RegressionSummary>,
}

/// Groups `runs` by family and configuration (see [`ReportedRun::configuration`]) and
/// summarises each group; sorted by family, then parameters, then setting.
///
/// # Example
/// ```no_run
/// use gm_experiments::report::{aggregate, aggregate_table, ReportedRun};
/// let runs: Vec<ReportedRun> = ["runs/a", "runs/b"]
///     .iter()
///     .map(|d| ReportedRun::read(std::path::Path::new(d)).unwrap())
///     .collect();
/// print!("{}", aggregate_table(&aggregate(&runs)));
/// ```
pub fn aggregate(runs: &[ReportedRun]) -> Vec<Aggregate> {
    let mut groups: BTreeMap<(&str, &str), Vec<&ReportedRun>> = BTreeMap::new();
    for run in runs {
        groups
            .entry((run.family.as_str(), run.configuration.as_str()))
            .or_default()
            .push(run);
    }
    let mut out: Vec<Aggregate> = groups
        .into_values()
        .map(|group| {
            let first = &group[0].result;
            let values: Vec<f64> = group.iter().map(|r| r.result.test_metric).collect();
            let invariance: Vec<f64> = group
                .iter()
                .filter_map(|r| Some(r.result.invariance.as_ref()?.error))
                .collect();
            let rotation: Vec<f64> = group
                .iter()
                .filter_map(|r| Some(r.result.rotation.as_ref()?.agreement))
                .collect();
            let validation: Vec<f64> = group.iter().filter_map(|r| r.result.val_metric).collect();
            let mut seeds: Vec<u64> = group.iter().filter_map(|r| r.seed).collect();
            seeds.sort_unstable();
            Aggregate {
                family: group[0].family.clone(),
                setting: group[0].setting.clone(),
                model: first.model.clone(),
                parameters: first.parameters,
                metric: first.metric.clone(),
                quick: first.quick,
                seeds,
                value: Summary::of(&values).expect("groups are never empty"),
                invariance: Summary::of(&invariance).map(|s| s.mean),
                rotation: Summary::of(&rotation).map(|s| s.mean),
                validation: Summary::of(&validation),
                wall_seconds: group.iter().map(|r| r.result.train_seconds).sum::<f64>()
                    / group.len() as f64,
                regression: RegressionSummary::of(&group),
            }
        })
        .collect();
    out.sort_by(|a, b| {
        (&a.family, a.parameters, &a.setting).cmp(&(&b.family, b.parameters, &b.setting))
    });
    out
}

/// Whether some configuration in `aggregates` has more than one run (so that an aggregated
/// table says more than the per-run one).
pub fn has_repeats(aggregates: &[Aggregate]) -> bool {
    aggregates.iter().any(|a| a.value.n > 1)
}

/// The markdown table of `aggregates`: family, setting (marked when `--quick`), model,
/// parameters, seeds n, metric, mean ± std (`—` for the deviation of one run), mean
/// agreement under quarter turns, mean invariance error, mean wall time.
pub fn aggregate_table(aggregates: &[Aggregate]) -> String {
    let mut s = String::from(
        "| family | setting | model | parameters | seeds | metric | mean ± std | 90° agreement (mean) | invariance error (mean) | wall time (s, mean) |\n\
         |---|---|---|---:|---:|---|---:|---:|---|---:|\n",
    );
    for a in aggregates {
        let invariance = a.invariance.map_or("—".to_string(), |e| format!("{e:.1e}"));
        let rotation = a.rotation.map_or("—".to_string(), |r| format!("{r:.3}"));
        s.push_str(&format!(
            "| {} | {}{} | {} | {} | {} | {} | {} | {rotation} | {} | {:.1} |\n",
            a.family,
            a.setting,
            if a.quick { " (quick)" } else { "" },
            a.model,
            a.parameters,
            a.value.n,
            a.metric,
            a.value,
            invariance,
            a.wall_seconds
        ));
    }
    s
}

/// The metrics of `aggregates`, sorted, each once.
pub fn metrics(aggregates: &[Aggregate]) -> Vec<String> {
    let mut m: Vec<String> = aggregates.iter().map(|a| a.metric.clone()).collect();
    m.sort_unstable();
    m.dedup();
    m
}

/// The series of the `metric`-against-parameters figure: one per family (in family order),
/// its points by ascending parameters, each the mean with the sample deviation as error
/// bar (0 for one run).
pub fn scaling_series(aggregates: &[Aggregate], metric: &str) -> Vec<Series> {
    let mut by_family: BTreeMap<&str, Vec<ErrorPoint>> = BTreeMap::new();
    for a in aggregates.iter().filter(|a| a.metric == metric) {
        by_family.entry(&a.family).or_default().push(ErrorPoint {
            x: a.parameters as f64,
            mean: a.value.mean,
            std: a.value.std.unwrap_or(0.0),
        });
    }
    by_family
        .into_iter()
        .map(|(family, mut points)| {
            points.sort_by(|p, q| p.x.total_cmp(&q.x));
            Series {
                label: family.to_string(),
                points,
            }
        })
        .collect()
}

/// Draws the metric-against-parameters figure of each metric of `aggregates` into `dir` as
/// `STEM-scaling-METRIC.png`; returns `(caption, path)` per figure.
///
/// # Errors
/// [`PlotError`] when a figure cannot be drawn.
pub fn scaling_figures(
    aggregates: &[Aggregate],
    dir: &Path,
    stem: &str,
) -> Result<Vec<(String, PathBuf)>, PlotError> {
    let mut out = Vec::new();
    for metric in metrics(aggregates) {
        let series = scaling_series(aggregates, &metric);
        let path = dir.join(format!("{stem}-scaling-{}.png", slug(&metric)));
        metric_vs_parameters(&series, &metric, &path)?;
        out.push((
            format!("{metric} against parameters, mean ± std over seeds"),
            path,
        ));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::run::RunResult;
    use crate::symmetry::InvarianceCheck;

    fn run(family: &str, parameters: usize, seed: u64, acc: f64, inv: Option<f64>) -> ReportedRun {
        ReportedRun {
            dir: format!("{family}/{parameters}/seed-{seed}").into(),
            result: RunResult {
                experiment: "e".into(),
                model: format!("m{parameters}"),
                parameters,
                metric: "accuracy".into(),
                test_metric: acc,
                test_loss: 1.0,
                epochs: 2,
                best_epoch: 2,
                train_seconds: seed as f64,
                device: "cpu".into(),
                quick: false,
                invariance: inv.map(|error| InvarianceCheck {
                    group: "D14xD14".into(),
                    error,
                    samples: 8,
                }),
                seconds_per_epoch: None,
                rotation: None,
                val_metric: None,
                regression: None,
            },
            family: family.into(),
            setting: format!("e w={parameters}"),
            seed: Some(seed),
            configuration: format!("w = {parameters}"),
        }
    }

    fn fixture() -> Vec<ReportedRun> {
        vec![
            run("GM", 500, 2, 0.80, Some(1e-6)),
            run("CNN", 900, 1, 0.70, None),
            run("GM", 500, 1, 0.90, Some(3e-6)),
            run("CNN", 300, 1, 0.60, None),
            run("GM", 500, 3, 0.85, Some(2e-6)),
            run("CNN", 300, 2, 0.64, None),
        ]
    }

    #[test]
    fn seeds_of_a_configuration_are_summarised_by_hand() {
        let a = aggregate(&fixture());
        let order: Vec<(&str, usize, usize)> = a
            .iter()
            .map(|a| (a.family.as_str(), a.parameters, a.value.n))
            .collect();
        assert_eq!(order, [("CNN", 300, 2), ("CNN", 900, 1), ("GM", 500, 3)]);
        // GM: 0.80, 0.90, 0.85 → mean 0.85, deviations −0.05, 0.05, 0 → std √(0.005 / 2) = 0.05.
        let gm = &a[2];
        assert!((gm.value.mean - 0.85).abs() < 1e-12);
        assert!((gm.value.std.unwrap() - 0.05).abs() < 1e-12);
        assert_eq!(gm.seeds, [1, 2, 3]);
        assert!((gm.invariance.unwrap() - 2e-6).abs() < 1e-18);
        assert!((gm.wall_seconds - 2.0).abs() < 1e-12);
        // CNN 300: 0.60, 0.64 → mean 0.62, std 0.02·√2.
        assert!((a[0].value.mean - 0.62).abs() < 1e-12);
        assert!((a[0].value.std.unwrap() - 0.02 * 2f64.sqrt()).abs() < 1e-12);
        assert_eq!(a[1].value.std, None);
        assert!(has_repeats(&a));
        assert!(!has_repeats(&a[1..2]));
    }

    #[test]
    fn the_table_shows_mean_and_std_per_configuration() {
        let md = aggregate_table(&aggregate(&fixture()));
        let lines: Vec<&str> = md.lines().collect();
        assert_eq!(lines.len(), 2 + 3, "{md}");
        assert_eq!(
            lines[2],
            "| CNN | e w=300 | m300 | 300 | 2 | accuracy | 0.6200 ± 0.0283 | — | — | 1.5 |"
        );
        assert_eq!(
            lines[3],
            "| CNN | e w=900 | m900 | 900 | 1 | accuracy | 0.7000 ± — | — | — | 1.0 |"
        );
        assert_eq!(
            lines[4],
            "| GM | e w=500 | m500 | 500 | 3 | accuracy | 0.8500 ± 0.0500 | — | 2.0e-6 | 2.0 |"
        );
    }

    #[test]
    fn rotation_agreement_and_validation_metrics_are_averaged_where_recorded() {
        let mut runs = fixture();
        let gm: Vec<usize> = (0..runs.len())
            .filter(|&i| runs[i].family == "GM")
            .collect();
        for (k, &i) in gm.iter().enumerate() {
            runs[i].result.val_metric = Some(0.5 + 0.1 * k as f64);
            if k > 0 {
                runs[i].result.rotation = Some(crate::symmetry::RotationAgreement {
                    agreement: 0.25 * k as f64,
                    samples: 8,
                });
            }
        }
        let a = aggregate(&runs);
        let g = a.iter().find(|a| a.family == "GM").unwrap();
        // Agreement recorded by two of the three seeds (0.25, 0.5); validation by all three.
        assert!((g.rotation.unwrap() - 0.375).abs() < 1e-12);
        let v = g.validation.unwrap();
        assert_eq!(v.n, 3);
        assert!((v.mean - 0.6).abs() < 1e-12);
        assert!(a
            .iter()
            .filter(|a| a.family == "CNN")
            .all(|c| c.rotation.is_none()));
        assert!(aggregate_table(&a).contains("| 0.375 | 2.0e-6 |"));
    }

    #[test]
    fn the_figure_gets_one_series_per_family_by_parameters() {
        let s = scaling_series(&aggregate(&fixture()), "accuracy");
        assert_eq!(s.len(), 2);
        assert_eq!(s[0].label, "CNN");
        let xs: Vec<f64> = s[0].points.iter().map(|p| p.x).collect();
        assert_eq!(xs, [300.0, 900.0]);
        assert!((s[0].points[0].std - 0.02 * 2f64.sqrt()).abs() < 1e-12);
        assert_eq!(s[0].points[1].std, 0.0);
        assert_eq!((s[1].label.as_str(), s[1].points.len()), ("GM", 1));
        assert!((s[1].points[0].mean - 0.85).abs() < 1e-12);
        assert!(scaling_series(&aggregate(&fixture()), "rmse").is_empty());
    }
}
