//! `scripts/pytorch_plume_train.py` (the PyTorch side of `gm bench train --model plume`) runs on
//! the CPU at a tiny size, prints finite positive rates for every formulation and precision, and
//! counts the parameters of gm's plume model at the same size.
//!
//! The Python is the libtorch cache's (`GM_TORCH_PYTHON`, exported by
//! `scripts/setup-libtorch.sh`).

use gm_experiments::config::load_experiment;
use gm_experiments::run::model::parameter_count;
use std::path::Path;
use std::process::Command;

#[test]
fn the_script_times_the_model_gm_builds_at_a_tiny_size() {
    let (batch, channels, grid) = (2, 6, 8);
    let python = std::env::var_os("GM_TORCH_PYTHON").expect(
        "no Python with PyTorch: run `eval \"$(scripts/setup-libtorch.sh)\"` (it exports \
         GM_TORCH_PYTHON) or set GM_TORCH_PYTHON to a python that imports torch",
    );
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("../scripts/pytorch_plume_train.py");
    let out = Command::new(python)
        .arg(&script)
        .envs([
            ("DEV", "cpu".to_string()),
            ("STEPS", "1".to_string()),
            ("WARMUP", "0".to_string()),
            ("B", batch.to_string()),
            ("C", channels.to_string()),
            ("GRID", grid.to_string()),
        ])
        .output()
        .expect("the Python of the libtorch cache runs");
    assert!(
        out.status.success(),
        "{} failed: {}",
        script.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    let report: serde_json::Map<String, serde_json::Value> =
        serde_json::from_slice(&out.stdout).expect("the script prints one JSON object");
    let number = |key: &str| {
        report
            .get(key)
            .and_then(serde_json::Value::as_f64)
            .unwrap_or_else(|| panic!("no number {key} in {report:?}"))
    };
    let overrides = [
        format!("model.channels={channels}").parse().unwrap(),
        format!("data.image_size={grid}").parse().unwrap(),
    ];
    let cfg = load_experiment("plume-rotation", &overrides).unwrap();
    let gm = parameter_count(&cfg).unwrap() as f64;
    assert_eq!(number("params_plume"), gm);
    assert_eq!(number("params_plume_formula"), gm);
    for form in ["ref", "sumfirst", "cudnn"] {
        assert!(number(&format!("maxabs_plume_{form}_vs_ref")) < 1e-4);
        for precision in ["fp32", "bf16"] {
            let rate = number(&format!("plume_{form}_{precision}"));
            assert!(rate.is_finite() && rate > 0.0, "{form} {precision}: {rate}");
        }
    }
    let best = number("plume_best_samples_s");
    assert!(best.is_finite() && best > 0.0);
}
