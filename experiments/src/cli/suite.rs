//! `gm suite list | show | run | report`: suites of experiments × sweeps × seeds
//! ([`gm_experiments::suite`]) planned, run (skipping finished runs, resuming interrupted
//! ones, going on past failures) and reported as mean ± std over seeds
//! ([`gm_experiments::report::write_suite_report`]).
use anyhow::{bail, Result};
use gm_experiments::report::{write_suite_report, SuiteReport};
use gm_experiments::suite::{
    decide, load_suite, run_plan, suite_names, Event, Plan, Selection, Step, Suite,
};
use std::path::Path;
use std::time::{Duration, Instant};
use tch::Device;

/// What `gm suite run` was asked to do besides the suite.
#[derive(Debug, Clone)]
pub struct RunArgs<'a> {
    /// Output root; the suite writes `OUT/<suite>`.
    pub out: &'a Path,
    /// Shrink every run as `gm run --quick` does.
    pub quick: bool,
    /// Which runs.
    pub selection: Selection,
    /// Only print what would be done.
    pub dry_run: bool,
}

/// Prints one line per embedded suite: name, planned runs, description.
pub fn list() -> Result<()> {
    for name in suite_names() {
        let suite = load_suite(name)?;
        let runs = Plan::new(&suite, &Selection::default())?.runs.len();
        println!("{name:<22} {runs:>4} runs  {}", suite.description);
    }
    Ok(())
}

/// Prints the suite's plan: one line per run with its directory and overrides, after
/// checking every planned config loads.
pub fn show(suite: &str, selection: &Selection, out: &Path) -> Result<()> {
    let suite = load_suite(suite)?;
    let plan = Plan::new(&suite, selection)?;
    plan.configs(false)?;
    print_header(&suite);
    let root = out.join(&suite.name);
    for (i, run) in plan.runs.iter().enumerate() {
        let sets: Vec<String> = run.overrides.iter().map(ToString::to_string).collect();
        println!(
            "{:>4}  {:<60} {}",
            i + 1,
            run.dir.display().to_string(),
            sets.join(" ")
        );
    }
    println!(
        "{} runs under {} (every config loads)",
        plan.runs.len(),
        root.display()
    );
    Ok(())
}

fn print_header(suite: &Suite) {
    println!("suite {} ({})", suite.name, suite.origin);
    if !suite.description.is_empty() {
        println!("  {}", suite.description);
    }
    if let Some(notes) = &suite.notes {
        for line in notes.trim().lines() {
            println!("  notes: {line}");
        }
    }
    let seeds: Vec<String> = suite.seeds.iter().map(ToString::to_string).collect();
    println!("  seeds: {}", seeds.join(", "));
}

/// `h:mm:ss`.
fn clock(d: Duration) -> String {
    let s = d.as_secs();
    format!("{}:{:02}:{:02}", s / 3600, s / 60 % 60, s % 60)
}

fn prefix(step: &Step<'_>) -> String {
    format!(
        "[{}/{} {}] {}",
        step.index,
        step.total,
        clock(step.elapsed),
        step.run
    )
}

/// Runs the suite (see the module docs), then writes and prints `OUT/<suite>/report.md`.
///
/// # Errors
/// A bad suite file or a planned config that does not load (before anything runs); after
/// the suite, when any run failed (listing them).
pub fn run(suite: &str, args: &RunArgs<'_>, device: impl FnOnce() -> Result<Device>) -> Result<()> {
    run_loaded(load_suite(suite)?, args, device).map(|_| ())
}

/// [`run`] on a suite already loaded (and perhaps adjusted, as `gm demo` does); returns the
/// report, or `None` for a dry run.
///
/// # Errors
/// As [`run`].
pub fn run_loaded(
    suite: Suite,
    args: &RunArgs<'_>,
    device: impl FnOnce() -> Result<Device>,
) -> Result<Option<SuiteReport>> {
    let started = Instant::now();
    let plan = Plan::new(&suite, &args.selection)?;
    let configs = plan.configs(args.quick)?;
    let root = args.out.join(&suite.name);
    if args.dry_run {
        print_header(&suite);
        for (i, (run, cfg)) in plan.runs.iter().zip(&configs).enumerate() {
            let dir = root.join(&run.dir);
            let decision = decide(&dir, cfg, args.quick)
                .map_or_else(|e| format!("error: {e:#}"), |d| d.to_string());
            println!(
                "[{}/{}] {run}: {decision} -> {}",
                i + 1,
                plan.runs.len(),
                dir.display()
            );
        }
        println!("{} runs (dry run: nothing trained)", plan.runs.len());
        return Ok(None);
    }
    let device = device()?;
    println!(
        "suite {}: {} runs into {}",
        suite.name,
        plan.runs.len(),
        root.display()
    );
    let outcome = run_plan(
        &plan,
        &configs,
        &root,
        args.quick,
        device,
        |event| match event {
            Event::Begin(step, decision) => {
                println!("{}: {decision} -> {}", prefix(&step), step.dir.display())
            }
            Event::Finished(step, r, seconds) => println!(
                "{}: done in {seconds:.1} s, {} {:.4}, {} parameters",
                prefix(&step),
                r.metric,
                r.test_metric,
                r.parameters
            ),
            Event::Failed(step, error) => println!("{}: FAILED: {error}", prefix(&step)),
        },
    );
    // The report covers the whole suite (every family), with the seeds run now as well.
    let mut seeds = suite.seeds.clone();
    for s in args.selection.seeds.iter().flatten() {
        if !seeds.contains(s) {
            seeds.push(*s);
        }
    }
    let whole = Plan::new(
        &suite,
        &Selection {
            seeds: Some(seeds),
            only: None,
        },
    )?;
    let report = write_suite_report(&whole, &root, true)?;
    println!();
    print!("{}", report.markdown);
    println!();
    println!(
        "suite {}: {} started, {} resumed, {} skipped (finished before), {} failed in {}; \
         report: {}",
        suite.name,
        outcome.started,
        outcome.resumed,
        outcome.skipped,
        outcome.failures.len(),
        clock(started.elapsed()),
        report.path.display()
    );
    if !outcome.failures.is_empty() {
        let list: Vec<String> = outcome
            .failures
            .iter()
            .map(|f| format!("  {} ({}): {}", f.run, f.dir.display(), f.error))
            .collect();
        bail!(
            "{} of {} runs failed (the others are kept; run the suite again to retry):\n{}",
            outcome.failures.len(),
            plan.runs.len(),
            list.join("\n")
        );
    }
    Ok(Some(report))
}

/// Writes and prints the report of the suite's finished runs (a partial suite too).
pub fn report(suite: &str, out: &Path, seeds: Option<Vec<u64>>) -> Result<()> {
    let suite = load_suite(suite)?;
    let plan = Plan::new(&suite, &Selection { seeds, only: None })?;
    let root = out.join(&suite.name);
    let report = write_suite_report(&plan, &root, true)?;
    print!("{}", report.markdown);
    eprintln!(
        "wrote {}: {} of {} planned runs finished, {} missing",
        report.path.display(),
        report.finished,
        report.planned,
        report.missing.len()
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clock_reads_hours_minutes_seconds() {
        assert_eq!(clock(Duration::from_secs(0)), "0:00:00");
        assert_eq!(clock(Duration::from_secs(3 * 3600 + 62)), "3:01:02");
    }
}
