//! The `gm` subcommands, one module each.
pub mod bench;
pub mod data;
pub mod demo;
pub mod eval;
pub mod export;
pub mod import;
pub mod list;
pub mod report;
pub mod run;
pub mod show_config;
pub mod suite;
