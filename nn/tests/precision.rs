//! Reduced-precision activations: models fed bf16 compute in bf16 with their fp32 weights, give
//! the fp32 result to bf16 accuracy, and send fp32 gradients to the fp32 parameters.

use gm_nn::conv::{BackendChoice, BackendKind, GMConvConfig};
use gm_nn::model::{
    Classifier, ClassifierConfig, ReferenceRegression, ReferenceRegressionConfig,
    RelaxedRegression, RelaxedRegressionConfig,
};
use gm_nn::precision::CastModel;
use tch::nn::{ModuleT, VarStore};
use tch::{Device, Kind, Tensor};

/// Relative max-norm error of `a` against `b`.
fn relative_error(a: &Tensor, b: &Tensor) -> f64 {
    let scale = b.abs().max().double_value(&[]).max(1e-12);
    (a - b).abs().max().double_value(&[]) / scale
}

fn classifier(group: &str, backend: BackendKind) -> (VarStore, Classifier) {
    let vs = VarStore::new(Device::Cpu);
    let config = ClassifierConfig {
        group: gm_algebra::group::parse_group(group).unwrap(),
        in_channels: 2,
        channels: vec![6, 6],
        conv: GMConvConfig {
            backend: BackendChoice::Fixed(backend),
            ..Default::default()
        },
        ..ClassifierConfig::cifar10()
    };
    let model = Classifier::new(vs.root(), &config).unwrap();
    (vs, model)
}

#[test]
fn bf16_classifier_matches_fp32_on_every_backend_and_trains_fp32_weights() {
    // C8xC8 and D4xD4 both have order 64.
    for (group, backend) in [
        ("C8xC8", BackendKind::Gather),
        ("C8xC8", BackendKind::Cudnn),
        ("C8xC8", BackendKind::Fourier),
        ("D4xD4", BackendKind::Gather),
        ("D4xD4", BackendKind::Irreps),
    ] {
        tch::manual_seed(5);
        let (vs, model) = classifier(group, backend);
        let x = Tensor::randn([3, 2, 64], (Kind::Float, Device::Cpu));
        let reference = model.forward_t(&x, false);
        let model = CastModel::new(Box::new(model), Kind::BFloat16);
        let y = model.forward_t(&x, false);
        assert_eq!(y.kind(), Kind::Float, "{group} {backend:?}");
        let err = relative_error(&y, &reference);
        assert!(err < 5e-2, "{group} {backend:?}: bf16 error {err}");
        assert!(
            err > 0.0,
            "{group} {backend:?}: bf16 path did not run in bf16"
        );
        y.sum(Kind::Float).backward();
        for (name, v) in vs.variables() {
            assert_eq!(v.kind(), Kind::Float, "{name}");
            let g = v.grad();
            assert!(g.defined(), "{group} {backend:?}: no gradient for {name}");
            assert_eq!(g.kind(), Kind::Float, "{name}");
            assert!(
                g.isfinite().all().int64_value(&[]) == 1,
                "{group} {backend:?}: {name}"
            );
        }
    }
}

#[test]
fn bf16_relaxed_regression_matches_fp32() {
    tch::manual_seed(9);
    let vs = VarStore::new(Device::Cpu);
    let config = RelaxedRegressionConfig {
        group: gm_algebra::group::parse_group("C8xC8").unwrap(),
        in_channels: 4,
        hidden: 8,
        blocks: 2,
        relaxed_rank: 1,
        ..Default::default()
    };
    let model = RelaxedRegression::new(vs.root(), &config).unwrap();
    // Give the (zero-initialised) position-dependent part a value so it is exercised.
    tch::no_grad(|| {
        for (name, mut v) in vs.variables() {
            if name.contains("relax_position") {
                v.copy_(&(Tensor::randn(v.size(), (Kind::Float, Device::Cpu)) * 0.1));
            }
        }
    });
    let x = Tensor::randn([2, 4, 8, 8], (Kind::Float, Device::Cpu));
    let reference = model.forward_t(&x, false);
    let y = CastModel::new(Box::new(model), Kind::BFloat16).forward_t(&x, false);
    let err = relative_error(&y, &reference);
    assert!(err > 0.0 && err < 5e-2, "bf16 error {err}");
}

#[test]
fn bf16_reference_regression_matches_fp32_and_projects_its_fp32_weights() {
    tch::manual_seed(10);
    let vs = VarStore::new(Device::Cpu);
    let config = ReferenceRegressionConfig {
        group: gm_algebra::group::parse_group("C8xC8").unwrap(),
        in_channels: 4,
        hidden: 8,
        ..Default::default()
    };
    let model = ReferenceRegression::new(vs.root(), &config).unwrap();
    let x = Tensor::randn([2, 4, 8, 8], (Kind::Float, Device::Cpu));
    let reference = model.forward_t(&x, false);
    let bf16 = CastModel::new(Box::new(model), Kind::BFloat16);
    let y = bf16.forward_t(&x, true);
    let err = relative_error(&y, &reference);
    assert!(err > 0.0 && err < 5e-2, "bf16 error {err}");
    // The projection ran on the fp32 master weights, which stay fp32.
    for layer in bf16.inner().blocks() {
        assert_eq!(layer.error.kind(), Kind::Float);
        let norm = layer.error.norm().double_value(&[]);
        assert!((norm - 1.0).abs() < 1e-6, "{norm}");
    }
}
