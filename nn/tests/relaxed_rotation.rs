//! Rotations of vector fields: the `p4` filter-bank convolution against the dense group
//! matrices of `p4(N)`, the lift and projection between vector and regular fields, and the
//! equivariance (exact, or measurably broken) of RGroup and GmP4Field.

use gm_algebra::group::{Group, Wallpaper, WallpaperElement};
use gm_algebra::AnyGroup;
use gm_nn::conv::{BackendChoice, BackendKind, ChannelMode, GMConv, GMConvConfig};
use gm_nn::field::{rotate_regular_field, rotate_vector_field};
use gm_nn::lowering::{wallpaper_support, Lowering, Support};
use gm_nn::model::relaxed_rotation::{
    lift_vector_field, p4_kernel_to_gm_weight, p4_to_regular_field, project_regular_field,
    regular_field_to_p4, GmP4Field, P4ConvConfig, P4GroupConv, Padding, RGroup, RGroupOptions,
    RelaxedP4GroupConv,
};
use gm_nn::model::rotation_baselines::protocol_config;
use gm_nn::model::{parameter_count, FieldNet, FieldNetConfig};
use gm_nn::pool::{wallpaper_pixel_labels, Lift};
use gm_nn::testing::Action;
use gm_nn::{NnError, Result};
use tch::nn::VarStore;
use tch::{Device, Kind, Tensor};

mod common;
use common::{dense_oracle, max_abs, randn};

fn double_store() -> VarStore {
    let mut vs = VarStore::new(Device::Cpu);
    vs.set_kind(Kind::Double);
    vs
}

/// Sizes of a small field network on an 8×8 grid.
fn small_config(layers: usize, banks: usize) -> FieldNetConfig {
    FieldNetConfig {
        in_frames: 3,
        out_frames: 1,
        hidden: 4,
        layers,
        kernel_size: 3,
        height: 8,
        width: 8,
        banks,
        alpha: 1e-5,
    }
}

/// The `run.sh` Rotation row (`rotation_baselines::protocol_config`) with the reference's
/// default `num_banks = 2`.
fn run_sh_config() -> FieldNetConfig {
    FieldNetConfig {
        banks: 2,
        ..protocol_config()
    }
}

/// `max_r ‖f(act(x, r)) − act_out(f(x), r)‖_∞ / ‖f(x)‖_∞` over the three non-trivial turns.
fn rotation_error(
    f: impl Fn(&Tensor) -> Result<Tensor>,
    x: &Tensor,
    act_in: fn(&Tensor, i64) -> Result<Tensor>,
    act_out: fn(&Tensor, i64) -> Result<Tensor>,
) -> f64 {
    tch::no_grad(|| {
        let fx = f(x).unwrap();
        let scale = max_abs(&fx);
        assert!(scale > 0.0, "a zero output checks nothing");
        (1..4)
            .map(|r| {
                let lhs = f(&act_in(x, r).unwrap()).unwrap();
                max_abs(&(lhs - act_out(&fx, r).unwrap())) / scale
            })
            .fold(0.0, f64::max)
    })
}

fn p4(n: usize) -> Wallpaper {
    Wallpaper::p4(n).unwrap()
}

/// The circular filter-bank convolution of `conv` on `x` computed by the GM machinery: the
/// algebra's dense group matrices (`GroupMatrix::to_dense`, through `left_div_idx`) of the
/// kernel written as a function on `p4(N)`, and `GMConv` with those weights.
fn gm_oracles(conv: &P4GroupConv, x: &Tensor, in_fields: usize) -> (Tensor, Tensor) {
    let n = x.size()[2];
    let group = p4(n as usize);
    let t = (conv.config().kernel_size - 1) / 2;
    let support = wallpaper_support(&group, t);
    let weight = p4_kernel_to_gm_weight(&conv.weight.detach()).unwrap();
    let functions = regular_field_to_p4(x).unwrap();
    let b = functions.size()[0];
    let any = AnyGroup::new(group);
    let dense = dense_oracle(&any, &support, &weight, in_fields);
    let y_dense = functions
        .reshape([b, -1])
        .matmul(&dense.tr())
        .reshape([b, -1, 4 * n * n]);
    let vs = double_store();
    let lowering = Lowering::new(any, &Support::Elements(support), Device::Cpu).unwrap();
    let config = GMConvConfig {
        mode: conv.config().mode,
        bias: false,
        backend: BackendChoice::Fixed(BackendKind::Gather),
        ..Default::default()
    };
    let out_fields = weight.size()[0] as usize;
    let gm = GMConv::new(vs.root(), in_fields, out_fields, &lowering, config).unwrap();
    tch::no_grad(|| gm.weight.shallow_clone().copy_(&weight));
    let y_gm = gm.f_forward(&functions).unwrap();
    (
        p4_to_regular_field(&y_dense, n).unwrap(),
        p4_to_regular_field(&y_gm, n).unwrap(),
    )
}

#[test]
fn circular_filter_bank_conv_is_the_gm_convolution_on_p4() {
    let cases = [
        (5, 3, ChannelMode::Full),
        (6, 3, ChannelMode::Shared),
        (8, 3, ChannelMode::Full),
        (6, 5, ChannelMode::Full),
        (7, 5, ChannelMode::Shared),
    ];
    for (seed, (n, k, mode)) in cases.into_iter().enumerate() {
        tch::manual_seed(seed as i64);
        let (cin, cout) = (2, 3);
        let vs = double_store();
        let config = P4ConvConfig {
            kernel_size: k,
            mode,
            bias: false,
            padding: Padding::Circular,
        };
        let conv = P4GroupConv::new(vs.root(), cin, cout, config).unwrap();
        let x = randn(&[2, 4 * cin as i64, n, n]);
        let y = tch::no_grad(|| conv.f_forward(&x).unwrap());
        let (dense, gm) = gm_oracles(&conv, &x, cin);
        let tol = 1e-12 * (4 * k * k * cin) as f64 * max_abs(&dense);
        assert!(
            max_abs(&(&y - &dense)) < tol,
            "N = {n}, k = {k}, {mode}: dense"
        );
        assert!(
            max_abs(&(&y - &gm)) < tol,
            "N = {n}, k = {k}, {mode}: GMConv"
        );

        // The control: zero padding is another map (the border), so the comparison sees it.
        let zeros = P4GroupConv::new(
            vs.root() / "zeros",
            cin,
            cout,
            P4ConvConfig {
                padding: Padding::Zeros,
                ..config
            },
        )
        .unwrap();
        tch::no_grad(|| zeros.weight.shallow_clone().copy_(&conv.weight));
        let y_zeros = tch::no_grad(|| zeros.f_forward(&x).unwrap());
        assert!(max_abs(&(y_zeros - &dense)) > 0.1 * max_abs(&dense));
    }
}

/// The map of `p4_functions`: orientations against the Wallpaper element order, pixels
/// against `wallpaper_pixel_labels`, and the turn of `field` against the left-regular action.
#[test]
fn the_p4_map_turns_field_rotations_into_the_left_regular_action() {
    for n in [5usize, 6] {
        let group = p4(n);
        let ni = n as i64;
        let x = randn(&[2, 8, ni, ni]);
        let f = regular_field_to_p4(&x).unwrap();
        assert!(p4_to_regular_field(&f, ni).unwrap().equal(&x));

        // The turn about the grid's centre, (i, j) ↦ (j, N − 1 − i), is u = ((0, N−1), R_w³).
        let turn = WallpaperElement {
            tx: 0,
            ty: n - 1,
            rot: 3,
            mirror: false,
        };
        let action = Action::regular(&group, group.index(&turn), Device::Cpu).unwrap();
        let turned = regular_field_to_p4(&rotate_regular_field(&x, 1).unwrap()).unwrap();
        assert!(turned.equal(&action.apply(&f).unwrap()));
        // A translation by one row is the translation element (1, 0).
        let shift = WallpaperElement {
            tx: 1,
            ..group.identity()
        };
        let action = Action::regular(&group, group.index(&shift), Device::Cpu).unwrap();
        let shifted = regular_field_to_p4(&x.roll([1], [2])).unwrap();
        assert!(shifted.equal(&action.apply(&f).unwrap()));
        // The wrong turn is not it: the test sees the handedness.
        let wrong = regular_field_to_p4(&rotate_regular_field(&x, 3).unwrap()).unwrap();
        assert!(!wrong.equal(&action.apply(&f).unwrap()));

        // A field that is the same in every orientation is the pixel image lifted to p4.
        let image = randn(&[2, 1, ni, ni]);
        let constant = image.repeat([1, 4, 1, 1]);
        let lift = Lift::new(&wallpaper_pixel_labels(&group), Device::Cpu).unwrap();
        let lifted = lift.f_forward(&image.reshape([2, 1, -1])).unwrap();
        assert!(regular_field_to_p4(&constant).unwrap().equal(&lifted));
    }
}

#[test]
fn group_convolutions_commute_with_quarter_turns() {
    tch::manual_seed(11);
    for n in [7, 8] {
        let x = randn(&[2, 8, n, n]);
        for padding in [Padding::Zeros, Padding::Circular] {
            for mode in [ChannelMode::Shared, ChannelMode::Full] {
                let vs = double_store();
                let config = P4ConvConfig {
                    mode,
                    padding,
                    ..Default::default()
                };
                let conv = P4GroupConv::new(vs.root(), 2, 3, config).unwrap();
                tch::no_grad(|| {
                    conv.bias
                        .as_ref()
                        .unwrap()
                        .shallow_clone()
                        .copy_(&randn(&[3]))
                });
                let err = rotation_error(
                    |x| conv.f_forward(x),
                    &x,
                    rotate_regular_field,
                    rotate_regular_field,
                );
                assert!(err < 1e-12, "{padding}, {mode}, N = {n}: {err:e}");
            }
            let vs = double_store();
            let relaxed = RelaxedP4GroupConv::new(vs.root(), 2, 3, 2, 3, padding).unwrap();
            let err = rotation_error(
                |x| relaxed.f_forward(x),
                &x,
                rotate_regular_field,
                rotate_regular_field,
            );
            assert!(err < 1e-12, "relaxed, {padding}, N = {n}: {err:e}");
        }
    }
}

/// With the same combination weights for every orientation, `K_r = bank_r(Σ_l a_l W_l)`:
/// the relaxed layer is the exact one of the mixed kernel.
#[test]
fn relaxed_conv_with_orientation_independent_weights_is_the_exact_conv_of_the_mix() {
    tch::manual_seed(5);
    let vs = double_store();
    let relaxed = RelaxedP4GroupConv::new(vs.root() / "r", 2, 3, 3, 3, Padding::Zeros).unwrap();
    let exact = P4GroupConv::new(
        vs.root() / "e",
        2,
        3,
        P4ConvConfig {
            mode: ChannelMode::Full,
            bias: false,
            padding: Padding::Zeros,
            ..Default::default()
        },
    )
    .unwrap();
    let a = randn(&[3]);
    tch::no_grad(|| {
        relaxed
            .combination_weights
            .shallow_clone()
            .copy_(&a.view([1, 3]).expand([4, 3], false));
        let mixed = (relaxed.weight.shallow_clone() * a.view([3, 1, 1, 1, 1, 1])).sum_dim_intlist(
            0,
            false,
            None::<Kind>,
        );
        exact.weight.shallow_clone().copy_(&mixed);
    });
    let x = randn(&[2, 8, 6, 6]);
    let (y_relaxed, y_exact) =
        tch::no_grad(|| (relaxed.f_forward(&x).unwrap(), exact.f_forward(&x).unwrap()));
    assert!(max_abs(&(&y_relaxed - &y_exact)) < 1e-12 * max_abs(&y_exact));
}

#[test]
fn lift_and_projection_intertwine_the_two_actions() {
    tch::manual_seed(2);
    let vector = randn(&[2, 6, 7, 7]);
    let regular = randn(&[2, 12, 7, 7]);
    for r in 0..4 {
        let lhs = lift_vector_field(&rotate_vector_field(&vector, r).unwrap()).unwrap();
        let rhs = rotate_regular_field(&lift_vector_field(&vector).unwrap(), r).unwrap();
        assert!(lhs.equal(&rhs), "lift, r = {r}");
        let lhs = project_regular_field(&rotate_regular_field(&regular, r).unwrap()).unwrap();
        let rhs = rotate_vector_field(&project_regular_field(&regular).unwrap(), r).unwrap();
        assert!(lhs.equal(&rhs), "projection, r = {r}");
    }
    // Σ_s ⟨φ, e_s⟩ e_s = 2φ.
    let back = project_regular_field(&lift_vector_field(&vector).unwrap()).unwrap();
    assert!(back.equal(&(&vector * 2.0)));
    // The lift with the directions of the opposite handedness, (u, −v, −u, v), fails.
    let pairs = vector.view([2, 3, 2, 7, 7]);
    let (u, v) = (pairs.select(2, 0), pairs.select(2, 1));
    let mirrored = Tensor::stack(&[&u, &-&v, &-&u, &v], 2).view([2, 12, 7, 7]);
    let turned_first = {
        let p = rotate_vector_field(&vector, 1)
            .unwrap()
            .view([2, 3, 2, 7, 7]);
        let (u, v) = (p.select(2, 0), p.select(2, 1));
        Tensor::stack(&[&u, &-&v, &-&u, &v], 2).view([2, 12, 7, 7])
    };
    assert!(!turned_first.equal(&rotate_regular_field(&mirrored, 1).unwrap()));
}

#[test]
fn rgroup_with_uniform_combination_weights_is_exactly_equivariant() {
    tch::manual_seed(7);
    let x = randn(&[2, 6, 8, 8]);
    for padding in [Padding::Zeros, Padding::Circular] {
        for relu in [true, false] {
            let vs = double_store();
            let options = RGroupOptions { padding, relu };
            let model = RGroup::with_options(vs.root(), &small_config(4, 2), options).unwrap();
            let err = rotation_error(
                |x| model.f_forward(x),
                &x,
                rotate_vector_field,
                rotate_vector_field,
            );
            assert!(err < 1e-12, "{padding}, relu {relu}: {err:e}");
        }
    }
}

/// `relu = false` is the released reference (its `Relaxed_GroupConv` ignores `activation`): a
/// linear map; the default is not.
#[test]
fn rgroup_without_relu_is_linear_and_with_relu_is_not() {
    tch::manual_seed(4);
    let x = randn(&[2, 6, 8, 8]);
    for relu in [false, true] {
        let vs = double_store();
        let options = RGroupOptions {
            relu,
            ..Default::default()
        };
        let model = RGroup::with_options(vs.root(), &small_config(3, 2), options).unwrap();
        let (y, y_neg) = tch::no_grad(|| {
            (
                model.f_forward(&x).unwrap(),
                model.f_forward(&(-&x)).unwrap(),
            )
        });
        let odd = max_abs(&(&y + &y_neg)) < 1e-12 * max_abs(&y);
        assert_eq!(odd, !relu, "relu {relu}");
    }
}

#[test]
fn rgroup_with_perturbed_combination_weights_is_not_equivariant() {
    tch::manual_seed(8);
    let vs = double_store();
    let model = RGroup::new(vs.root(), &small_config(4, 2)).unwrap();
    let x = randn(&[2, 6, 8, 8]);
    let f = |x: &Tensor| model.f_forward(x);
    assert!(rotation_error(f, &x, rotate_vector_field, rotate_vector_field) < 1e-12);
    tch::no_grad(|| {
        for layer in model.layers() {
            let w = &layer.combination_weights;
            let _ = w.shallow_clone().g_add_(&(randn(&w.size()) * 0.05));
        }
    });
    let err = rotation_error(f, &x, rotate_vector_field, rotate_vector_field);
    assert!(err > 1e-2, "perturbed RGroup error only {err:e}");
    assert!(model.penalty().is_none());
}

#[test]
fn gm_p4_field_is_equivariant_under_quarter_turns_and_cyclic_shifts() {
    tch::manual_seed(9);
    let x = randn(&[2, 6, 8, 8]);
    for mode in [ChannelMode::Shared, ChannelMode::Full] {
        let vs = double_store();
        let model = GmP4Field::with_mode(vs.root(), &small_config(4, 1), mode).unwrap();
        // Non-zero biases, so that they are checked too.
        tch::no_grad(|| {
            for block in model.blocks() {
                block
                    .bias
                    .as_ref()
                    .unwrap()
                    .shallow_clone()
                    .copy_(&randn(&[4]));
            }
        });
        let f = |x: &Tensor| model.f_forward(x);
        let err = rotation_error(f, &x, rotate_vector_field, rotate_vector_field);
        assert!(err < 1e-12, "{mode}: {err:e}");
        let shift = |x: &Tensor| x.roll([1, 3], [2, 3]);
        let (y, y_shifted) = tch::no_grad(|| (f(&x).unwrap(), f(&shift(&x)).unwrap()));
        assert!(
            max_abs(&(y_shifted - shift(&y))) < 1e-12 * max_abs(&y),
            "{mode}"
        );
        assert!(model.penalty().is_none());
    }
}

#[test]
fn parameter_counts_follow_the_formulas() {
    let per_layer = |l: usize, o: usize, c: usize, k: usize| l * o * c * 4 * k * k + 4 * l;
    let rgroup = |config: &FieldNetConfig| {
        let vs = VarStore::new(Device::Cpu);
        RGroup::new(vs.root(), config).unwrap();
        parameter_count(&vs)
    };
    let gm = |config: &FieldNetConfig, mode: ChannelMode| {
        let vs = VarStore::new(Device::Cpu);
        GmP4Field::with_mode(vs.root(), config, mode).unwrap();
        parameter_count(&vs)
    };
    // RGroup: F → C, (layers − 2) × C → C, C → out.
    let s = small_config(4, 3);
    let (f, c, o, k, l) = (s.in_frames, s.hidden, s.out_frames, s.kernel_size, s.banks);
    let expected = per_layer(l, c, f, k) + 2 * per_layer(l, c, c, k) + per_layer(l, o, c, k);
    assert_eq!(rgroup(&s), expected);
    let r = run_sh_config();
    let (f, c, o, k, l) = (r.in_frames, r.hidden, r.out_frames, r.kernel_size, r.banks);
    let expected = per_layer(l, c, f, k) + 3 * per_layer(l, c, c, k) + per_layer(l, o, c, k);
    assert_eq!(rgroup(&r), expected);
    assert_eq!(expected, 1_901_128);

    // GmP4Field: (F+1)·C, (layers − 2) blocks of C·C_w·4k² + C + 1, C·out.
    for config in [small_config(4, 1), run_sh_config()] {
        let (f, c, o, k) = (
            config.in_frames,
            config.hidden,
            config.out_frames,
            config.kernel_size,
        );
        let blocks = config.layers - 2;
        let shared = (f + 1) * c + blocks * (c * 4 * k * k + c + 1) + c * o;
        assert_eq!(gm(&config, ChannelMode::Shared), shared);
        let full = (f + 1) * c
            + (c * f * 4 * k * k + c + 1)
            + (blocks - 1) * (c * c * 4 * k * k + c + 1)
            + c * o;
        assert_eq!(gm(&config, ChannelMode::Full), full);
    }
    assert_eq!(gm(&run_sh_config(), ChannelMode::Shared), 11_319);
}

#[test]
fn stacked_frames_map_to_one_predicted_frame() {
    let config = FieldNetConfig {
        in_frames: 10,
        ..small_config(3, 2)
    };
    let x = Tensor::randn([3, 20, 8, 8], (Kind::Float, Device::Cpu));
    let vs = VarStore::new(Device::Cpu);
    let models: Vec<Box<dyn FieldNet>> = vec![
        Box::new(RGroup::new(vs.root() / "rgroup", &config).unwrap()),
        Box::new(GmP4Field::new(vs.root() / "gm", &config).unwrap()),
    ];
    for model in &models {
        assert_eq!(model.forward_t(&x, true).size(), vec![3, 2, 8, 8]);
    }
}

#[test]
fn malformed_configs_and_inputs_are_refused() {
    let vs = VarStore::new(Device::Cpu);
    let invalid = |r: Result<()>| matches!(r, Err(NnError::InvalidConfig(_)));
    let even = FieldNetConfig {
        kernel_size: 4,
        ..small_config(3, 2)
    };
    assert!(invalid(RGroup::new(vs.root(), &even).map(drop)));
    assert!(invalid(GmP4Field::new(vs.root(), &even).map(drop)));
    assert!(invalid(
        RGroup::new(vs.root(), &small_config(1, 2)).map(drop)
    ));
    assert!(invalid(
        RGroup::new(vs.root(), &small_config(3, 0)).map(drop)
    ));
    assert!(invalid(
        GmP4Field::new(vs.root(), &small_config(2, 1)).map(drop)
    ));

    let rgroup = RGroup::new(vs.root() / "r", &small_config(3, 2)).unwrap();
    let gm = GmP4Field::new(vs.root() / "g", &small_config(3, 1)).unwrap();
    for channels in [4, 5, 8] {
        let x = Tensor::zeros([1, channels, 8, 8], (Kind::Float, Device::Cpu));
        let mismatch = |r: Result<Tensor>| matches!(r, Err(NnError::ShapeMismatch { .. }));
        assert!(mismatch(rgroup.f_forward(&x)), "{channels} channels");
        assert!(mismatch(gm.f_forward(&x)), "{channels} channels");
    }
    let not_square = Tensor::zeros([1, 8, 4, 5], (Kind::Float, Device::Cpu));
    assert!(regular_field_to_p4(&not_square).is_err());
    assert!(
        p4_to_regular_field(&Tensor::zeros([1, 2, 50], (Kind::Float, Device::Cpu)), 4).is_err()
    );
}
