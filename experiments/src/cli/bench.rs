//! `gm bench nn`: one GM layer forward + backward, the planner's backend against the
//! reference formulation (gather B×C×K×n, then contract), measured in the same run; and
//! `gm bench train`: training throughput of the reference classifiers.
use anyhow::Result;
use gm_experiments::config::Precision;
use gm_experiments::throughput::{measure, BenchModel, TrainBenchCase};
use gm_nn::bench::{layer_forward_backward, BenchConfig};
use gm_nn::conv::BackendChoice;
use tch::Device;

/// Runs the layer benchmark on `device` and prints a table, or the report as JSON.
pub fn nn(config: &BenchConfig, device: Device, json: bool) -> Result<()> {
    let report = layer_forward_backward(config, device)?;
    if json {
        println!("{}", serde_json::to_string_pretty(&report)?);
        return Ok(());
    }
    println!(
        "GM layer forward+backward: group {}, B = {}, C = {}, {:?} mode, device {}",
        config.group, config.batch, config.channels, config.mode, report.device
    );
    println!(
        "{:>10} {:>12} {:>12} {:>14}",
        "backend", "median ms", "min ms", "max |Δ| vs ref"
    );
    for e in &report.entries {
        println!(
            "{:>10} {:>12.2} {:>12.2} {:>14.2e}",
            format!("{:?}", e.backend),
            e.median_ms,
            e.min_ms,
            e.max_abs_diff
        );
    }
    println!(
        "planner's backend {:?}: {:.1}x faster than the reference formulation",
        report.planned, report.speedup
    );
    Ok(())
}

/// The cases of `gm bench train`: every backend × precision for one model and batch size.
#[derive(Debug, Clone)]
pub struct TrainSweep {
    /// The model.
    pub model: BenchModel,
    /// Batch size.
    pub batch: usize,
    /// Backend choices to compare.
    pub backends: Vec<BackendChoice>,
    /// Precisions to compare.
    pub precisions: Vec<Precision>,
    /// Untimed warm-up steps.
    pub warmup: usize,
    /// Timed steps.
    pub steps: usize,
}

/// Measures every case of `sweep` on `device`, printing a table row (or a JSON line) per
/// case as it finishes; a case that fails is reported and the sweep goes on.
pub fn train(sweep: &TrainSweep, device: Device, json: bool) -> Result<()> {
    if !json {
        println!(
            "training throughput: {:?}, B = {}, {} timed steps after {} warm-up, device {device:?}",
            sweep.model, sweep.batch, sweep.steps, sweep.warmup
        );
        println!(
            "{:>10} {:>6} {:>18} {:>10} {:>12} {:>9}",
            "backend", "prec", "ran on", "ms/step", "images/s", "loss"
        );
    }
    let mut failures = 0;
    for &backend in &sweep.backends {
        for &precision in &sweep.precisions {
            let case = TrainBenchCase {
                model: sweep.model,
                batch: sweep.batch,
                backend,
                precision,
            };
            match measure(&case, sweep.warmup, sweep.steps, device) {
                Ok(r) if json => println!("{}", serde_json::to_string(&r)?),
                Ok(r) => {
                    let ran: Vec<_> = r.backends.iter().map(|b| b.name()).collect();
                    println!(
                        "{:>10} {:>6} {:>18} {:>10.3} {:>12.0} {:>9.4}",
                        choice_name(backend),
                        format!("{precision:?}").to_lowercase(),
                        ran.join("+"),
                        r.ms_per_step,
                        r.images_per_s,
                        r.last_loss
                    );
                }
                Err(e) => {
                    failures += 1;
                    eprintln!("case {case:?} failed: {e:#}");
                }
            }
        }
    }
    anyhow::ensure!(failures == 0, "{failures} case(s) failed");
    Ok(())
}

fn choice_name(choice: BackendChoice) -> &'static str {
    match choice {
        BackendChoice::Auto => "auto",
        BackendChoice::Timed => "timed",
        BackendChoice::Fixed(kind) => kind.name(),
    }
}
