//! `gm bench nn` and `gm bench train`: the measurements of [`gm_experiments::bench`], printed
//! as tables or JSON.
use anyhow::Result;
use gm_algebra::FiniteGroup;
use gm_experiments::bench::layer::{layer_forward_backward, BenchConfig};
use gm_experiments::bench::train::{measure, TrainSweep};
use gm_nn::device::device_name;
use tch::Device;

/// Runs the layer benchmark on `device` and prints a table, or the report as JSON.
pub fn nn(config: &BenchConfig, device: Device, json: bool) -> Result<()> {
    let report = layer_forward_backward(config, device)?;
    if json {
        println!("{}", serde_json::to_string_pretty(&report)?);
        return Ok(());
    }
    println!(
        "GM layer forward+backward: group {}, B = {}, C = {}, {} mode, device {}",
        config.group.name(),
        config.batch,
        config.channels,
        config.mode,
        report.device
    );
    println!(
        "{:>10} {:>12} {:>12} {:>14}",
        "backend", "median ms", "min ms", "max |Δ| vs ref"
    );
    for e in &report.entries {
        println!(
            "{:>10} {:>12.2} {:>12.2} {:>14.2e}",
            e.backend, e.median_ms, e.min_ms, e.max_abs_diff
        );
    }
    println!(
        "planner's backend {}: {:.1}x faster than the reference formulation",
        report.planned, report.speedup
    );
    Ok(())
}

/// Measures every case of `sweep` on `device`, printing a table row (or a JSON line) per
/// case as it finishes; a case that fails is reported and the sweep goes on.
pub fn train(sweep: &TrainSweep, device: Device, json: bool) -> Result<()> {
    if !json {
        println!(
            "training throughput: {:?}, B = {}, {} timed steps after {} warm-up, device {}",
            sweep.model,
            sweep.batch,
            sweep.steps,
            sweep.warmup,
            device_name(device)
        );
        println!(
            "{:>10} {:>6} {:>18} {:>10} {:>12} {:>9}",
            "backend", "prec", "blocks ran on", "ms/step", "images/s", "loss"
        );
    }
    let mut failures = 0;
    for case in sweep.cases() {
        match measure(&case, sweep.warmup, sweep.steps, device) {
            Ok(r) if json => println!("{}", serde_json::to_string(&r)?),
            Ok(r) => {
                let ran: Vec<_> = r
                    .backends
                    .iter()
                    .enumerate()
                    .map(|(i, b)| match r.fused.get(i) {
                        Some(true) => "fused",
                        _ => b.name(),
                    })
                    .collect();
                println!(
                    "{:>10} {:>6} {:>18} {:>10.3} {:>12.0} {:>9.4}",
                    case.backend,
                    case.precision,
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
    anyhow::ensure!(failures == 0, "{failures} case(s) failed");
    Ok(())
}
