//! `gm report RUN_DIR... [--out FILE] [--no-plots]`: a markdown table of finished runs
//! (model, parameters, metric, invariance error, wall time, device), read from each run's
//! `result.json` (regression runs show the RMSE of the future and the domain test), and PNG
//! figures next to it: training curves of the runs overlaid (one figure per metric, from
//! `metrics.jsonl`) and, for a run holding `rollout_fields.safetensors`, its predicted against
//! true fields. When some runs are seeds of one configuration (same family — a suite's, else
//! the experiment — and the same `config.toml` up to `seed`), a second table gives mean ± std
//! per configuration ([`gm_experiments::report::aggregate()`]) and a figure the metric against
//! parameters.
use anyhow::{Context, Result};
use gm_experiments::plots::{self, Curves, ROLLOUT_FIELDS};
use gm_experiments::report::{
    aggregate, aggregate_table, has_repeats, scaling_figures, ReportedRun,
};
use gm_experiments::run::RunResult;
use gm_experiments::slug::slug;
use gm_experiments::train::metrics_log;
use std::path::{Path, PathBuf};

pub use gm_experiments::report::runs_table as table;

/// Draws the figures of `results` into `dir`, file names starting with `stem`:
/// `STEM-curves-METRIC.png` (the runs of each metric overlaid) and
/// `STEM-rollout-RUN.png` per run with rollout fields. Returns `(caption, path)` per figure.
///
/// # Errors
/// Unreadable metrics or fields, or a figure that cannot be drawn.
pub fn figures(
    results: &[(PathBuf, RunResult)],
    dir: &Path,
    stem: &str,
) -> Result<Vec<(String, PathBuf)>> {
    std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    let label = |run: &Path, r: &RunResult| {
        run.file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| r.experiment.clone())
    };
    let mut out = Vec::new();
    let mut metrics: Vec<&str> = results.iter().map(|(_, r)| r.metric.as_str()).collect();
    metrics.sort_unstable();
    metrics.dedup();
    for metric in metrics {
        let mut curves = Vec::new();
        for (run, r) in results.iter().filter(|(_, r)| r.metric == metric) {
            let epochs = metrics_log::read(run)?;
            if !epochs.is_empty() {
                curves.push(Curves {
                    label: label(run, r),
                    epochs,
                });
            }
        }
        if curves.is_empty() {
            continue;
        }
        let path = dir.join(format!("{stem}-curves-{}.png", slug(metric)));
        plots::training_curves(&curves, metric, &path)?;
        out.push((format!("loss and {metric} per epoch"), path));
    }
    for (run, r) in results {
        let fields = run.join(ROLLOUT_FIELDS);
        if !fields.is_file() {
            continue;
        }
        let (predicted, truth) = plots::read_rollout_fields(&fields)?;
        let name = label(run, r);
        let path = dir.join(format!("{stem}-rollout-{}.png", slug(&name)));
        plots::rollout_fields(&predicted, &truth, &path)?;
        out.push((format!("{name}: predicted and true speed"), path));
    }
    Ok(out)
}

/// Prints (or writes to `out`) the table of the runs in `dirs` — and, when some of them are
/// seeds of one configuration, the table of mean ± std per configuration — with figures
/// (unless `no_plots`) beside `out`, or in the current directory when printing, linked below
/// the tables: training curves, rollout fields, and the metric against parameters when
/// seeds were aggregated.
pub fn run(dirs: &[PathBuf], out: Option<&Path>, no_plots: bool) -> Result<()> {
    let runs = dirs
        .iter()
        .map(|d| ReportedRun::read(d))
        .collect::<Result<Vec<_>>>()?;
    let results: Vec<(PathBuf, RunResult)> = runs
        .iter()
        .map(|r| (r.dir.clone(), r.result.clone()))
        .collect();
    let mut md = table(&results);
    let aggregates = aggregate(&runs);
    let repeats = has_repeats(&aggregates);
    if repeats {
        md.push_str("\nMean ± std over the seeds of each configuration:\n\n");
        md.push_str(&aggregate_table(&aggregates));
    }
    if !no_plots {
        let (dir, stem) = match out {
            Some(path) => (
                path.parent().map(Path::to_path_buf).unwrap_or_default(),
                path.file_stem()
                    .map_or("report".into(), |s| s.to_string_lossy().into_owned()),
            ),
            None => (PathBuf::new(), "report".to_string()),
        };
        let dir = if dir.as_os_str().is_empty() {
            PathBuf::from(".")
        } else {
            dir
        };
        let mut figs = figures(&results, &dir, &stem)?;
        if repeats {
            figs.extend(scaling_figures(&aggregates, &dir, &stem)?);
        }
        if !figs.is_empty() {
            md.push('\n');
        }
        for (caption, path) in figs {
            // Links relative to the table's file (same directory).
            let name = path.file_name().map_or_else(
                || path.display().to_string(),
                |n| n.to_string_lossy().into_owned(),
            );
            let link = if out.is_some() {
                name
            } else {
                path.display().to_string()
            };
            md.push_str(&format!("![{caption}]({link})\n"));
        }
    }
    match out {
        Some(path) => {
            std::fs::write(path, &md).with_context(|| format!("writing {}", path.display()))?;
            println!("wrote {}", path.display());
        }
        None => print!("{md}"),
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use gm_experiments::run::read_result;
    use gm_experiments::symmetry::InvarianceCheck;
    use gm_experiments::train::EpochMetrics;
    use tch::Tensor;

    /// Width and height of a PNG after checking its signature and header chunk.
    fn png_size(path: &Path) -> (u32, u32) {
        let bytes = std::fs::read(path).unwrap();
        assert!(
            bytes.len() > 1000,
            "{}: {} bytes",
            path.display(),
            bytes.len()
        );
        assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n", "{}", path.display());
        assert_eq!(&bytes[12..16], b"IHDR");
        let be = |i: usize| u32::from_be_bytes(bytes[i..i + 4].try_into().unwrap());
        (be(16), be(20))
    }

    fn result(experiment: &str, metric: &str, invariance: Option<f64>) -> RunResult {
        RunResult {
            experiment: experiment.into(),
            model: "gm p4 t=1 K=36 2x8 ch".into(),
            parameters: 123,
            metric: metric.into(),
            test_metric: 0.5,
            test_loss: 1.0,
            epochs: 3,
            best_epoch: 2,
            train_seconds: 4.0,
            device: "cpu".into(),
            quick: false,
            invariance: invariance.map(|error| InvarianceCheck {
                group: "p4(8)".into(),
                error,
                samples: 16,
            }),
            seconds_per_epoch: Some(1.3),
            rotation: None,
            val_metric: Some(0.55),
            regression: None,
        }
    }

    fn write_run(dir: &Path, r: &RunResult, epochs: usize) {
        std::fs::create_dir_all(dir).unwrap();
        std::fs::write(dir.join("result.json"), serde_json::to_vec(r).unwrap()).unwrap();
        for e in 1..=epochs {
            let x = e as f64;
            metrics_log::append(
                dir,
                &EpochMetrics {
                    epoch: e,
                    train_loss: 2.0 / x,
                    train_metric: 1.0 - 0.5 / x,
                    val_loss: 2.2 / x,
                    val_metric: 0.9 - 0.5 / x,
                    lr: 1e-3,
                    seconds: 1.0,
                    samples_per_s: 100.0,
                    skipped_steps: 0,
                },
            )
            .unwrap();
        }
    }

    #[test]
    fn report_writes_the_table_and_valid_pngs() {
        let tmp = tempfile::tempdir().unwrap();
        let (a, b, c) = (
            tmp.path().join("gm"),
            tmp.path().join("cnn"),
            tmp.path().join("plume"),
        );
        write_run(&a, &result("rot-mnist-p4", "accuracy", Some(3e-7)), 4);
        write_run(&b, &result("rot-mnist-digits-cnn", "accuracy", None), 3);
        write_run(&c, &result("plume-rotation", "rmse", None), 2);
        // A (T, C, H, W) = (5, 2, 16, 12) rollout: a rotating flow and a perturbed copy.
        let truth = Tensor::arange(5 * 2 * 16 * 12, tch::kind::FLOAT_CPU)
            .view([5, 2, 16, 12])
            .sin();
        let predicted = &truth + 0.1 * truth.cos();
        Tensor::write_safetensors(
            &[("predicted", &predicted), ("true", &truth)],
            c.join(ROLLOUT_FIELDS),
        )
        .unwrap();

        let out = tmp.path().join("report/summary.md");
        std::fs::create_dir_all(out.parent().unwrap()).unwrap();
        run(&[a, b, c.clone()], Some(&out), false).unwrap();
        let md = std::fs::read_to_string(&out).unwrap();
        assert!(md.contains("| 3.0e-7 (p4(8)) |"), "{md}");
        assert!(md.contains("| — |"), "{md}");
        assert!(md.contains("![loss and accuracy per epoch](summary-curves-accuracy.png)"));
        assert!(md.contains("![loss and rmse per epoch](summary-curves-rmse.png)"));
        assert!(md.contains("![plume: predicted and true speed](summary-rollout-plume.png)"));
        let dir = out.parent().unwrap();
        assert_eq!(
            png_size(&dir.join("summary-curves-accuracy.png")),
            (1200, 480)
        );
        assert_eq!(png_size(&dir.join("summary-curves-rmse.png")), (1200, 480));
        // Four steps spread over T = 5, three rows of 200 + 24 px under a 36 px header.
        assert_eq!(
            png_size(&dir.join("summary-rollout-plume.png")),
            (4 * 200, 36 + 3 * 224)
        );

        // Mismatched fields are refused with their shapes.
        Tensor::write_safetensors(
            &[("predicted", &predicted), ("true", &truth.narrow(0, 0, 2))],
            c.join(ROLLOUT_FIELDS),
        )
        .unwrap();
        let e = figures(&[(c.clone(), read_result(&c).unwrap())], dir, "x").unwrap_err();
        assert!(format!("{e:#}").contains("[5, 2, 16, 12]"), "{e:#}");
    }

    #[test]
    fn seeds_of_one_config_get_a_mean_and_std_table_and_a_scaling_figure() {
        let tmp = tempfile::tempdir().unwrap();
        let mut dirs = Vec::new();
        // Two seeds of one config (config.toml equal up to `seed`) and a third config.
        for (name, seed, channels, acc) in [("a", 1, 4, 0.5), ("b", 2, 4, 0.7), ("c", 1, 8, 0.9)] {
            let dir = tmp.path().join(name);
            let mut r = result("rot-mnist-digits-cnn", "accuracy", None);
            r.test_metric = acc;
            r.parameters = 100 * channels;
            write_run(&dir, &r, 2);
            let cfg = gm_experiments::config::load_experiment(
                "rot-mnist-digits-cnn",
                &[
                    format!("seed={seed}").parse().unwrap(),
                    format!("model.channels={channels}").parse().unwrap(),
                ],
            )
            .unwrap();
            std::fs::write(dir.join("config.toml"), cfg.to_toml()).unwrap();
            dirs.push(dir);
        }
        let out = tmp.path().join("r.md");
        run(&dirs, Some(&out), false).unwrap();
        let md = std::fs::read_to_string(&out).unwrap();
        assert!(md.contains("Mean ± std over the seeds"), "{md}");
        // 0.5 and 0.7: mean 0.6, sample std 0.1·√2.
        assert!(
            md.contains("2x8 ch | 400 | 2 | accuracy | 0.6000 ± 0.1414 | — | — | 4.0 |"),
            "{md}"
        );
        assert!(
            md.contains("2x8 ch | 800 | 1 | accuracy | 0.9000 ± — |"),
            "{md}"
        );
        assert!(md.contains("(r-scaling-accuracy.png)"), "{md}");
        assert_eq!(
            png_size(&tmp.path().join("r-scaling-accuracy.png")),
            (900, 600)
        );
        // Without repeated seeds there is no aggregated table.
        run(&dirs[1..], Some(&out), true).unwrap();
        let md = std::fs::read_to_string(&out).unwrap();
        assert!(!md.contains("Mean ± std"), "{md}");
    }

    #[test]
    fn result_files_without_an_invariance_check_still_load() {
        let tmp = tempfile::tempdir().unwrap();
        let mut v = serde_json::to_value(result("x", "accuracy", Some(1e-3))).unwrap();
        v.as_object_mut().unwrap().remove("invariance");
        std::fs::write(tmp.path().join("result.json"), v.to_string()).unwrap();
        assert_eq!(read_result(tmp.path()).unwrap().invariance, None);
    }
}
