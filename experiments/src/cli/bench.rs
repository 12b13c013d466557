//! `gm bench nn`: one GM layer forward + backward, the planner's backend against the
//! reference formulation (gather B×C×K×n, then contract), measured in the same run.
use anyhow::Result;
use gm_nn::bench::{layer_forward_backward, BenchConfig};
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
