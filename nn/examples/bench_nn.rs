//! Runs the `gm bench nn` layer measurement on the CPU and prints the report as JSON.
//!
//! `cargo run --release -p gm-nn --example bench_nn [iterations]`

fn main() -> gm_nn::Result<()> {
    let iterations = std::env::args()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(5);
    let config = gm_nn::bench::BenchConfig {
        iterations,
        ..Default::default()
    };
    let report = gm_nn::bench::layer_forward_backward(&config, tch::Device::Cpu)?;
    println!(
        "{}",
        serde_json::to_string_pretty(&report).expect("a report serialises")
    );
    Ok(())
}
