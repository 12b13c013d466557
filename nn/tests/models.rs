//! Models: parameter counts equal the reference's; configs deserialise; forward shapes.

use gm_nn::lowering::Support;
use gm_nn::model::{
    parameter_count, Classifier, ClassifierConfig, RelaxedRegression, RelaxedRegressionConfig,
};
use gm_nn::testing::{assert_equivariant, regular_actions};
use tch::nn::{Module, ModuleT, VarStore};
use tch::{Device, Kind, Tensor};

mod common;

#[test]
fn cifar10_classifier_has_the_reference_parameter_count() {
    let vs = VarStore::new(Device::Cpu);
    let m = Classifier::new(vs.root(), &ClassifierConfig::cifar10()).unwrap();
    assert_eq!(parameter_count(&vs), 13_691);
    let y = m.forward_t(
        &Tensor::randn([2, 3, 32, 32], (Kind::Float, Device::Cpu)),
        true,
    );
    assert_eq!(y.size(), vec![2, 10]);
}

#[test]
fn rot_mnist_classifier_has_the_reference_parameter_count() {
    let vs = VarStore::new(Device::Cpu);
    let m = Classifier::new(vs.root(), &ClassifierConfig::rot_mnist()).unwrap();
    assert_eq!(parameter_count(&vs), 48_731);
    let y = m.forward_t(
        &Tensor::randn([2, 1, 28, 28], (Kind::Float, Device::Cpu)),
        false,
    );
    assert_eq!(y.size(), vec![2, 10]);
}

#[test]
fn classifier_is_invariant_and_configs_deserialise() {
    tch::manual_seed(31);
    let config: ClassifierConfig = serde_json::from_str(
        r#"{"group": "D3xC4", "support": {"radius": 1}, "in_channels": 2, "channels": [4, 4, 6],
            "dropout": 0.1, "classes": 3}"#,
    )
    .unwrap();
    assert_eq!(config.support, Support::Radius(1));
    let vs = VarStore::new(Device::Cpu);
    let m = Classifier::new(vs.root(), &config).unwrap();
    let g = common::group("D3xC4");
    let x = Tensor::randn([2, 2, 24], (Kind::Float, Device::Cpu));
    // Global max pooling makes the logits invariant: output action = identity.
    let f = |x: &Tensor| m.f_forward_t(x, false).map(|y| y.unsqueeze(-1));
    let actions: Vec<_> = regular_actions(&g, Device::Cpu)
        .unwrap()
        .into_iter()
        .map(|(a, _)| {
            (
                a,
                gm_nn::testing::Action::regular(&common::group("C1"), 0, Device::Cpu).unwrap(),
            )
        })
        .collect();
    assert_equivariant(f, &x, &actions, 1e-5);
    let relaxed = ClassifierConfig {
        relaxed_rank: 1,
        ..config
    };
    let vs = VarStore::new(Device::Cpu);
    let _ = Classifier::new(vs.root(), &relaxed).unwrap();
    // One extra (O, 1, K) kernel and one (O, n) position vector per block.
    let exact_vs = VarStore::new(Device::Cpu);
    let _ = Classifier::new(
        exact_vs.root(),
        &ClassifierConfig {
            relaxed_rank: 0,
            ..relaxed.clone()
        },
    )
    .unwrap();
    let extra: usize = relaxed.channels.iter().map(|&o| o * 18 + o * 24).sum();
    assert_eq!(parameter_count(&vs), parameter_count(&exact_vs) + extra);
}

/// The largest change of the logits of `m` on `x` when the element `u` of `group` acts on the
/// input (relative, as [`gm_nn::testing::equivariance_error`] measures it).
fn logit_change(m: &Classifier, group: &str, u: usize, x: &Tensor) -> f64 {
    let g = common::group(group);
    let trivial = gm_nn::testing::Action::regular(&common::group("C1"), 0, Device::Cpu).unwrap();
    let act = gm_nn::testing::Action::regular(&g, u, Device::Cpu).unwrap();
    let f = |x: &Tensor| m.f_forward_t(x, false).map(|y| y.unsqueeze(-1));
    gm_nn::testing::equivariance_error(f, x, &[(act, trivial)]).unwrap()
}

#[test]
fn pooled_classifier_is_invariant_under_the_pooled_subgroup_only() {
    tch::manual_seed(5);
    // (group, axis order m, elements of H = ⟨r²⟩² or ⟨r², f⟩², an element of G outside H)
    let cases = [
        ("C8xC8", 8, vec![2, 2 * 8], 1),
        ("D4xD4", 8, vec![2, 4, 2 * 8, 4 * 8], 8),
    ];
    for (spec, m, in_h, outside) in cases {
        let config: ClassifierConfig = serde_json::from_value(serde_json::json!({
            "group": spec, "support": {"radius": 1}, "in_channels": 2,
            "channels": [4, 5], "dropout": 0.0, "classes": 3, "pool_after": [0]
        }))
        .unwrap();
        let vs = VarStore::new(Device::Cpu);
        let pooled = Classifier::new(vs.root(), &config).unwrap();
        let plain_vs = VarStore::new(Device::Cpu);
        let _ = Classifier::new(
            plain_vs.root(),
            &ClassifierConfig {
                pool_after: vec![],
                ..config.clone()
            },
        )
        .unwrap();
        assert_eq!(parameter_count(&vs), parameter_count(&plain_vs), "{spec}");
        let x = Tensor::randn([3, 2, (m * m) as i64], (Kind::Float, Device::Cpu));
        for u in in_h {
            let e = logit_change(&pooled, spec, u, &x);
            assert!(e < 1e-5, "{spec}: H element {u} changes the logits by {e}");
        }
        let e = logit_change(&pooled, spec, outside, &x);
        assert!(
            e > 1e-4,
            "{spec}: element {outside} is not in H, yet the pooled model is invariant ({e})"
        );
    }
    let bad: ClassifierConfig = serde_json::from_value(serde_json::json!({
        "group": "C8xC8", "support": {"radius": 1}, "in_channels": 1, "channels": [4],
        "classes": 2, "pool_after": [1]
    }))
    .unwrap();
    let err = Classifier::new(VarStore::new(Device::Cpu).root(), &bad).unwrap_err();
    assert!(
        err.to_string().contains("pool_after names block 1"),
        "{err}"
    );
    let odd: ClassifierConfig = serde_json::from_value(serde_json::json!({
        "group": "C6xC6", "support": {"radius": 1}, "in_channels": 1, "channels": [4, 4],
        "classes": 2, "pool_after": [0, 1]
    }))
    .unwrap();
    let err = Classifier::new(VarStore::new(Device::Cpu).root(), &odd).unwrap_err();
    assert!(err.to_string().contains("even"), "{err}");
}

#[test]
fn relaxed_regression_model_maps_frames_to_the_next_frame() {
    let config = RelaxedRegressionConfig {
        group: common::group("C8xC8"),
        hidden: 6,
        ..Default::default()
    };
    let vs = VarStore::new(Device::Cpu);
    let m = RelaxedRegression::new(vs.root(), &config).unwrap();
    let y = m.forward(&Tensor::randn([2, 20, 8, 8], (Kind::Float, Device::Cpu)));
    assert_eq!(y.size(), vec![2, 2, 8, 8]);
    let round: RelaxedRegressionConfig =
        serde_json::from_str(&serde_json::to_string(&config).unwrap()).unwrap();
    assert_eq!(round, config);
}

#[test]
fn relaxed_regression_kernels_start_with_the_fan_in_of_the_summed_channels() {
    // Shared mode: a kernel acts on the sum of `hidden` channels, fan-in K·hidden = 9·16.
    let config = RelaxedRegressionConfig {
        group: common::group("C8xC8"),
        hidden: 16,
        ..Default::default()
    };
    let vs = VarStore::new(Device::Cpu);
    let _m = RelaxedRegression::new(vs.root(), &config).unwrap();
    let bound = 1.0 / (9.0f64 * 16.0).sqrt();
    let vars = vs.variables();
    for name in ["blocks.0.weight", "blocks.3.relax_kernel"] {
        let w = &vars[name];
        let max = w.abs().max().double_value(&[]);
        assert!(
            max <= bound * (1.0 + 1e-6) && max > 0.5 * bound,
            "{name}: {max} vs {bound}"
        );
    }
}
