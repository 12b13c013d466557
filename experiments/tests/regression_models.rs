//! The regression models of the experiments: the plume configs train the reference's model
//! (13,356 parameters), its rank-r variant stays reachable as `plume-rotation-relaxed`,
//! JetFlow has one group per axis (D31 × C23), the keys are validated, and a resumed run of
//! the reference model (whose training passes project its weights in place) equals the
//! uninterrupted one bit for bit.
use gm_experiments::config::{
    load_experiment, overrides::Override, AxisGroup, RegressionModel, Symmetry, Task,
};
use gm_experiments::run::model::{describe, parameter_count};
use gm_experiments::symmetry::ImageGroup;
use gm_experiments::train::{checkpoint, fit, Rollout, TensorData, TrainSettings};
use gm_nn::model::{ReferenceRegression, ReferenceRegressionConfig};
use tch::nn::VarStore;
use tch::{Device, Kind, Tensor};

fn ov(s: &str) -> Override {
    s.parse().unwrap()
}

fn err(name: &str, sets: &[&str]) -> String {
    let sets: Vec<Override> = sets.iter().map(|s| ov(s)).collect();
    load_experiment(name, &sets).unwrap_err().to_string()
}

/// The reference model's count: `(in+1)·C + blocks·(C·K + C + n + 1) + (C+1)·out`.
fn reference_count(inputs: usize, c: usize, blocks: usize, k: usize, n: usize) -> usize {
    (inputs + 1) * c + blocks * (c * k + c + n + 1) + (c + 1) * 2
}

#[test]
fn the_plume_configs_train_the_reference_model() {
    assert_eq!(reference_count(20, 120, 2, 9, 4096), 13_356);
    for name in ["plume-translation", "plume-rotation", "plume-scale"] {
        let c = load_experiment(name, &[]).unwrap();
        assert_eq!(c.task, Task::Regression, "{name}");
        let m = &c.model;
        assert_eq!(m.regression_model, RegressionModel::Reference, "{name}");
        assert_eq!((m.channels, m.blocks, m.t), (120, 2, 1), "{name}");
        assert_eq!(m.per_axis_groups(), [AxisGroup::Cyclic; 2], "{name}");
        assert_eq!(c.train.batch_size, 32, "{name}");
        assert_eq!(parameter_count(&c).unwrap(), 13_356, "{name}");
        assert!(describe(&c).contains("error-vector"), "{}", describe(&c));
    }
    // The width of the reference runner's checkpoint names.
    let wide = load_experiment(
        "plume-rotation",
        &[ov("model.channels=128"), ov("model.blocks=4")],
    )
    .unwrap();
    assert_eq!(parameter_count(&wide).unwrap(), 24_454);
}

#[test]
fn the_rank_r_model_is_the_relaxed_variant() {
    let c = load_experiment("plume-rotation-relaxed", &[]).unwrap();
    let m = &c.model;
    assert_eq!(m.regression_model, RegressionModel::RelaxedRank);
    assert_eq!((m.channels, m.blocks, m.relaxed_rank), (64, 4, 1));
    assert_eq!(c.train.batch_size, 16);
    assert_eq!(
        c.data.dataset,
        load_experiment("plume-rotation", &[]).unwrap().data.dataset
    );
    // 1×1 convolutions, then per block: kernel f, bias, kernel u_1 and one position vector
    // v_1 ∈ ℝ⁴⁰⁹⁶ per output channel; one shared PReLU parameter.
    let per_block = 64 * 9 + 64 + 64 * 9 + 64 * 4096;
    assert_eq!(
        parameter_count(&c).unwrap(),
        21 * 64 + 4 * per_block + 1 + 65 * 2
    );
    assert!(describe(&c).contains("relaxed r=1"), "{}", describe(&c));
    // The key is optional: a config without it (written before it existed) keeps the rank-r
    // model, and serialising leaves it out.
    assert!(!c.to_toml().contains("regression_model"));
    assert!(load_experiment("plume-rotation", &[])
        .unwrap()
        .to_toml()
        .contains("regression_model = \"reference\""));
}

#[test]
fn jetflow_has_one_group_per_axis_d31_by_c23() {
    let c = load_experiment("jetflow", &[]).unwrap();
    let m = &c.model;
    assert_eq!(
        m.axis_groups,
        Some([AxisGroup::Dihedral, AxisGroup::Cyclic])
    );
    assert_eq!(
        m.per_axis_groups(),
        [AxisGroup::Dihedral, AxisGroup::Cyclic]
    );
    assert_eq!(m.support_size(), 6 * 3);
    let (_, h, w) = c.data.dataset.native_shape();
    let g = ImageGroup::of(m, h, w).unwrap();
    assert_eq!((g.spec(), g.order()), ("D31xC23".to_string(), 62 * 23));
    assert_eq!(
        parameter_count(&c).unwrap(),
        reference_count(20, 120, 2, 18, 62 * 23)
    );
    assert!(describe(&c).contains("dihedral×cyclic"), "{}", describe(&c));
    // `axis_groups` overrides `axis_group`; one group on both axes is still the default.
    let same = load_experiment(
        "jetflow",
        &[ov("model.axis_groups=[\"cyclic\", \"cyclic\"]")],
    )
    .unwrap();
    assert_eq!(same.model.support_size(), 9);
    assert!(
        describe(&same).contains("axis-product/cyclic "),
        "{}",
        describe(&same)
    );
    // A classifier can name one group per axis too.
    let rot = load_experiment(
        "rot-mnist",
        &[ov("model.axis_groups=[\"dihedral\", \"cyclic\"]")],
    )
    .unwrap();
    assert_eq!(rot.model.support_size(), 14 * 7);
    assert_eq!(rot.model.symmetry, Symmetry::AxisProduct);
}

#[test]
fn per_axis_groups_are_validated() {
    // Dihedral needs an even side on its own axis: 23 columns are odd.
    let e = err("jetflow", &["model.axis_groups=[\"cyclic\", \"dihedral\"]"]);
    assert!(
        e.contains("model.axis_groups") && e.contains("even") && e.contains("23"),
        "{e}"
    );
    let e = err(
        "jetflow",
        &["model.axis_groups=[\"dihedral\", \"cyclic\", \"cyclic\"]"],
    );
    assert!(e.contains("model.axis_groups"), "{e}");
    let e = err(
        "jetflow",
        &["model.axis_groups=[\"dihedral\", \"octahedral\"]"],
    );
    assert!(
        e.contains("model.axis_groups") && e.contains("cyclic"),
        "{e}"
    );
    let e = err(
        "rot-mnist-p4",
        &["model.axis_groups=[\"dihedral\", \"cyclic\"]"],
    );
    assert!(e.contains("model.axis_groups") && e.contains("p4"), "{e}");
    // The radius must fit the smaller axis group: D31 has 31 rotations, C23 23 elements.
    let e = err("jetflow", &["model.t=12"]);
    assert!(e.contains("model.t") && e.contains("23"), "{e}");
    assert!(load_experiment("jetflow", &[ov("model.t=11")]).is_ok());
}

#[test]
fn the_regression_model_key_is_validated() {
    let e = err("plume-rotation", &["model.relaxed_rank=1"]);
    assert!(
        e.contains("model.relaxed_rank")
            && e.contains("relaxed-rank")
            && e.contains("error vector"),
        "{e}"
    );
    let e = err("rot-mnist", &["model.regression_model=reference"]);
    assert!(
        e.contains("model.regression_model") && e.contains("regression"),
        "{e}"
    );
    let e = err("plume-rotation", &["model.regression_model=relaxed"]);
    assert!(
        e.contains("model.regression_model")
            && e.contains("reference")
            && e.contains("relaxed-rank"),
        "{e}"
    );
    let ok = load_experiment(
        "plume-rotation",
        &[
            ov("model.regression_model=relaxed-rank"),
            ov("model.relaxed_rank=2"),
        ],
    )
    .unwrap();
    assert_eq!(ok.model.regression_model, RegressionModel::RelaxedRank);
}

/// `n` random windows of 2 input frames (4 channels) and 2 target frames on a 6×6 grid.
fn windows(n: i64, seed: i64) -> TensorData {
    tch::manual_seed(seed);
    let opts = (Kind::Float, Device::Cpu);
    TensorData::new(
        Tensor::randn([n, 4, 6, 6], opts),
        Tensor::randn([n, 2, 2, 6, 6], opts) * 0.5,
    )
    .unwrap()
}

#[test]
fn a_resumed_reference_run_equals_the_uninterrupted_one_bit_for_bit() {
    tch::set_num_threads(1);
    let (train, val) = (windows(24, 1), windows(8, 2));
    let config = ReferenceRegressionConfig {
        group: gm_algebra::group::parse_group("C6xC6").unwrap(),
        in_channels: 4,
        hidden: 3,
        ..Default::default()
    };
    // Every session starts from the same initial weights, copied (not redrawn: tests share
    // libtorch's generator).
    let initial = VarStore::new(Device::Cpu);
    let _ = ReferenceRegression::new(initial.root(), &config).unwrap();
    let fresh = || {
        let mut vs = VarStore::new(Device::Cpu);
        let model = ReferenceRegression::new(vs.root(), &config).unwrap();
        vs.copy(&initial).unwrap();
        (vs, model)
    };
    let settings = |epochs: usize, resume: bool| TrainSettings {
        epochs,
        batch_size: 8,
        lr: 1e-2,
        weight_decay: 0.0153,
        plateau_factor: 0.7,
        plateau_patience: 5,
        early_stopping_patience: 20,
        precision: gm_experiments::config::Precision::Fp32,
        seed: 42,
        progress: false,
        resume,
        evaluate: gm_experiments::config::EvaluateWeights::LastEpoch,
    };
    let dir = tempfile::tempdir().unwrap();
    let whole = dir.path().join("whole");
    let (mut vs, model) = fresh();
    let a = fit(
        &model,
        &mut vs,
        &Rollout,
        &train,
        &val,
        &settings(4, false),
        &whole,
    )
    .unwrap();
    let parts = dir.path().join("parts");
    let (mut vs1, model1) = fresh();
    fit(
        &model1,
        &mut vs1,
        &Rollout,
        &train,
        &val,
        &settings(2, false),
        &parts,
    )
    .unwrap();
    let (mut vs2, model2) = fresh();
    let b = fit(
        &model2,
        &mut vs2,
        &Rollout,
        &train,
        &val,
        &settings(4, true),
        &parts,
    )
    .unwrap();

    let losses = |s: &gm_experiments::train::FitSummary| -> Vec<(f64, f64, f64)> {
        s.history
            .iter()
            .map(|m| (m.train_loss, m.val_loss, m.val_metric))
            .collect()
    };
    assert_eq!(losses(&a), losses(&b));
    let read = |p: std::path::PathBuf| -> std::collections::BTreeMap<String, Tensor> {
        Tensor::read_safetensors(p).unwrap().into_iter().collect()
    };
    let name = "epoch-0004.safetensors";
    let (ta, tb) = (read(whole.join(name)), read(parts.join(name)));
    assert!(ta.contains_key("blocks.1.error"));
    assert_eq!(ta.keys().collect::<Vec<_>>(), tb.keys().collect::<Vec<_>>());
    for (key, t) in &ta {
        assert!(t.equal(&tb[key]), "{key} differs after resuming");
    }
    // The run trained: the weights moved off their initial values.
    let start = initial.variables();
    assert!(!ta["blocks.0.error"].equal(&start["blocks.0.error"]));
    assert!(checkpoint::load_state(&parts).unwrap().is_some());
}

#[test]
fn every_regression_model_builds_and_is_counted() {
    for model in RegressionModel::ALL {
        // The p4 model lives on p4; the others on the pixel grid's group.
        let symmetry = match model {
            RegressionModel::P4Field => "p4",
            _ => "axis-product",
        };
        let c = load_experiment(
            "plume-rotation",
            &[
                ov(&format!("model.regression_model={model}")),
                ov(&format!("model.symmetry={symmetry}")),
                ov("model.relaxed_rank=0"),
                ov("model.channels=8"),
            ],
        )
        .unwrap();
        assert_eq!(c.model.regression_model, model);
        let n = parameter_count(&c).unwrap_or_else(|e| panic!("{model}: {e}"));
        assert!(n > 8 * 9, "{model}: {n}");
    }
    for baseline in gm_experiments::config::FieldBaseline::ALL {
        let c = load_experiment(
            "plume-rotation-baseline",
            &[
                ov(&format!("model.baseline={baseline}")),
                ov("model.channels=4"),
                ov("model.blocks=4"),
            ],
        )
        .unwrap();
        let n = parameter_count(&c).unwrap_or_else(|e| panic!("{baseline}: {e}"));
        assert!(n > 4 * 9, "{baseline}: {n}");
    }
}

#[test]
fn field_baseline_and_p4_field_keys_are_validated() {
    let c = load_experiment("plume-rotation-baseline", &[]).unwrap();
    assert_eq!(
        c.model.baseline,
        Some(gm_experiments::config::FieldBaseline::RSteer)
    );
    assert_eq!(
        (c.model.channels, c.model.blocks, c.model.alpha),
        (92, 5, Some(1e-5))
    );
    let e = err("plume-rotation-baseline", &["model.banks=0"]);
    assert!(e.contains("model.banks"), "{e}");
    let e = err("plume-rotation-baseline", &["model.alpha=-1.0"]);
    assert!(e.contains("model.alpha"), "{e}");
    let e = err("plume-rotation-baseline", &["model.blocks=1"]);
    assert!(e.contains("model.blocks"), "{e}");
    let e = err("plume-rotation-baseline", &["model.baseline=e2cnn"]);
    assert!(e.contains("e2cnn"), "{e}");
    // A GM model takes none of the baseline keys; a classifier cannot be a field baseline.
    let e = err("plume-rotation", &["model.baseline=equiv"]);
    assert!(
        e.contains("model.baseline") && e.contains("field-baseline"),
        "{e}"
    );
    let e = err("rot-mnist", &["model.kind=field-baseline"]);
    assert!(e.contains("regression experiments only"), "{e}");
    // JetFlow's 62 × 23 grid cannot be turned by quarter turns.
    let e = err(
        "jetflow",
        &["model.kind=field-baseline", "model.baseline=r-group"],
    );
    assert!(e.contains("square"), "{e}");
    let translation = [
        ov("model.kind=field-baseline"),
        ov("model.baseline=r-group-translation"),
    ];
    assert!(load_experiment("jetflow", &translation).is_ok());
    // p4-field is the exact GM model on p4.
    let p4 = load_experiment("plume-rotation-p4", &[]).unwrap();
    assert_eq!(p4.model.regression_model, RegressionModel::P4Field);
    let e = err("plume-rotation-p4", &["model.symmetry=axis-product"]);
    assert!(e.contains("p4-field"), "{e}");
    let e = err("plume-rotation-p4", &["model.relaxed_rank=1"]);
    assert!(e.contains("p4-field"), "{e}");
}
