//! `gm` — the command-line runner of the group-matrix workspace.
use anyhow::Result;
use clap::{Parser, Subcommand};
use gm_nn::DeviceChoice;

mod group_show;
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
    /// Inspect finite groups.
    Group {
        #[command(subcommand)]
        command: GroupCommand,
    },
}

#[derive(Debug, Subcommand)]
enum GroupCommand {
    /// Order, generators, whether abelian, and the conjugacy classes of a group.
    Show {
        /// A group spec: C12, D6, S4, A5, Q8, Dic3, V4, C4xC2, p4(32), perm:(1,2,3);(1,2), ...
        spec: String,
        /// Print the documented JSON form instead of text.
        #[arg(long)]
        json: bool,
    },
}

fn main() -> Result<()> {
    let cli = Cli::parse();
    let device: DeviceChoice = cli.device.parse()?;
    match cli.command.unwrap_or(Command::Info) {
        Command::Info => info::run(device),
        Command::Group {
            command: GroupCommand::Show { spec, json },
        } => group_show::run(&spec, json),
    }
}
