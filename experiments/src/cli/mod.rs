//! The `gm` subcommands, one module each.
pub mod data;
pub mod list;
pub mod show_config;
