//! `gm eval`, `gm export` and `gm import` on the real binary, with PyTorch on the other side
//! (the libtorch cache's Python, `GM_TORCH_PYTHON`):
//! - `gm eval` of a tiny trained GM run reproduces `result.json`'s test accuracy and loss
//!   exactly (same weights), writes `eval.json` and nothing else;
//! - the TorchScript export, loaded by `torch.jit.load`, gives the Rust model's outputs to
//!   1e-5 on random inputs, and refuses another batch size with an error;
//! - the state dict export loads into the reference GM-CNN's classes (transcribed in
//!   `tests/python/reference_gmcnn.py` under the reference's parameter names) with equal
//!   logits, and a state dict those classes made imports into gm with equal logits;
//! - the typed errors: no run, a checkpoint that does not fit, data of the wrong kind, a
//!   model the reference lacks, an existing output.
mod common;

use common::write_data;
use gm_experiments::config::load_experiment;
use gm_experiments::config::overrides::Override;
use gm_experiments::run::{CheckpointChoice, TrainedRun};
use serde_json::{json, Value};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;
use tch::{Device, Kind, Tensor};

/// The tiny model: GM-CNN on D6 × D6 (12×12 digits), t = 1, 2 blocks of 4 channels.
const MODEL_SETS: [&str; 6] = [
    "data.image_size=12",
    "model.channels=4",
    "model.blocks=2",
    "model.t=1",
    "train.batch_size=16",
    "train.precision=fp32",
];

fn gm(args: &[String]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_gm"))
        .args(args)
        .env("RUST_BACKTRACE", "0")
        .env("OMP_NUM_THREADS", "1")
        .output()
        .expect("the gm binary runs")
}

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

/// `gm ARGS` that must succeed; its output.
fn gm_ok(args: &[String]) -> String {
    let o = gm(args);
    assert!(o.status.success(), "gm {args:?} failed: {}", text(&o));
    text(&o)
}

/// `gm ARGS` that must fail; its output.
fn gm_err(args: &[String]) -> String {
    let o = gm(args);
    assert!(!o.status.success(), "gm {args:?} succeeded: {}", text(&o));
    text(&o)
}

fn args(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| s.to_string()).collect()
}

fn path_arg(p: &Path) -> String {
    p.display().to_string()
}

/// The `--set` arguments of the tiny model on the digits in `data`.
fn sets(data: &Path) -> Vec<String> {
    let mut out = args(&["--set", &format!("data.dir={}", data.display())]);
    for s in MODEL_SETS {
        out.extend(args(&["--set", s]));
    }
    out
}

/// A tiny GM run, trained once per test binary: `--quick`, 2 epochs, tested on 24 of the 40
/// test digits. Returns (data directory, run directory).
fn trained() -> &'static (PathBuf, PathBuf) {
    static RUN: OnceLock<(PathBuf, PathBuf)> = OnceLock::new();
    RUN.get_or_init(|| {
        let root = tempfile::tempdir().unwrap().keep();
        let data = root.join("digits");
        write_data(&data);
        let run = root.join("run");
        let mut a = args(&[
            "--device",
            "cpu",
            "run",
            "rot-mnist-digits",
            "--quick",
            "--out",
        ]);
        a.push(path_arg(&run));
        a.extend(sets(&data));
        a.extend(args(&[
            "--set",
            "quick.epochs=2",
            "--set",
            "quick.max_test=24",
        ]));
        gm_ok(&a);
        (data, run)
    })
}

fn python(script: &str, script_args: &[String]) -> Value {
    let script = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/python")
        .join(script);
    let stdout =
        gm_nn::testing::run_torch_script(&script, script_args).unwrap_or_else(|e| panic!("{e}"));
    serde_json::from_slice(&stdout).expect("the script prints JSON")
}

fn floats(t: &Tensor) -> Vec<f32> {
    Vec::<f32>::try_from(t.to_kind(Kind::Float).flatten(0, -1)).unwrap()
}

fn json_floats(v: &Value) -> Vec<f32> {
    v.as_array()
        .expect("a list of numbers")
        .iter()
        .map(|x| x.as_f64().unwrap() as f32)
        .collect()
}

fn max_diff(a: &[f32], b: &[f32]) -> f32 {
    assert_eq!(a.len(), b.len());
    a.iter()
        .zip(b)
        .map(|(x, y)| (x - y).abs())
        .fold(0.0, f32::max)
}

/// Random 12×12 digits, `batch` of them.
fn random_input(batch: i64, seed: i64) -> Tensor {
    tch::manual_seed(seed);
    Tensor::randn([batch, 1, 12, 12], (Kind::Float, Device::Cpu))
}

/// The outputs of the model of the run in `dir` with its tested weights, in Rust.
fn rust_outputs(dir: &Path, x: &Tensor) -> Tensor {
    let run = TrainedRun::open(dir).unwrap();
    let weights = run.checkpoint(&CheckpointChoice::Tested).unwrap();
    let (_vs, model) = run
        .model(&weights, run.sample_shape(), Device::Cpu)
        .unwrap();
    tch::no_grad(|| model.forward_t(x, false))
}

/// The spec of the reference classes for the tiny model and the input `x`.
fn reference_spec(x: &Tensor, channels: usize, seed: u64) -> Value {
    json!({
        "group": "dihedral", "order": 6, "nbr": 1, "in_channels": 1,
        "channels": [channels, channels], "classes": 10, "seed": seed,
        "shape": x.size(), "x": floats(x),
    })
}

fn read_json(path: &Path) -> Value {
    serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap()
}

#[test]
fn eval_reproduces_the_tested_metric_exactly_and_writes_only_eval_json() {
    let (data, run) = trained();
    let result_before = std::fs::read(run.join("result.json")).unwrap();
    let result: Value = serde_json::from_slice(&result_before).unwrap();
    let out = gm_ok(&args(&["--device", "cpu", "eval", &path_arg(run)]));
    assert!(out.contains("class   9: accuracy"), "{out}");
    let eval = read_json(&run.join("eval.json"));
    // The same weights on the same 24 test digits: the same numbers, bit for bit.
    assert_eq!(eval["test_metric"], result["test_metric"], "{eval}");
    assert_eq!(eval["test_loss"], result["test_loss"], "{eval}");
    assert_eq!(eval["samples"], 24);
    assert!(eval["checkpoint"]
        .as_str()
        .unwrap()
        .ends_with("best.safetensors"));
    // Per-class accuracies weighted by their samples give the accuracy.
    let per_class = eval["per_class"].as_array().unwrap();
    assert_eq!(per_class.len(), 10);
    let (samples, correct) = per_class.iter().fold((0.0, 0.0), |(s, c), k| {
        let n = k["samples"].as_f64().unwrap();
        (s + n, c + n * k["accuracy"].as_f64().unwrap())
    });
    assert_eq!(samples, 24.0);
    let accuracy = result["test_metric"].as_f64().unwrap();
    assert!(
        (correct / samples - accuracy).abs() < 1e-12,
        "{correct} / {samples}"
    );
    // Other data of the same kind is tested whole; the last epoch's weights on request.
    gm_ok(&args(&[
        "--device",
        "cpu",
        "eval",
        &path_arg(run),
        "--data",
        &path_arg(data),
        "--checkpoint",
        "last",
    ]));
    let eval = read_json(&run.join("eval.json"));
    assert_eq!(eval["samples"], 40);
    assert!(eval["checkpoint"]
        .as_str()
        .unwrap()
        .ends_with("epoch-0002.safetensors"));
    assert_eq!(
        std::fs::read(run.join("result.json")).unwrap(),
        result_before
    );
    eprintln!("gm eval of the tiny run: {} s", eval["seconds"]);
}

#[test]
fn torchscript_export_runs_in_pytorch_with_the_rust_outputs() {
    let (_, run) = trained();
    let out_dir = tempfile::tempdir().unwrap();
    let module = out_dir.path().join("tiny.pt");
    let export = |out: &Path, extra: &[&str]| {
        let mut a = args(&["--device", "cpu", "export", &path_arg(run)]);
        a.extend(args(&[
            "--format",
            "torchscript",
            "--batch",
            "3",
            "--out",
            &path_arg(out),
        ]));
        a.extend(args(extra));
        a
    };
    let start = std::time::Instant::now();
    let printed = gm_ok(&export(&module, &[]));
    let seconds = start.elapsed().as_secs_f64();
    assert!(printed.contains("[3, 1, 12, 12]"), "{printed}");
    eprintln!(
        "gm export --format torchscript: {} bytes in {seconds:.2} s (process included)",
        std::fs::metadata(&module).unwrap().len()
    );
    let inputs: Vec<Tensor> = (0..3).map(|s| random_input(3, 100 + s)).collect();
    let wrong_batch = random_input(5, 7);
    let mut items: Vec<Value> = inputs
        .iter()
        .map(|x| json!({"shape": x.size(), "x": floats(x)}))
        .collect();
    items.push(json!({"shape": wrong_batch.size(), "x": floats(&wrong_batch)}));
    let inputs_file = out_dir.path().join("inputs.json");
    std::fs::write(&inputs_file, serde_json::to_vec(&items).unwrap()).unwrap();
    let outputs = python(
        "torchscript_outputs.py",
        &[path_arg(&module), path_arg(&inputs_file)],
    );
    let outputs = outputs.as_array().unwrap();
    for (x, y) in inputs.iter().zip(outputs) {
        assert_eq!(y["shape"], json!([3, 10]), "{y}");
        let expected = floats(&rust_outputs(run, x));
        let diff = max_diff(&json_floats(&y["y"]), &expected);
        eprintln!("TorchScript in PyTorch against Rust: max |Δ| = {diff:e}");
        assert!(diff <= 1e-5, "TorchScript against Rust: {diff:e}");
    }
    // The trace fixed the batch size: another one is refused, not answered wrongly.
    assert!(outputs[3].get("error").is_some(), "{}", outputs[3]);
    // An export is never overwritten without --force, nor a file of the run even with it.
    let e = gm_err(&export(&module, &[]));
    assert!(e.contains("exists: pass --force"), "{e}");
    gm_ok(&export(&module, &["--force"]));
    let a = export(&run.join("best.safetensors"), &["--force"]);
    let e = gm_err(&a);
    assert!(e.contains("is a file of the run"), "{e}");
}

#[test]
fn the_state_dict_export_loads_into_the_reference_classes_with_equal_logits() {
    let (_, run) = trained();
    let out_dir = tempfile::tempdir().unwrap();
    let state = out_dir.path().join("reference.safetensors");
    let start = std::time::Instant::now();
    let printed = gm_ok(&args(&[
        "--device",
        "cpu",
        "export",
        &path_arg(run),
        "--format",
        "state-dict",
        "--out",
        &path_arg(&state),
    ]));
    eprintln!(
        "gm export --format state-dict: {} bytes in {:.2} s (process included)",
        std::fs::metadata(&state).unwrap().len(),
        start.elapsed().as_secs_f64()
    );
    assert!(
        printed.contains("group: dihedral") && printed.contains("order: 6"),
        "{printed}"
    );
    let x = random_input(4, 11);
    let spec_file = out_dir.path().join("spec.json");
    std::fs::write(&spec_file, reference_spec(&x, 4, 0).to_string()).unwrap();
    let reference = python(
        "reference_gmcnn.py",
        &args(&["load", &path_arg(&state), &path_arg(&spec_file)]),
    );
    let diff = max_diff(
        &json_floats(&reference["logits"]),
        &floats(&rust_outputs(run, &x)),
    );
    eprintln!("reference classes with gm's weights against gm: max |Δ| = {diff:e}");
    assert!(
        diff <= 1e-5,
        "reference classes with gm's weights: {diff:e}"
    );
}

#[test]
fn a_reference_state_dict_imports_into_gm_with_equal_logits() {
    let (data, _) = trained();
    let tmp = tempfile::tempdir().unwrap();
    let x = random_input(4, 21);
    let spec_file = tmp.path().join("spec.json");
    std::fs::write(&spec_file, reference_spec(&x, 4, 5).to_string()).unwrap();
    let state = tmp.path().join("reference.pt");
    let reference = python(
        "reference_gmcnn.py",
        &args(&["make", &path_arg(&state), &path_arg(&spec_file)]),
    );
    let imported = tmp.path().join("imported");
    let import = |out: &Path| {
        let mut a = args(&[
            "import",
            &path_arg(&state),
            "--config",
            "rot-mnist-digits",
            "--out",
        ]);
        a.push(path_arg(out));
        a.extend(sets(data));
        a
    };
    let printed = gm_ok(&import(&imported));
    assert!(printed.contains("best.safetensors"), "{printed}");
    let diff = max_diff(
        &json_floats(&reference["logits"]),
        &floats(&rust_outputs(&imported, &x)),
    );
    eprintln!("gm with the reference's weights against the reference: max |Δ| = {diff:e}");
    assert!(diff <= 1e-5, "gm with the reference's weights: {diff:e}");
    // The imported run is a run: gm eval tests it on its data.
    gm_ok(&args(&["--device", "cpu", "eval", &path_arg(&imported)]));
    assert_eq!(read_json(&imported.join("eval.json"))["samples"], 40);
    // Importing again into it is refused.
    let e = gm_err(&import(&imported));
    assert!(e.contains("config.toml exists"), "{e}");
    // A state dict of another width names what does not fit, in the reference's names.
    std::fs::write(&spec_file, reference_spec(&x, 5, 5).to_string()).unwrap();
    python(
        "reference_gmcnn.py",
        &args(&["make", &path_arg(&state), &path_arg(&spec_file)]),
    );
    let e = gm_err(&import(&tmp.path().join("other")));
    assert!(e.contains("does not fit the model"), "{e}");
    assert!(
        e.contains("gm_layers.0.weight_coeff [4, 1, 36] in the model, [5, 1, 36]"),
        "{e}"
    );
    assert!(
        e.contains("fc1.weight [10, 4] in the model, [10, 5]"),
        "{e}"
    );
}

#[test]
fn bad_runs_checkpoints_data_and_models_get_typed_errors() {
    let (_, run) = trained();
    let tmp = tempfile::tempdir().unwrap();
    // A directory without a run.
    let e = gm_err(&args(&["--device", "cpu", "eval", &path_arg(tmp.path())]));
    assert!(e.contains("holds no run (no config.toml)"), "{e}");
    // A checkpoint with a parameter missing, one renamed and one of another shape.
    let mut named = Tensor::read_safetensors(run.join("best.safetensors")).unwrap();
    named.sort_by(|a, b| a.0.cmp(&b.0));
    let dropped = named.remove(0).0;
    let renamed = std::mem::replace(&mut named[0].0, "blocks.9.weight".into());
    let reshaped = named.last().unwrap().0.clone();
    let last = named.len() - 1;
    named[last].1 = Tensor::zeros([7], (Kind::Float, Device::Cpu));
    let bad = tmp.path().join("bad.safetensors");
    Tensor::write_safetensors(&named, &bad).unwrap();
    let e = gm_err(&args(&[
        "--device",
        "cpu",
        "eval",
        &path_arg(run),
        "--checkpoint",
        &path_arg(&bad),
    ]));
    assert!(
        e.contains("does not fit the model of the run's config"),
        "{e}"
    );
    assert!(e.contains(&format!("missing {dropped}, {renamed}")), "{e}");
    assert!(e.contains("not in the model blocks.9.weight"), "{e}");
    assert!(
        e.contains(&format!("mis-shaped {reshaped}")) && e.contains("[7] in the file"),
        "{e}"
    );
    // Data of the wrong kind: a directory without digits.
    let e = gm_err(&args(&[
        "--device",
        "cpu",
        "eval",
        &path_arg(run),
        "--data",
        &path_arg(tmp.path()),
    ]));
    assert!(e.contains("is not mnist 1×12×12 data"), "{e}");
    // A model the reference does not have.
    let p4_run = tmp.path().join("p4");
    std::fs::create_dir(&p4_run).unwrap();
    let overrides: Vec<Override> = MODEL_SETS.iter().map(|s| s.parse().unwrap()).collect();
    let p4 = load_experiment("rot-mnist-digits-p4", &overrides).unwrap();
    std::fs::write(p4_run.join("config.toml"), p4.to_toml()).unwrap();
    let e = gm_err(&args(&[
        "export",
        &path_arg(&p4_run),
        "--format",
        "state-dict",
    ]));
    assert!(
        e.contains("has no counterpart in the reference GM-CNN"),
        "{e}"
    );
}
