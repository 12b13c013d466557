//! `gm` — the command-line runner of the group-matrix workspace.
use anyhow::Result;
use clap::{Parser, Subcommand};
use gm_nn::DeviceChoice;

mod info;

/// Group matrices: theory checks, fast transforms and group-matrix networks.
#[derive(Debug, Parser)]
#[command(name = "gm", version, about)]
struct Cli {
    /// Device to run on: cpu, cuda, cuda:N or auto (CUDA when available).
    #[arg(long, global = true, default_value = "auto")]
    device: String,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Print the version, the selected device and a small libtorch computation (the default).
    Info,
}

fn main() -> Result<()> {
    let cli = Cli::parse();
    let device: DeviceChoice = cli.device.parse()?;
    match cli.command.unwrap_or(Command::Info) {
        Command::Info => info::run(device),
    }
}
