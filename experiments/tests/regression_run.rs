//! `gm run` on a regression experiment, end to end through the binary: trajectories written
//! in the loader's real format (`sim_NNN.npy`, float32 `[T, 2, 64, 64]`), one epoch of the GM
//! regression model on the CPU, `result.json` with both RMSEs, the sample rollout file, the
//! report table, and the messages for missing or too short data.
use gm_experiments::data::{npy, plume};
use std::path::Path;
use std::process::{Command, Output};
use tch::Tensor;

const FRAMES: usize = 12;

/// `sims` smooth travelling waves of `FRAMES` frames of `h × w` (a different speed per
/// simulation), written as `name(s)`.
fn write_waves(dir: &Path, sims: usize, (h, w): (usize, usize), name: impl Fn(usize) -> String) {
    for s in 0..sims {
        let mut data = Vec::with_capacity(FRAMES * 2 * h * w);
        for t in 0..FRAMES {
            for c in 0..2 {
                for y in 0..h {
                    for x in 0..w {
                        let phase = (x + 2 * y + (s + 1) * t + 7 * c) as f32;
                        data.push(0.5 * (phase * std::f32::consts::TAU / 64.0).sin());
                    }
                }
            }
        }
        npy::write_f32(&dir.join(name(s)), &[FRAMES, 2, h, w], &data).unwrap();
    }
}

fn write_plumes(dir: &Path, sims: usize) {
    write_waves(dir, sims, (64, 64), plume::sim_file);
}

fn gm(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_gm"))
        .args(["--device", "cpu"])
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

/// A tiny model and a protocol for 12-frame trajectories: 2 input frames read from frame
/// `t` (`mid` = 2), windows train [0, 3), validation [3, 5), future [5, 7) of simulations 0
/// and 1, domain [0, 3) of simulation 2; the configured 20-step test
/// rollout does not fit, so 12 − 2 − 5 = 5 steps are tested.
const TINY: [&str; 15] = [
    "model.channels=4",
    "model.blocks=1",
    "train.epochs=1",
    "train.batch_size=4",
    "train.precision=fp32",
    "regression.input_frames=2",
    "regression.train_rollout=2",
    "regression.train_end=3",
    "regression.val_end=5",
    "regression.future_end=7",
    "regression.domain_end=3",
    "regression.mid=2",
    "regression.train_sims=[0, 1]",
    "regression.domain_sims=[2]",
    "seed=7",
];

fn run_args<'a>(data: &'a str, out: &'a str, sets: &'a [String]) -> Vec<&'a str> {
    exp_args("plume-rotation", data, out, sets)
}

fn exp_args<'a>(exp: &'a str, data: &'a str, out: &'a str, sets: &'a [String]) -> Vec<&'a str> {
    let mut args = vec!["run", exp, "--out", out, "--set", data];
    for s in sets {
        args.extend(["--set", s.as_str()]);
    }
    args
}

#[test]
fn regression_run_trains_tests_and_writes_the_rollout_fields() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("plume-rotation");
    write_plumes(&data, 3);
    let out = tmp.path().join("run");
    let data_set = format!("data.dir={}", data.display());
    // The rank-r model with exact layers (no relaxation): the trained model must commute
    // with the pixel shifts.
    let sets: Vec<String> = TINY
        .iter()
        .map(|s| s.to_string())
        .chain([
            "model.regression_model=relaxed-rank".to_string(),
            "model.relaxed_rank=0".to_string(),
        ])
        .collect();
    let o = gm(&run_args(&data_set, out.to_str().unwrap(), &sets));
    let log = text(&o);
    assert!(o.status.success(), "{log}");
    assert!(log.contains("testing 5-step rollouts"), "{log}");
    assert!(log.contains("shortened from 20"), "{log}");

    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("result.json")).unwrap()).unwrap();
    let r = &json["regression"];
    for key in [
        "rmse_future",
        "rmse_domain",
        "mse_future",
        "mse_domain",
        "rmse_future_persistence",
        "rmse_domain_persistence",
    ] {
        let v = r[key].as_f64().unwrap_or(f64::NAN);
        assert!(v.is_finite() && v >= 0.0, "{key} = {v}: {json}");
    }
    // The one-step equivariance under the pixel group, measured on the domain test windows:
    // cyclic shifts commute with every layer, so only float rounding remains.
    let eq = &json["invariance"];
    assert_eq!(eq["group"], "C64xC64", "{json}");
    let e = eq["error"].as_f64().unwrap_or(f64::NAN);
    assert!(
        e < 1e-5,
        "equivariance error {e} of an exactly equivariant model"
    );
    assert!(log.contains("one-step equivariance error"), "{log}");
    assert_eq!(json["metric"], "rmse");
    assert_eq!(json["test_metric"], r["rmse_future"]);
    assert_eq!(json["epochs"], 1);
    assert!(json["parameters"].as_u64().unwrap() > 0);
    assert!(json["seconds_per_epoch"].as_f64().unwrap() > 0.0);
    assert_eq!(
        (
            r["test_rollout"].as_u64(),
            r["configured_test_rollout"].as_u64()
        ),
        (Some(5), Some(20))
    );
    let w = &r["windows"];
    assert_eq!(
        [&w["train"], &w["val"], &w["test_future"], &w["test_domain"]].map(|v| v.as_u64()),
        [Some(6), Some(4), Some(2), Some(3)]
    );
    assert_eq!(
        (r["simulations"].as_u64(), r["held_out"].as_u64()),
        (Some(3), Some(1))
    );

    let fields = Tensor::read_safetensors(out.join("rollout_fields.safetensors")).unwrap();
    let mut names: Vec<&str> = fields.iter().map(|(n, _)| n.as_str()).collect();
    names.sort();
    assert_eq!(names, ["predicted", "true"]);
    for (name, t) in &fields {
        assert_eq!(t.size(), [5, 2, 64, 64], "{name}");
        assert_eq!(t.kind(), tch::Kind::Float, "{name}");
    }
    // "true" is the held-out simulation (sim_002) from frame 2 on.
    let truth = &fields.iter().find(|(n, _)| n == "true").unwrap().1;
    let expected = npy::read_f32(&data.join(plume::sim_file(2))).unwrap();
    let f = 2 * 64 * 64;
    let got: Vec<f32> = Vec::try_from(truth.flatten(0, -1)).unwrap();
    assert_eq!(got, expected.data[2 * f..7 * f]);

    // `gm report` reads the new result.json and one written before the regression fields.
    let old = tmp.path().join("old");
    std::fs::create_dir_all(&old).unwrap();
    std::fs::write(
        old.join("result.json"),
        r#"{"experiment": "mnist", "model": "cnn 2x4 ch", "parameters": 10, "metric": "accuracy",
            "test_metric": 0.5, "test_loss": 1.0, "epochs": 1, "best_epoch": 1,
            "train_seconds": 2.0, "device": "cpu", "quick": true}"#,
    )
    .unwrap();
    // Written into the temporary directory (the table and its figures), not the cwd.
    let report = tmp.path().join("report.md");
    let o = gm(&[
        "report",
        out.to_str().unwrap(),
        old.to_str().unwrap(),
        "--out",
        report.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", text(&o));
    let md = std::fs::read_to_string(&report).unwrap();
    assert!(md.contains("| rmse future / domain (5 steps) |"), "{md}");
    assert!(md.contains("| accuracy | 0.5000 |"), "{md}");
}

#[test]
fn the_reference_model_runs_and_reports_its_parameter_count() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("plume-rotation");
    write_plumes(&data, 3);
    let out = tmp.path().join("run");
    let data_set = format!("data.dir={}", data.display());
    // plume-rotation trains the reference's model by default.
    let sets: Vec<String> = TINY.iter().map(|s| s.to_string()).collect();
    let o = gm(&run_args(&data_set, out.to_str().unwrap(), &sets));
    let log = text(&o);
    assert!(o.status.success(), "{log}");
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("result.json")).unwrap()).unwrap();
    // 2 input frames (4 channels) → 4 hidden channels, one block on C64xC64 (K = 9,
    // n = 4,096, one error vector), → 2 channels.
    let parameters = (4 + 1) * 4 + (4 * 9 + 4 + 4096 + 1) + (4 + 1) * 2;
    assert_eq!(json["parameters"].as_u64(), Some(parameters), "{json}");
    assert!(log.contains(&format!("({parameters} parameters)")), "{log}");
    let model = json["model"].as_str().unwrap();
    assert!(
        model.contains("error-vector") && model.contains("1x4 ch"),
        "{model}"
    );
    let r = &json["regression"];
    for key in ["rmse_future", "rmse_domain"] {
        let v = r[key].as_f64().unwrap_or(f64::NAN);
        assert!(v.is_finite() && v >= 0.0, "{key} = {v}: {json}");
    }
    // Its error vectors are random unit vectors: measurably not equivariant.
    let e = json["invariance"]["error"].as_f64().unwrap_or(f64::NAN);
    assert!(e.is_finite() && e > 1e-4, "equivariance error {e}");
}

#[test]
fn regression_run_names_missing_and_too_short_data() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("plume-rotation");
    let data_set = format!("data.dir={}", data.display());
    let out = tmp.path().join("run");
    let o = gm(&run_args(&data_set, out.to_str().unwrap(), &[]));
    let m = text(&o);
    assert!(!o.status.success());
    assert!(m.contains("sim_000.npy"), "{m}");
    assert!(
        m.contains(&format!(
            "gm data plume --kind rotation --out {}",
            tmp.path().display()
        )),
        "{m}"
    );

    // 12 frames cannot hold the reference windows (train_end = 160): the message suggests
    // windows that fit.
    write_plumes(&data, 3);
    let sets = vec![
        "regression.train_sims=[0, 1]".to_string(),
        "regression.domain_sims=[2]".to_string(),
        "regression.mid=2".to_string(),
        "regression.input_frames=2".to_string(),
    ];
    let o = gm(&run_args(&data_set, out.to_str().unwrap(), &sets));
    let m = text(&o);
    assert!(!o.status.success());
    assert!(m.contains("too short"), "{m}");
    assert!(
        m.contains("--set regression.train_end=4 --set regression.val_end=5"),
        "{m}"
    );
}

#[test]
fn jetflow_runs_on_its_62_by_23_grid() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("jetflow");
    write_waves(&data, 3, (62, 23), |s| format!("seq_{s}.npy"));
    let out = tmp.path().join("run");
    let data_set = format!("data.dir={}", data.display());
    let sets: Vec<String> = TINY.iter().map(|s| s.to_string()).collect();
    let o = gm(&exp_args(
        "jetflow",
        &data_set,
        out.to_str().unwrap(),
        &sets,
    ));
    assert!(o.status.success(), "{}", text(&o));
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("result.json")).unwrap()).unwrap();
    assert!(
        json["regression"]["rmse_domain"]
            .as_f64()
            .unwrap()
            .is_finite(),
        "{json}"
    );
    let fields = Tensor::read_safetensors(out.join("rollout_fields.safetensors")).unwrap();
    for (name, t) in &fields {
        assert_eq!(t.size(), [5, 2, 62, 23], "{name}");
    }
}

/// Every model on velocity fields runs through `gm run` (the baselines of Wang et al. and the
/// GM model on p4), reports its parameters and its equivariance error under quarter turns of
/// the plume, which is float rounding for the exactly equivariant ones and not for the CNN.
#[test]
fn every_field_model_runs_and_reports_its_rotation_equivariance() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("plume-rotation");
    write_plumes(&data, 3);
    let data_set = format!("data.dir={}", data.display());
    let baselines = [
        "conv-net", "mlp", "equiv", "rpp", "lift", "r-group", "r-steer",
    ];
    let runs = baselines
        .iter()
        .map(|b| ("plume-rotation-baseline", Some(*b)))
        .chain([("plume-rotation-p4", None)]);
    for (experiment, baseline) in runs {
        let name = baseline.unwrap_or("p4-field");
        let out = tmp.path().join(name);
        let sets: Vec<String> = TINY
            .iter()
            .map(|s| s.to_string())
            // Lift needs 4 layers and a width divisible by 4; p4-field's blocks are residual.
            .chain(["model.channels=4".into()])
            .chain([format!(
                "model.blocks={}",
                if baseline.is_some() { 4 } else { 1 }
            )])
            .chain(baseline.map(|b| format!("model.baseline={b}")))
            .collect();
        let o = gm(&exp_args(
            experiment,
            &data_set,
            out.to_str().unwrap(),
            &sets,
        ));
        assert!(o.status.success(), "{name}: {}", text(&o));
        let json: serde_json::Value =
            serde_json::from_slice(&std::fs::read(out.join("result.json")).unwrap()).unwrap();
        assert!(json["parameters"].as_u64().unwrap() > 0, "{name}: {json}");
        let r = &json["regression"];
        assert!(
            r["rmse_domain"].as_f64().unwrap().is_finite(),
            "{name}: {json}"
        );
        let turns = &r["rotation_equivariance"];
        assert_eq!(turns["group"], "C4 on vector fields", "{name}: {json}");
        let e = turns["error"].as_f64().unwrap();
        match name {
            "equiv" | "p4-field" => assert!(e < 1e-4, "{name}: {e}"),
            "conv-net" | "mlp" => assert!(e > 1e-3, "{name}: {e}"),
            _ => assert!(e.is_finite(), "{name}: {e}"),
        }
    }
}

/// `gm eval` of a regression run rolls the tested weights out over the same test windows:
/// the RMSEs of `result.json` again (the GM layers time their backends anew, and the
/// backends agree to float rounding), in `eval.json`.
#[test]
fn eval_of_a_regression_run_reproduces_its_rollout_rmses() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("plume-rotation");
    write_plumes(&data, 3);
    let out = tmp.path().join("run");
    let data_set = format!("data.dir={}", data.display());
    let sets: Vec<String> = TINY.iter().map(|s| s.to_string()).collect();
    let o = gm(&run_args(&data_set, out.to_str().unwrap(), &sets));
    assert!(o.status.success(), "{}", text(&o));
    let o = gm(&["eval", out.to_str().unwrap()]);
    let log = text(&o);
    assert!(o.status.success(), "{log}");
    assert!(log.contains("5-step rollout RMSE"), "{log}");
    let read = |name: &str| -> serde_json::Value {
        serde_json::from_slice(&std::fs::read(out.join(name)).unwrap()).unwrap()
    };
    let (result, eval) = (read("result.json"), read("eval.json"));
    for (key, tested) in [
        ("rmse_future", &result["regression"]["rmse_future"]),
        ("rmse_domain", &result["regression"]["rmse_domain"]),
    ] {
        let (a, b) = (
            eval["rollout"][key].as_f64().unwrap(),
            tested.as_f64().unwrap(),
        );
        assert!((a - b).abs() <= 1e-5 * b.abs(), "{key}: eval {a}, run {b}");
    }
    assert_eq!(eval["rollout"]["test_rollout"], 5);
    assert_eq!(eval["metric"], "rmse");
}
