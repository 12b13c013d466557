//! Suites: experiments × sweeps × seeds, planned, run and reported together (`gm suite`).
//!
//! A suite file ([`schema`]) lists runs — an experiment with overrides, grouped into
//! families — a sweep per run (the Cartesian product of values per key) and the seeds; a
//! [`Plan`] expands it into runs, each with its own run directory, and
//! [`Plan::configs`] loads every planned config before anything trains. [`run_plan`] runs
//! the plan in order, skipping finished runs and resuming interrupted ones ([`decide`]), and
//! writes a [`SuiteRunRecord`] into each run directory so that reports group the seeds of a
//! configuration ([`crate::report`]). Embedded suites live in `experiments/suites/*.toml`
//! ([`registry`]).
pub mod error;
pub mod plan;
pub mod record;
pub mod registry;
pub mod runner;
pub mod schema;
pub mod status;

pub use error::SuiteError;
pub use plan::{Plan, PlannedRun, Selection};
pub use record::{SuiteRunRecord, SUITE_RUN_FILE};
pub use registry::{load_suite, suite_names};
pub use runner::{run_plan, Event, Failure, Outcome, Step};
pub use schema::{RunSpec, Suite, SweepAxis};
pub use status::{decide, Decision};
