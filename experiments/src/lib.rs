//! # gm-experiments
//!
//! The library behind the `gm` command: experiment configurations (TOML, validated, with
//! `--set key=value` overrides), dataset loaders for the reference benchmarks, the data
//! builders (`gm data mnist`, `gm data plume`), a generic trainer (AdamW, reduce-on-plateau,
//! early stopping, checkpoints, resume), the plain CNN baseline, the experiments' symmetry
//! groups with the measured invariance of trained models, suites of runs over sweeps and
//! seeds, and reports (mean ± std over seeds) and plots of finished runs.
#![deny(missing_docs)]

pub mod baseline;
pub mod bench;
pub mod config;
pub mod data;
pub mod parsers;
pub mod plots;
pub mod report;
pub mod run;
pub mod slug;
pub mod suite;
pub mod symmetry;
pub mod train;
