//! Reports of finished runs (`gm report`, `gm suite report`): the per-run table
//! ([`runs_table`]), the seeds of each configuration aggregated into mean ± std
//! ([`aggregate()`], [`aggregate_table`]) with the metric-against-parameters figure
//! ([`scaling_figures`]), and the report of a suite ([`write_suite_report`]).
pub mod aggregate;
pub mod regression_summary;
pub mod reported;
pub mod stats;
pub mod suite;
pub mod table;

pub use aggregate::{
    aggregate, aggregate_table, has_repeats, metrics, scaling_figures, scaling_series, Aggregate,
};
pub use regression_summary::{regression_table, RegressionSummary};
pub use reported::ReportedRun;
pub use stats::Summary;
pub use suite::{write_suite_report, SuiteReport};
pub use table::runs_table;
