//! GM convolution: every backend equals the dense group-matrix expansion, backends agree,
//! exact layers are equivariant on every family, gradients pass a finite-difference check.

use gm_algebra::FiniteGroup;
use gm_nn::conv::backend::{self, BackendKind, CudnnBackend};
use gm_nn::conv::planner::{self, ConvShape};
use gm_nn::conv::{BackendChoice, ChannelMode, GMConv, GMConvConfig};
use gm_nn::dense::ExportDense;
use gm_nn::lowering::{Lowering, Support};
use gm_nn::testing::{assert_equivariant, equivariance_error, regular_actions};
use tch::nn::VarStore;
use tch::{Device, Kind, Tensor};

mod common;
use common::{dense_oracle, max_abs, randn};

/// A support with a repeat and a wrap-around, valid on every group.
fn mixed_support(n: usize) -> Vec<usize> {
    vec![0, 1 % n, n - 1, (n / 2) % n, 1 % n]
}

fn conv(
    vs: &VarStore,
    l: &Lowering,
    cin: usize,
    cout: usize,
    mode: ChannelMode,
    kind: BackendKind,
) -> GMConv {
    let config = GMConvConfig {
        mode,
        backend: BackendChoice::Fixed(kind),
        ..Default::default()
    };
    let c = GMConv::new(vs.root(), cin, cout, l, config).unwrap();
    tch::no_grad(|| {
        c.bias
            .as_ref()
            .unwrap()
            .shallow_clone()
            .copy_(&randn(&[cout as i64]))
    });
    c
}

fn double_store() -> VarStore {
    let mut vs = VarStore::new(Device::Cpu);
    vs.set_kind(Kind::Double);
    vs
}

/// The applicable backends, all of which must build.
fn applicable(l: &Lowering) -> Vec<BackendKind> {
    let built: Vec<BackendKind> = planner::candidates(l)
        .expect("every applicable backend builds")
        .iter()
        .map(|b| b.kind())
        .collect();
    assert_eq!(built, planner::applicable(l), "a backend failed to build");
    built
}

#[test]
fn every_backend_equals_the_dense_group_matrix_on_every_family() {
    tch::manual_seed(1);
    for spec in common::FAMILIES.iter().chain(&["C6xC5"]) {
        every_backend_equals_the_dense_group_matrix(common::group(spec), spec);
    }
}

/// `Z_5 ⋊ Z_4` (the Frobenius group of order 20, `x ↦ 2x`) and `(Z_3 × Z_4) ⋊ Z_2`
/// (`(y, x) ↦ (−y, −x)`): semidirect products over a grid, where the convolution backend
/// applies through [`gm_algebra::group::Structure::TranslationGrid`].
#[test]
fn every_backend_equals_the_dense_group_matrix_on_semidirect_products_over_a_grid() {
    use gm_algebra::group::{parse_group, SemidirectProduct};
    use gm_algebra::AnyGroup;
    tch::manual_seed(2);
    let frobenius = SemidirectProduct::new(
        parse_group("C5").unwrap(),
        parse_group("C4").unwrap(),
        |h, n| n * 2usize.pow(h as u32) % 5,
    )
    .unwrap();
    let negate = |c: usize, m: usize| (m - c) % m;
    let grid = SemidirectProduct::new(
        parse_group("C3xC4").unwrap(),
        parse_group("C2").unwrap(),
        |h, n| {
            if h == 0 {
                n
            } else {
                negate(n / 4, 3) * 4 + negate(n % 4, 4)
            }
        },
    )
    .unwrap();
    for (g, label) in [(frobenius, "C5⋊C4"), (grid, "(C3xC4)⋊C2")] {
        let g = AnyGroup::new(g);
        let l = Lowering::new(g.clone(), &Support::Elements(vec![0]), Device::Cpu).unwrap();
        assert!(applicable(&l).contains(&BackendKind::Cudnn), "{label}");
        every_backend_equals_the_dense_group_matrix(g, label);
    }
}

/// Every applicable backend of a lowering of `g` with [`mixed_support`], in both channel
/// modes, equals the dense group-matrix expansion and the gather backend's output.
fn every_backend_equals_the_dense_group_matrix(g: gm_algebra::AnyGroup, spec: &str) {
    let n = g.order();
    let l = Lowering::new(g.clone(), &Support::Elements(mixed_support(n)), Device::Cpu).unwrap();
    for mode in [ChannelMode::Shared, ChannelMode::Full] {
        let vs = double_store();
        let x = randn(&[2, 2, n as i64]);
        let mut outputs: Vec<(BackendKind, Tensor, Tensor)> = Vec::new();
        for kind in applicable(&l) {
            let c = conv(&vs, &l, 2, 3, mode, kind);
            let w = if outputs.is_empty() {
                c.weight.shallow_clone()
            } else {
                let w = outputs[0].1.shallow_clone();
                tch::no_grad(|| c.weight.shallow_clone().copy_(&w));
                w
            };
            let oracle = dense_oracle(&g, l.support(), &w, 2);
            let dense = c.export_dense().unwrap();
            let err = max_abs(&(dense - &oracle));
            assert!(err < 1e-12 * n as f64, "{spec} {mode:?} {kind:?}: {err}");
            let y = c.f_forward(&x).unwrap() - c.bias.as_ref().unwrap().view([-1, 1]);
            outputs.push((kind, w, y));
        }
        for (kind, _, y) in &outputs[1..] {
            let err = max_abs(&(y - &outputs[0].2));
            assert!(err < 1e-10, "{spec} {mode:?} {kind:?} vs gather: {err}");
        }
    }
}

#[test]
fn grid_backends_apply_exactly_to_their_grids() {
    let on = |spec: &str| {
        let g = common::group(spec);
        applicable(&Lowering::new(g, &Support::Elements(vec![0]), Device::Cpu).unwrap())
    };
    use BackendKind::*;
    assert_eq!(on("C5xC4"), vec![Gather, Cudnn, Fourier, Irreps, Reference]);
    assert_eq!(on("C9"), vec![Gather, Cudnn, Fourier, Irreps, Reference]);
    // The convolution backend takes translations times a point group; the Fourier backend
    // abelian grids only.
    assert_eq!(on("D4xC2"), vec![Gather, Cudnn, Irreps, Reference]);
    assert_eq!(on("C2xC2xC2"), vec![Gather, Irreps, Reference]);
    assert_eq!(on("p4(17)"), vec![Gather, Cudnn, Reference]);
    assert_eq!(on("S4"), vec![Gather, Irreps, Reference]);
    assert!(matches!(
        backend::build(
            Cudnn,
            &Lowering::new(
                common::group("S3"),
                &Support::Elements(vec![0]),
                Device::Cpu
            )
            .unwrap()
        ),
        Err(gm_nn::NnError::BackendUnavailable { .. })
    ));
}

#[test]
fn radius_support_on_the_grid_matches_across_backends() {
    tch::manual_seed(2);
    let l = Lowering::new(common::group("C8xC6"), &Support::Radius(2), Device::Cpu).unwrap();
    let vs = double_store();
    let x = randn(&[3, 4, 48]);
    let w = randn(&[5, 1, 25]);
    let ys: Vec<Tensor> = applicable(&l)
        .into_iter()
        .map(|k| backend::build(k, &l).unwrap().forward(&x, &w).unwrap())
        .collect();
    for y in &ys[1..] {
        assert!(max_abs(&(y - &ys[0])) < 1e-10);
    }
    drop(vs);
}

#[test]
fn cudnn_kernel_is_the_flipped_reference_kernel() {
    let l = Lowering::new(common::group("C9xC9"), &Support::Radius(3), Device::Cpu).unwrap();
    let cudnn = CudnnBackend::new(&l).unwrap();
    let w = randn(&[2, 1, 49]);
    let kernel = cudnn.conv_kernel(&w).unwrap();
    let flipped = w.view([2, 1, 7, 7]).flip([-1, -2]);
    assert_eq!(max_abs(&(kernel - flipped)), 0.0);
}

#[test]
fn exact_layers_are_equivariant_on_every_family() {
    tch::manual_seed(3);
    for spec in common::FAMILIES.iter().chain(&["C6xC5"]) {
        let g = common::group(spec);
        let n = g.order();
        let l =
            Lowering::new(g.clone(), &Support::Elements(mixed_support(n)), Device::Cpu).unwrap();
        let actions = regular_actions(&g, Device::Cpu).unwrap();
        for kind in applicable(&l) {
            // f32, as the layers run in training.
            let vs = VarStore::new(Device::Cpu);
            let c = conv(&vs, &l, 3, 2, ChannelMode::Full, kind);
            let x = Tensor::randn([2, 3, n as i64], (Kind::Float, Device::Cpu));
            assert_equivariant(|x| c.f_forward(x), &x, &actions, 1e-5);
        }
    }
}

#[test]
fn p4_convolution_commutes_with_rotating_and_translating_images() {
    tch::manual_seed(4);
    // p4(4) with a support of the unit translations and the quarter turn.
    let g = common::group("p4(4)");
    let l = Lowering::new(
        g.clone(),
        &Support::Elements(vec![0, 1, 4, 16, 3]),
        Device::Cpu,
    )
    .unwrap();
    let vs = VarStore::new(Device::Cpu);
    let c = conv(&vs, &l, 2, 2, ChannelMode::Shared, BackendKind::Gather);
    let x = Tensor::randn([1, 2, 64], (Kind::Float, Device::Cpu));
    let err = equivariance_error(
        |x| c.f_forward(x),
        &x,
        &regular_actions(&g, Device::Cpu).unwrap(),
    )
    .unwrap();
    assert!(err < 1e-5, "{err}");
}

/// Central differences of `Σ y·r` in every weight entry and some input entries, against
/// autograd, in f64.
fn check_gradients(l: &Lowering, kind: BackendKind, mode: ChannelMode) {
    let b = backend::build(kind, l).unwrap();
    let n = l.order() as i64;
    let k = l.kernel_size() as i64;
    let ci = if mode == ChannelMode::Shared { 1 } else { 2 };
    let x = randn(&[2, 2, n]).set_requires_grad(true);
    let w = randn(&[3, ci, k]).set_requires_grad(true);
    let r = randn(&[2, 3, n]);
    let loss = |x: &Tensor, w: &Tensor| (b.forward(x, w).unwrap() * &r).sum(Kind::Double);
    loss(&x, &w).backward();
    let (gx, gw) = (x.grad(), w.grad());
    let h = 1e-6;
    for (is_weight, t, g) in [(true, &w, &gw), (false, &x, &gx)] {
        let len = t.numel() as i64;
        for idx in (0..len).step_by((len / 12).max(1) as usize) {
            let bump = |d: f64| {
                let t2 = t.detach().copy();
                let _ = t2
                    .view([-1])
                    .get(idx)
                    .fill_(t.view([-1]).double_value(&[idx]) + d);
                let v = if is_weight {
                    loss(&x.detach(), &t2)
                } else {
                    loss(&t2, &w.detach())
                };
                v.double_value(&[])
            };
            let fd = (bump(h) - bump(-h)) / (2.0 * h);
            let ad = g.view([-1]).double_value(&[idx]);
            assert!(
                (fd - ad).abs() < 1e-6 * (1.0 + ad.abs()),
                "{kind:?} {mode:?}: fd {fd} vs autograd {ad}"
            );
        }
    }
}

#[test]
fn finite_difference_gradients_on_every_backend() {
    tch::manual_seed(5);
    let grid = Lowering::new(common::group("C3xC4"), &Support::Radius(1), Device::Cpu).unwrap();
    let dihedral = Lowering::new(
        common::group("D3"),
        &Support::Elements(vec![0, 1, 3, 5]),
        Device::Cpu,
    )
    .unwrap();
    for mode in [ChannelMode::Shared, ChannelMode::Full] {
        for kind in applicable(&grid) {
            check_gradients(&grid, kind, mode);
        }
        for kind in applicable(&dihedral) {
            check_gradients(&dihedral, kind, mode);
        }
    }
}

#[test]
fn planner_picks_an_applicable_backend() {
    let l = Lowering::new(common::group("C8xC8"), &Support::Radius(3), Device::Cpu).unwrap();
    let shape = ConvShape {
        batch: 4,
        in_channels: 6,
        out_channels: 6,
        mode: ChannelMode::Shared,
    };
    for choice in [BackendChoice::Auto, BackendChoice::Timed] {
        let b = planner::plan(&l, &shape, choice).unwrap();
        assert_ne!(b.kind(), BackendKind::Reference);
    }
    // The cost model's pick is the applicable backend it prices lowest; on a dihedral grid
    // that is now the convolution backend (|P|² blocks), which training measured fastest on
    // the CPU (docs/nn-layers.md).
    let d = Lowering::new(common::group("D4xD4"), &Support::Radius(1), Device::Cpu).unwrap();
    let cheapest = planner::applicable(&d)
        .into_iter()
        .min_by(|&a, &b| planner::cost(a, &d, &shape).total_cmp(&planner::cost(b, &d, &shape)))
        .unwrap();
    assert_eq!(cheapest, BackendKind::Cudnn);
    assert_eq!(
        planner::plan(&d, &shape, BackendChoice::Auto)
            .unwrap()
            .kind(),
        cheapest
    );
    // The cost model ranks the reference formulation last on the benchmark case.
    let big = ConvShape {
        batch: 32,
        in_channels: 120,
        out_channels: 120,
        mode: ChannelMode::Shared,
    };
    let costs: Vec<f64> = BackendKind::ALL
        .iter()
        .map(|&k| planner::cost(k, &l, &big))
        .collect();
    let reference = planner::cost(BackendKind::Reference, &l, &big);
    assert!(costs.iter().all(|&c| c <= reference));
    assert!(l.group().order() == 64);
}

/// Timing probes only what the cost model prices within `TIMED_WITHIN` of its cheapest: the
/// cheapest first, every other applicable backend in exactly when its price is within the
/// factor. On the CIFAR-10 model's shape the reference formulation (a `B×C×K×n` gather) is
/// left out, and the timed plan is one of the candidates.
#[test]
fn timed_planning_probes_the_backends_priced_near_the_cheapest() {
    let cifar = ConvShape {
        batch: 256,
        in_channels: 120,
        out_channels: 120,
        mode: ChannelMode::Shared,
    };
    for (group, support) in [
        ("C32xC32", Support::Radius(3)),
        ("D4xD4", Support::Radius(1)),
        ("C8xC8", Support::Radius(2)),
        ("S4", Support::Elements(vec![0, 3, 7, 11])),
    ] {
        let l = Lowering::new(common::group(group), &support, Device::Cpu).unwrap();
        for shape in [cifar, ConvShape { batch: 2, ..cifar }] {
            let timed = planner::timed_candidates(&l, &shape);
            let price = |k| planner::cost(k, &l, &shape);
            let cheapest = planner::applicable(&l)
                .into_iter()
                .map(price)
                .fold(f64::INFINITY, f64::min);
            assert_eq!(price(timed[0]), cheapest, "{group}");
            for kind in planner::applicable(&l) {
                let near = price(kind) <= planner::TIMED_WITHIN * cheapest;
                assert_eq!(timed.contains(&kind), near, "{group} {kind:?}");
            }
        }
    }
    let l = Lowering::new(common::group("C32xC32"), &Support::Radius(3), Device::Cpu).unwrap();
    let timed = planner::timed_candidates(&l, &cifar);
    assert!(!timed.contains(&BackendKind::Reference), "{timed:?}");
    let small = ConvShape {
        batch: 2,
        in_channels: 3,
        out_channels: 3,
        ..cifar
    };
    let planned = planner::plan(&l, &small, BackendChoice::Timed).unwrap();
    assert!(planner::timed_candidates(&l, &small).contains(&planned.kind()));
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(256))]

    /// Random groups from every family of the algebra's strategy, random supports (repeats
    /// allowed): every applicable backend equals the dense group matrix.
    #[test]
    fn backends_equal_the_dense_group_matrix_on_random_groups(
        g in gm_algebra::group::strategy::small_group(24),
        picks in proptest::collection::vec(0usize..1000, 1..6),
        seed in 0i64..1000,
    ) {
        tch::manual_seed(seed);
        let n = g.order();
        let support: Vec<usize> = picks.iter().map(|p| p % n).collect();
        let l = Lowering::new(g.clone(), &Support::Elements(support.clone()), Device::Cpu).unwrap();
        let w = randn(&[2, 2, support.len() as i64]);
        let oracle = dense_oracle(&g, &support, &w, 2);
        let x = randn(&[2, 2, n as i64]);
        let expected = oracle.matmul(&x.view([2, -1]).tr()).tr().view([2, 2, n as i64]);
        let built = planner::candidates(&l).unwrap();
        proptest::prop_assert_eq!(built.len(), planner::applicable(&l).len());
        for b in built {
            let err = max_abs(&(b.forward(&x, &w).unwrap() - &expected));
            proptest::prop_assert!(err < 1e-12 * n as f64, "{:?} on {:?}: {}", b.kind(), g, err);
        }
    }
}
