//! Running a [`Plan`] in order ([`run_plan`]): each planned run is skipped, resumed or
//! started as [`decide`] says; a run that fails (an error, a panic, a conflicting directory)
//! is recorded and the suite goes on with the next one, so nothing finished is lost and one
//! bad run does not cost the rest.
use super::plan::{Plan, PlannedRun};
use super::record::SuiteRunRecord;
use super::status::{decide, Decision};
use crate::config::ExperimentConfig;
use crate::run::{RunOptions, RunResult};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};
use tch::Device;

/// Where a suite stands when an [`Event`] happens.
#[derive(Debug, Clone)]
pub struct Step<'a> {
    /// 1-based position of the run in the plan.
    pub index: usize,
    /// Runs in the plan.
    pub total: usize,
    /// The run.
    pub run: &'a PlannedRun,
    /// Its run directory.
    pub dir: PathBuf,
    /// Time since the suite started.
    pub elapsed: Duration,
}

/// What [`run_plan`] reports as it goes (the command prints it).
#[derive(Debug)]
pub enum Event<'a> {
    /// A run is about to be handled as decided.
    Begin(Step<'a>, &'a Decision),
    /// A run trained (or resumed) to the end, in `seconds`.
    Finished(Step<'a>, &'a RunResult, f64),
    /// A run failed; the suite continues.
    Failed(Step<'a>, &'a str),
}

/// A run that did not finish, and why.
#[derive(Debug, Clone, PartialEq)]
pub struct Failure {
    /// The run.
    pub run: PlannedRun,
    /// Its run directory.
    pub dir: PathBuf,
    /// The error, with its causes.
    pub error: String,
}

/// What a suite run did.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Outcome {
    /// Runs trained from the start.
    pub started: usize,
    /// Interrupted runs continued.
    pub resumed: usize,
    /// Finished runs left as they were.
    pub skipped: usize,
    /// Runs that failed.
    pub failures: Vec<Failure>,
}

/// Runs `plan` under the suite directory `root` on `device`; `configs` are the plan's
/// configs from [`Plan::configs`] (with the same `quick`), which the decisions compare with
/// the run directories. Every run directory gets its [`SuiteRunRecord`] before it trains.
///
/// # Panics
/// When `configs` does not hold one config per planned run. (A panic inside a run is caught
/// and reported as that run's failure.)
pub fn run_plan(
    plan: &Plan,
    configs: &[ExperimentConfig],
    root: &Path,
    quick: bool,
    device: Device,
    mut on_event: impl FnMut(Event<'_>),
) -> Outcome {
    assert_eq!(plan.runs.len(), configs.len(), "one config per planned run");
    let started = Instant::now();
    let mut outcome = Outcome::default();
    let total = plan.runs.len();
    for (i, (run, cfg)) in plan.runs.iter().zip(configs).enumerate() {
        let step = || Step {
            index: i + 1,
            total,
            run,
            dir: root.join(&run.dir),
            elapsed: started.elapsed(),
        };
        let failed = match decide(&root.join(&run.dir), cfg, quick) {
            Err(e) => Some(format!("{e:#}")),
            Ok(decision) => {
                on_event(Event::Begin(step(), &decision));
                match &decision {
                    Decision::Skip(_) => {
                        outcome.skipped += 1;
                        None
                    }
                    Decision::Conflict(why) => Some(why.clone()),
                    Decision::Resume { .. } | Decision::Fresh => {
                        let resume = matches!(decision, Decision::Resume { .. });
                        let t = Instant::now();
                        match train(plan, run, &root.join(&run.dir), quick, resume, device) {
                            Ok(result) => {
                                let seconds = t.elapsed().as_secs_f64();
                                on_event(Event::Finished(step(), &result, seconds));
                                if resume {
                                    outcome.resumed += 1;
                                } else {
                                    outcome.started += 1;
                                }
                                None
                            }
                            Err(e) => Some(e),
                        }
                    }
                }
            }
        };
        if let Some(error) = failed {
            on_event(Event::Failed(step(), &error));
            outcome.failures.push(Failure {
                run: run.clone(),
                dir: root.join(&run.dir),
                error,
            });
        }
    }
    outcome
}

/// Records and trains one run; an error or a panic becomes the failure's message.
fn train(
    plan: &Plan,
    run: &PlannedRun,
    dir: &Path,
    quick: bool,
    resume: bool,
    device: Device,
) -> Result<RunResult, String> {
    SuiteRunRecord::of(&plan.suite.name, run)
        .write(dir)
        .map_err(|e| format!("{e:#}"))?;
    let opts = RunOptions {
        quick,
        resume,
        out: Some(dir.to_path_buf()),
    };
    let attempt = catch_unwind(AssertUnwindSafe(|| {
        crate::run::run(&run.experiment, &run.overrides, &opts, device)
    }));
    match attempt {
        Ok(Ok(finished)) => Ok(finished.result),
        Ok(Err(e)) => Err(format!("{e:#}")),
        Err(panic) => Err(format!(
            "panicked: {}",
            panic
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "(no message)".into())
        )),
    }
}
