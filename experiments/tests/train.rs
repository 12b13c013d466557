//! The trainer end to end on a tiny synthetic task with the plain CNN baseline: learning,
//! checkpoints, an interrupted-then-resumed run, and the NaN guard.
use gm_experiments::baseline::PlainCnn;
use gm_experiments::config::EvaluateWeights;
use gm_experiments::train::{
    checkpoint, fit, metrics_log, parameter_count, Classification, TensorData, TrainError,
    TrainSettings,
};
use rand::{Rng, SeedableRng};
use std::path::Path;
use tch::nn::{ModuleT, VarStore};
use tch::{Device, Tensor};

/// Horizontal (label 0) or vertical (label 1) bars of length 3 at random places on 8×8.
fn bars(n: usize, seed: u64) -> TensorData {
    bars_labelled(n, seed, false)
}

/// [`bars`], with the labels swapped when `swapped` (a validation set that training on
/// [`bars`] makes worse at every epoch).
fn bars_labelled(n: usize, seed: u64, swapped: bool) -> TensorData {
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(seed);
    let mut images = vec![0.0f32; n * 64];
    let mut labels = Vec::with_capacity(n);
    for i in 0..n {
        let label = i % 2;
        let (r, c) = (rng.random_range(0..6), rng.random_range(0..6));
        for k in 0..3 {
            let (y, x) = if label == 0 { (r, c + k) } else { (r + k, c) };
            images[i * 64 + y * 8 + x] = 1.0;
        }
        labels.push((label ^ usize::from(swapped)) as i64);
    }
    let x = Tensor::from_slice(&images).view([n as i64, 1, 8, 8]);
    TensorData::new(x, Tensor::from_slice(&labels)).unwrap()
}

/// libtorch's random generator is global to the process and tests run on parallel threads:
/// the tests that train (initialisation, dropout) hold this lock so their draws stay theirs.
static TORCH_RNG: std::sync::Mutex<()> = std::sync::Mutex::new(());

fn torch_rng() -> std::sync::MutexGuard<'static, ()> {
    TORCH_RNG.lock().unwrap_or_else(|e| e.into_inner())
}

fn settings(epochs: usize, resume: bool) -> TrainSettings {
    TrainSettings {
        epochs,
        batch_size: 32,
        lr: 1e-2,
        weight_decay: 0.0153,
        plateau_factor: 0.7,
        plateau_patience: 5,
        early_stopping_patience: 20,
        precision: gm_experiments::config::Precision::Fp16,
        seed: 42,
        progress: false,
        resume,
        evaluate: EvaluateWeights::BestValidation,
    }
}

fn model(vs: &VarStore) -> PlainCnn {
    PlainCnn::new(&vs.root(), 1, 8, 2, 0.1, 2)
}

fn files(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

#[test]
fn learns_checkpoints_and_resumes_after_an_interruption() {
    let _rng = torch_rng();
    tch::manual_seed(42);
    tch::set_num_threads(1);
    let (train, val) = bars(256, 1).split(0.2, 42).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let run = dir.path().join("run");

    // First session: "interrupted" after 3 of 6 epochs (nothing of epoch 4 was saved).
    let mut vs = VarStore::new(Device::Cpu);
    let net = model(&vs);
    // Two 3×3 convolutions with biases, two batch norms (scale and shift), the head.
    assert_eq!(
        parameter_count(&vs),
        (9 + 1) * 8 + (72 + 1) * 8 + 2 * (2 * 8) + 8 * 2 + 2
    );
    let first = fit(
        &net,
        &mut vs,
        &Classification,
        &train,
        &val,
        &settings(3, false),
        &run,
    )
    .unwrap();
    assert_eq!(first.history.len(), 3);
    assert_eq!(
        files(&run),
        [
            "best.safetensors",
            "epoch-0003.safetensors",
            "metrics.jsonl",
            "state.json"
        ]
    );
    // A crash during epoch 4 could leave a partial metrics line and a temporary file.
    std::fs::write(run.join("epoch-0004.tmp.safetensors"), b"partial").unwrap();
    let mut log = std::fs::read_to_string(run.join(metrics_log::FILE)).unwrap();
    log.push_str("{\"epoch\": 4, \"train_lo");
    std::fs::write(run.join(metrics_log::FILE), log).unwrap();

    // Without --resume the run directory is protected.
    let mut vs2 = VarStore::new(Device::Cpu);
    let net2 = model(&vs2);
    let e = fit(
        &net2,
        &mut vs2,
        &Classification,
        &train,
        &val,
        &settings(6, false),
        &run,
    );
    assert!(e.unwrap_err().to_string().contains("--resume"));

    // Second session, a fresh process in effect: new var store, resumed from disk.
    let resumed = fit(
        &net2,
        &mut vs2,
        &Classification,
        &train,
        &val,
        &settings(6, true),
        &run,
    )
    .unwrap();
    let epochs: Vec<usize> = resumed.history.iter().map(|m| m.epoch).collect();
    assert_eq!(epochs, vec![1, 2, 3, 4, 5, 6]);
    assert_eq!(
        &resumed.history[..3],
        &first.history[..],
        "earlier epochs are kept, not redone"
    );
    let logged: Vec<usize> = metrics_log::read(&run)
        .unwrap()
        .iter()
        .map(|m| m.epoch)
        .collect();
    assert_eq!(logged, epochs);
    assert_eq!(checkpoint::load_state(&run).unwrap().unwrap().epoch, 6);
    let last = resumed.history.last().unwrap();
    assert!(
        last.val_metric >= 0.9,
        "validation accuracy {}",
        last.val_metric
    );
    assert!(last.train_loss < first.history[0].train_loss);
    assert!(files(&run).contains(&"epoch-0006.safetensors".to_string()));
    assert!(!files(&run).contains(&"epoch-0003.safetensors".to_string()));
}

/// Every tensor of a checkpoint file (weights and optimiser state), by name.
fn checkpoint_tensors(path: &Path) -> std::collections::BTreeMap<String, Tensor> {
    Tensor::read_safetensors(path)
        .unwrap()
        .into_iter()
        .collect()
}

#[test]
fn a_resumed_run_equals_the_uninterrupted_one_bit_for_bit() {
    let _rng = torch_rng();
    tch::set_num_threads(1);
    let (train, val) = bars(160, 3).split(0.2, 42).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let fresh = |seed: i64| {
        tch::manual_seed(seed);
        let vs = VarStore::new(Device::Cpu);
        let net = model(&vs);
        (vs, net)
    };

    // Uninterrupted: 4 epochs.
    let whole = dir.path().join("whole");
    let (mut vs, net) = fresh(5);
    let a = fit(
        &net,
        &mut vs,
        &Classification,
        &train,
        &val,
        &settings(4, false),
        &whole,
    )
    .unwrap();

    // Interrupted after 2 epochs, resumed in a fresh var store (a new process in effect;
    // libtorch's generator is left somewhere else on purpose) up to 4.
    let parts = dir.path().join("parts");
    let (mut vs1, net1) = fresh(5);
    fit(
        &net1,
        &mut vs1,
        &Classification,
        &train,
        &val,
        &settings(2, false),
        &parts,
    )
    .unwrap();
    let (mut vs2, net2) = fresh(999);
    let b = fit(
        &net2,
        &mut vs2,
        &Classification,
        &train,
        &val,
        &settings(4, true),
        &parts,
    )
    .unwrap();

    let losses = |s: &gm_experiments::train::FitSummary| -> Vec<(f64, f64, f64, f64, f64)> {
        s.history
            .iter()
            .map(|m| (m.train_loss, m.train_metric, m.val_loss, m.val_metric, m.lr))
            .collect()
    };
    assert_eq!(losses(&a), losses(&b));
    let (ta, tb) = (
        checkpoint_tensors(&whole.join("epoch-0004.safetensors")),
        checkpoint_tensors(&parts.join("epoch-0004.safetensors")),
    );
    assert_eq!(ta.keys().collect::<Vec<_>>(), tb.keys().collect::<Vec<_>>());
    assert!(ta.keys().any(|k| k.starts_with("optimizer/exp_avg_sq/")));
    for (name, t) in &ta {
        assert!(t.equal(&tb[name]), "{name} differs after resuming");
    }
    assert_eq!(
        ta["optimizer/step/head.weight"].int64_value(&[]),
        4 * (128 / 32),
        "4 epochs of 128 samples in batches of 32"
    );
}

#[test]
fn the_tested_weights_are_the_best_validation_or_the_last_epoch_as_configured() {
    let _rng = torch_rng();
    tch::set_num_threads(1);
    let train = bars(128, 4);
    // Training on `train` makes this set worse every epoch: the best epoch is the first.
    let val = bars_labelled(64, 5, true);
    let dir = tempfile::tempdir().unwrap();
    for evaluate in [EvaluateWeights::BestValidation, EvaluateWeights::LastEpoch] {
        tch::manual_seed(6);
        let mut vs = VarStore::new(Device::Cpu);
        let net = model(&vs);
        let run = dir.path().join(evaluate.to_string());
        let settings = TrainSettings {
            evaluate,
            ..settings(3, false)
        };
        let s = fit(
            &net,
            &mut vs,
            &Classification,
            &train,
            &val,
            &settings,
            &run,
        )
        .unwrap();
        assert_eq!(s.best_epoch, 1, "the set-up makes epoch 1 the best");
        let expected = checkpoint_tensors(&run.join(match evaluate {
            EvaluateWeights::BestValidation => "best.safetensors",
            EvaluateWeights::LastEpoch => "epoch-0003.safetensors",
        }));
        let other = checkpoint_tensors(&run.join(match evaluate {
            EvaluateWeights::BestValidation => "epoch-0003.safetensors",
            EvaluateWeights::LastEpoch => "best.safetensors",
        }));
        let name = "head.weight";
        let held = vs.variables()[name].shallow_clone();
        assert!(
            held.equal(&expected[name]),
            "{evaluate}: not the configured weights"
        );
        assert!(
            !held.equal(&other[name]),
            "{evaluate}: the two candidates coincide"
        );
    }
}

#[derive(Debug)]
struct Poisoned(PlainCnn);

impl ModuleT for Poisoned {
    fn forward_t(&self, xs: &Tensor, train: bool) -> Tensor {
        self.0.forward_t(xs, train) * f64::NAN
    }
}

#[test]
fn a_non_finite_loss_stops_the_run() {
    let _rng = torch_rng();
    let data = bars(64, 2);
    let (train, val) = data.split(0.25, 1).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let mut vs = VarStore::new(Device::Cpu);
    let net = Poisoned(model(&vs));
    let e = fit(
        &net,
        &mut vs,
        &Classification,
        &train,
        &val,
        &settings(2, false),
        dir.path(),
    )
    .unwrap_err();
    assert!(
        matches!(
            e,
            TrainError::NonFiniteLoss {
                epoch: 1,
                batch: 1,
                ..
            }
        ),
        "{e}"
    );
    assert!(e.to_string().contains("NaN"), "{e}");
}

/// `sims` trajectories of `steps` 2×4×4 frames; frame `t` of simulation `s` is constant
/// `t + 100·s`.
fn ramps(sims: usize, steps: usize) -> gm_experiments::data::TrajectorySet {
    use gm_experiments::data::Trajectory;
    let trajectories = (0..sims)
        .map(|s| Trajectory {
            frames: (0..steps)
                .flat_map(|t| std::iter::repeat_n((t + 100 * s) as f32, 32))
                .collect(),
            steps,
            channels: 2,
            height: 4,
            width: 4,
        })
        .collect();
    gm_experiments::data::TrajectorySet {
        trajectories,
        files: Vec::new(),
    }
}

/// Predicts "last input frame + 1".
#[derive(Debug)]
struct NextRamp;

impl ModuleT for NextRamp {
    fn forward_t(&self, xs: &Tensor, _train: bool) -> Tensor {
        let c = xs.size()[1];
        xs.narrow(1, c - 2, 2) + 1.0
    }
}

/// A protocol for the 30–40-frame ramps: 2 input frames, windows train [0, 10), validation
/// [10, 15), future [15, 20), domain [0, 5) of the last simulation, `test_rollout` test steps.
fn small_protocol(test_rollout: usize) -> gm_experiments::config::RegressionConfig {
    gm_experiments::config::RegressionConfig {
        input_frames: 2,
        train_rollout: 2,
        test_rollout,
        train_end: 10,
        val_end: 15,
        future_end: 20,
        domain_end: 5,
        held_out: 1,
        window_stride: 1,
        mid: None,
        train_sims: None,
        domain_sims: None,
    }
}

#[test]
fn windows_follow_the_protocol() {
    use gm_experiments::config::RegressionConfig;
    use gm_experiments::train::{plume_splits, windows};
    let set = ramps(3, 30);
    let w = windows(&set, &[0], 0..100, 0, 3, 2).unwrap();
    assert_eq!(w.x.size(), vec![26, 6, 4, 4]);
    assert_eq!(w.y.size(), vec![26, 2, 2, 4, 4]);
    let x0: Vec<f32> = Vec::try_from(w.x.get(0).mean_dim(
        [1i64, 2].as_slice(),
        false,
        tch::Kind::Float,
    ))
    .unwrap();
    assert_eq!(x0, vec![0.0, 0.0, 1.0, 1.0, 2.0, 2.0]);
    assert_eq!(
        w.y.get(5).get(1).mean(tch::Kind::Float).double_value(&[]),
        5.0 + 3.0 + 1.0
    );
    let r = small_protocol(3);
    let s = plume_splits(&set, &r).unwrap();
    let n = |d: &TensorData| d.len();
    assert_eq!(
        (n(&s.train), n(&s.val), n(&s.test_future), n(&s.test_domain)),
        (20, 10, 10, 5)
    );
    assert_eq!(
        s.test_domain
            .x
            .get(0)
            .mean(tch::Kind::Float)
            .double_value(&[]),
        200.5,
        "held-out = last"
    );
    assert_eq!(s.test_future.y.size()[1], 3);
    // A stride thins the training and validation windows, not the tests.
    let s = plume_splits(
        &set,
        &RegressionConfig {
            window_stride: 3,
            ..r
        },
    )
    .unwrap();
    assert_eq!(
        (n(&s.train), n(&s.val), n(&s.test_future), n(&s.test_domain)),
        (8, 4, 10, 5)
    );
    assert_eq!(
        s.train.x.get(1).mean(tch::Kind::Float).double_value(&[]),
        3.5,
        "second training window starts at frame 3"
    );
}

/// The reference protocol's task lists and `mid`: windows read from `mid − input_frames + t`,
/// training/validation/future come from `train_sims` and the domain test from `domain_sims`,
/// in the order listed.
#[test]
fn task_lists_and_mid_select_the_simulations_and_frames() {
    use gm_experiments::config::RegressionConfig;
    use gm_experiments::train::{fit_protocol, plume_splits};
    let set = ramps(4, 40);
    let r = RegressionConfig {
        mid: Some(6),
        train_sims: Some(vec![3, 1]),
        domain_sims: Some(vec![0]),
        ..small_protocol(3)
    };
    let s = plume_splits(&set, &r).unwrap();
    let first_frames = |d: &TensorData, k: i64| {
        let means: Vec<f32> = Vec::try_from(d.x.get(k).mean_dim(
            [1i64, 2].as_slice(),
            false,
            tch::Kind::Float,
        ))
        .unwrap();
        means[0]
    };
    // Simulation 3 first (value 300 + frame), its first window reads frame 6 − 2 + 0 = 4.
    assert_eq!(first_frames(&s.train, 0), 304.0);
    assert_eq!(first_frames(&s.train, 10), 104.0, "then simulation 1");
    assert_eq!(first_frames(&s.val, 0), 314.0);
    assert_eq!(first_frames(&s.test_future, 0), 319.0);
    assert_eq!(
        first_frames(&s.test_domain, 0),
        4.0,
        "domain test: simulation 0"
    );
    assert_eq!(
        s.test_domain
            .y
            .get(0)
            .get(0)
            .mean(tch::Kind::Float)
            .double_value(&[]),
        6.0,
        "targets start at mid"
    );
    let n = |d: &TensorData| d.len();
    assert_eq!(
        (n(&s.train), n(&s.val), n(&s.test_future), n(&s.test_domain)),
        (20, 10, 10, 5)
    );
    // The future test fits 40 − (15 + 6) = 19 steps; a longer rollout is shortened to it.
    let long = RegressionConfig {
        test_rollout: 25,
        ..r.clone()
    };
    assert_eq!(fit_protocol(&set, &long).unwrap().test_rollout, 19);
    // An index beyond the data is named.
    let e = plume_splits(
        &set,
        &RegressionConfig {
            domain_sims: Some(vec![7]),
            ..r
        },
    )
    .unwrap_err()
    .to_string();
    assert!(
        e.contains("simulation 7") && e.contains("there are 4"),
        "{e}"
    );
}

#[test]
fn the_protocol_is_fitted_to_the_trajectory_length() {
    use gm_experiments::config::RegressionConfig;
    use gm_experiments::train::{fit_protocol, plume_splits, suggest_windows};
    let r = small_protocol(20);
    // Long enough: the configured 20 steps.
    let fit = fit_protocol(&ramps(3, 40), &r).unwrap();
    assert_eq!((fit.train_frames, fit.test_rollout), (40, 20));
    assert!(!fit.shortened(&r));
    // 30 frames: the first future window (start 15) allows 30 − 15 − 2 = 13 steps.
    let set = ramps(3, 30);
    let fit = fit_protocol(&set, &r).unwrap();
    assert_eq!(fit.test_rollout, 13);
    assert!(fit.shortened(&r));
    let s = plume_splits(
        &set,
        &RegressionConfig {
            test_rollout: fit.test_rollout,
            ..r.clone()
        },
    )
    .unwrap();
    assert_eq!((s.test_future.len(), s.test_domain.y.size()[1]), (2, 13));
    // 16 frames: a validation window fits (10 + 2 + 2 <= 16) but no future-test step.
    let e = fit_protocol(&ramps(3, 16), &r).unwrap_err().to_string();
    assert!(
        e.contains("too short") && e.contains("--set regression."),
        "{e}"
    );
    let e = fit_protocol(&ramps(1, 40), &r).unwrap_err().to_string();
    assert!(e.contains("held out"), "{e}");
    // Every suggestion fits the length it was made for, with the full (shortened) rollout.
    for frames in 5..80 {
        let Some(s) = suggest_windows(frames, &r) else {
            assert!(frames < 2 + 4, "{frames}");
            continue;
        };
        let fit = fit_protocol(&ramps(3, frames), &s).unwrap();
        assert_eq!(fit.test_rollout, s.test_rollout, "{frames}: {s:?}");
        assert!(s.train_end < s.val_end && s.val_end < s.future_end, "{s:?}");
        let splits = plume_splits(&ramps(3, frames), &s).unwrap();
        assert_eq!(
            splits.test_future.len(),
            2 * (s.future_end - s.val_end),
            "{s:?}"
        );
    }
}

#[test]
fn rollout_feeds_predictions_back_and_scores_rmse() {
    use gm_experiments::train::{evaluate, windows, Objective, Rollout};
    use gm_nn::precision::PrecisionPolicy;
    let set = ramps(1, 40);
    let data = windows(&set, &[0], 0..10, 0, 3, 20).unwrap();
    let (loss, rmse) = evaluate(
        &NextRamp,
        &Rollout,
        &data,
        4,
        Device::Cpu,
        PrecisionPolicy::fp32(),
    )
    .unwrap();
    assert_eq!(
        (loss, rmse),
        (0.0, 0.0),
        "an exact model has zero error over 20 fed-back steps"
    );
    #[derive(Debug)]
    struct Zero;
    impl ModuleT for Zero {
        fn forward_t(&self, xs: &Tensor, _: bool) -> Tensor {
            xs.narrow(1, 0, 2).zeros_like()
        }
    }
    let (_, rmse) = evaluate(
        &Zero,
        &Rollout,
        &data,
        3,
        Device::Cpu,
        PrecisionPolicy::fp32(),
    )
    .unwrap();
    // Targets of window t are t+3 .. t+22 (t = 0..10): RMSE = sqrt(mean of squares).
    let sq: f64 = (0..10)
        .flat_map(|t| (0..20).map(move |k| ((t + 3 + k) as f64).powi(2)))
        .sum();
    assert!((rmse - (sq / 200.0).sqrt()).abs() < 1e-6 * rmse, "{rmse}");
    assert_eq!(Rollout.metric_name(), "rmse");
}
