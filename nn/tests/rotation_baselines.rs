//! The rotation baselines of Wang et al.: equivariance of the exact models (and its failure
//! for the relaxed and free ones), filters against a naive sum over the basis, parameter
//! counts against formulas written here from the sizes, shapes and penalties.
use gm_nn::field::rotate_vector_field;
use gm_nn::model::rotation_baselines::{
    protocol_config, FieldRep, RelaxedSteerableConv, SteerableBasis, SteerableConv,
    RPP_CONV_WEIGHT_DECAY,
};
use gm_nn::model::{
    parameter_count, ConvNet, Equiv, FieldMlp, FieldNet, FieldNetConfig, Lift, RSteer, Rpp,
};
use gm_nn::Result;
use tch::nn::{ModuleT, Path, VarStore};
use tch::{Device, Kind, Tensor};

fn config(hidden: usize, layers: usize, n: usize) -> FieldNetConfig {
    FieldNetConfig {
        in_frames: 3,
        out_frames: 2,
        hidden,
        layers,
        kernel_size: 3,
        height: n,
        width: n,
        banks: 1,
        alpha: 0.5,
    }
}

/// A model in double precision (tolerances at the scale of f64 rounding).
fn build<M>(
    new: impl Fn(&Path, &FieldNetConfig) -> Result<M>,
    config: &FieldNetConfig,
    seed: i64,
) -> (VarStore, M) {
    tch::manual_seed(seed);
    let mut vs = VarStore::new(Device::Cpu);
    let model = new(&vs.root(), config).unwrap();
    vs.double();
    (vs, model)
}

fn input(seed: i64, config: &FieldNetConfig, batch: i64) -> Tensor {
    tch::manual_seed(seed);
    let shape = [
        batch,
        2 * config.in_frames as i64,
        config.height as i64,
        config.width as i64,
    ];
    Tensor::randn(shape, (Kind::Double, Device::Cpu))
}

/// `max_r |f(r·x) − r·f(x)| / max |f(x)|` over the four quarter turns, in evaluation mode.
fn equivariance_error(model: &impl ModuleT, x: &Tensor) -> f64 {
    let _guard = tch::no_grad_guard();
    let y = model.forward_t(x, false);
    let scale = f64::try_from(y.abs().max()).unwrap();
    assert!(scale > 1e-6, "a vanishing output checks nothing");
    (0..4)
        .map(|r| {
            let lhs = model.forward_t(&rotate_vector_field(x, r).unwrap(), false);
            let rhs = rotate_vector_field(&y, r).unwrap();
            f64::try_from((lhs - rhs).abs().max()).unwrap() / scale
        })
        .fold(0.0, f64::max)
}

/// Edits every variable whose name satisfies `select`.
fn edit(vs: &VarStore, select: impl Fn(&str) -> bool, f: impl Fn(&str, &Tensor) -> Tensor) {
    let _guard = tch::no_grad_guard();
    for (name, mut var) in vs.variables() {
        if select(&name) {
            let new = f(&name, &var);
            var.copy_(&new);
        }
    }
}

/// Random values for every bias and norm parameter (zero or one at initialisation), so
/// that the checks see them.
fn randomise_affine(vs: &VarStore, seed: i64) {
    tch::manual_seed(seed);
    edit(
        vs,
        |n| n.ends_with("bias") || n.ends_with("norm.weight"),
        |_, v| v.randn_like() * 0.5 + 0.25,
    );
}

/// A few training-mode passes to move the norms' running statistics off 0 and 1.
fn warm_norms(model: &impl ModuleT, x: &Tensor) {
    let _guard = tch::no_grad_guard();
    for _ in 0..3 {
        let _ = model.forward_t(x, true);
    }
}

const EXACT: f64 = 1e-10;
const BROKEN: f64 = 1e-2;

#[test]
fn equiv_is_equivariant_to_every_quarter_turn() {
    let config = config(3, 4, 9);
    let (vs, model) = build(Equiv::new, &config, 1);
    randomise_affine(&vs, 2);
    warm_norms(&model, &input(3, &config, 4));
    let x = input(4, &config, 2);
    let error = equivariance_error(&model, &x);
    assert!(error < EXACT, "Equiv error {error}");
    // Training mode too: a field's batch statistics pool its orientations and the grid, so
    // they are the same for a rotated batch.
    let _guard = tch::no_grad_guard();
    let y = model.forward_t(&x, true);
    for r in 1..4 {
        let turned = model.forward_t(&rotate_vector_field(&x, r).unwrap(), true);
        let diff = turned - rotate_vector_field(&y, r).unwrap();
        let error = f64::try_from(diff.abs().max()).unwrap();
        assert!(
            error < EXACT,
            "Equiv in training mode, r = {r}: error {error}"
        );
    }
}

/// Position-constant relaxed weights and an equivariant bias (one value per regular field,
/// none on the vector output) give an exactly equivariant network; the initial random
/// weights do not.
#[test]
fn rsteer_is_equivariant_exactly_when_its_weights_are_constant_in_position() {
    let config = config(3, 3, 8);
    let (vs, model) = build(RSteer::new, &config, 5);
    randomise_affine(&vs, 6);
    let last = format!("layers.{}.bias", config.layers - 1);
    edit(
        &vs,
        |n| n.ends_with("bias"),
        |n, v| {
            if n == last {
                v.zeros_like()
            } else {
                let fields = v.view([-1, 4]).mean_dim(1, true, Kind::Double);
                fields.expand([-1, 4], false).reshape([-1])
            }
        },
    );
    let x = input(7, &config, 2);
    let relaxed = equivariance_error(&model, &x);
    assert!(relaxed > BROKEN, "random relaxed weights: error {relaxed}");
    assert!(f64::try_from(model.penalty().unwrap()).unwrap() > 0.0);
    edit(
        &vs,
        |n| n.ends_with("relaxed_weights"),
        |_, w| w.mean_dim(3, true, Kind::Double).expand_as(w),
    );
    let error = equivariance_error(&model, &x);
    assert!(error < EXACT, "position-constant weights: error {error}");
    assert_eq!(f64::try_from(model.penalty().unwrap()).unwrap(), 0.0);
}

/// With its free pathway zeroed, Rpp is its equivariant pathway; the per-channel norms
/// stay orientation-symmetric when their statistics come from a batch closed under
/// rotation. With the free pathway it is not equivariant.
#[test]
fn rpp_without_its_free_pathway_is_equivariant() {
    let config = config(3, 4, 8);
    let (vs, model) = build(Rpp::new, &config, 8);
    let x = input(9, &config, 2);
    let with_free = equivariance_error(&model, &x);
    assert!(with_free > BROKEN, "free pathway: error {with_free}");
    edit(&vs, |n| n.contains(".free."), |_, v| v.zeros_like());
    edit(&vs, |n| n.ends_with("equiv.bias"), |_, v| v.randn_like());
    let batch = input(10, &config, 2);
    let closed = Tensor::cat(
        &(0..4)
            .map(|r| rotate_vector_field(&batch, r).unwrap())
            .collect::<Vec<_>>(),
        0,
    );
    warm_norms(&model, &closed);
    let error = equivariance_error(&model, &x);
    assert!(error < EXACT, "zeroed free pathway: error {error}");
    assert_eq!(f64::try_from(model.penalty().unwrap()).unwrap(), 0.0);
}

#[test]
fn convnet_and_lift_are_not_equivariant() {
    let config = config(4, 4, 8);
    let (_, conv) = build(ConvNet::new, &config, 11);
    let error = equivariance_error(&conv, &input(12, &config, 2));
    assert!(error > BROKEN, "ConvNet error {error}");
    let (vs, lift) = build(Lift::new, &config, 13);
    let x = input(14, &config, 3);
    warm_norms(&lift, &x);
    let error = equivariance_error(&lift, &x);
    assert!(error > BROKEN, "Lift error {error}");
    // Its backbone alone is equivariant: with the encoder's last layer zeroed the lifted
    // features are zero and the model is its backbone.
    edit(&vs, |n| n.starts_with("encoder.2."), |_, v| v.zeros_like());
    let error = equivariance_error(&lift, &x);
    assert!(error < EXACT, "Lift without its encoder: error {error}");
}

/// The layers' filters (einsum of weights and basis) against a naive sum over the basis
/// written from `SteerableBasis::value`, for every pair of field types.
#[test]
fn filters_are_the_naive_sums_over_the_basis() {
    let x = Tensor::zeros([1], (Kind::Double, Device::Cpu));
    let reps = [FieldRep::Vector, FieldRep::Regular];
    for (rin, rout) in reps.iter().flat_map(|&a| reps.iter().map(move |&b| (a, b))) {
        let (fin, fout) = (3usize, 2usize);
        tch::manual_seed(17);
        let mut vs = VarStore::new(Device::Cpu);
        let exact = SteerableConv::new(&(vs.root() / "exact"), (rin, fin), (rout, fout), 3);
        let relaxed =
            RelaxedSteerableConv::new(&(vs.root() / "relaxed"), (rin, fin), (rout, fout), 3);
        let (exact, relaxed) = (exact.unwrap(), relaxed.unwrap());
        vs.double();
        let vars = vs.variables();
        let (w, rw) = (&vars["exact.weight"], &vars["relaxed.relaxed_weights"]);
        let (fast, fast_relaxed) = (exact.filter(&x).unwrap(), relaxed.filter(&x).unwrap());
        let basis = SteerableBasis::new(rin, rout, 3).unwrap();
        let (din, dout) = (rin.dim(), rout.dim());
        assert_eq!(
            fast.size(),
            [(fout * dout) as i64, (fin * din) as i64, 3, 3]
        );
        assert_eq!(fast_relaxed.size(), fast.size());
        for (o, i, p, q) in (0..fout).flat_map(|o| {
            (0..fin)
                .flat_map(move |i| (0..dout).flat_map(move |p| (0..din).map(move |q| (o, i, p, q))))
        }) {
            for (row, col) in (0..3i64).flat_map(|r| (0..3i64).map(move |c| (r, c))) {
                let offset = (col - 1, row - 1);
                let k = row * 3 + col;
                let (mut naive, mut naive_relaxed) = (0.0, 0.0);
                for b in 0..basis.len() {
                    let kb = basis.value(b, p, q, offset);
                    let (o_, i_, b_) = (o as i64, i as i64, b as i64);
                    naive += kb * w.double_value(&[o_, i_, b_]);
                    naive_relaxed += kb * rw.double_value(&[o_, b_, i_, k]);
                }
                let at = [(o * dout + p) as i64, (i * din + q) as i64, row, col];
                assert!((fast.double_value(&at) - naive).abs() < 1e-12);
                assert!((fast_relaxed.double_value(&at) - naive_relaxed).abs() < 1e-12);
            }
        }
    }
}

/// Basis sizes on 3 × 3 (vector → regular, regular → regular, regular → vector), written
/// down from `dim Hom_C4 + 2·d_in·d_out`: 2 + 16, 4 + 32, 2 + 16.
const B_VR: usize = 18;
const B_RR: usize = 36;
const B_RV: usize = 18;

/// The parameter counts of all six models for `config` (kernel 3), from the sizes alone.
fn expected_counts(c: &FieldNetConfig) -> [(&'static str, usize); 6] {
    let (f, g, h, l, k2) = (c.in_frames, c.out_frames, c.hidden, c.layers, 9);
    let hw = c.height * c.width;
    let (cin, cout) = (2 * f, 2 * g);
    let conv = (cin * k2 * h + 3 * h) + (l - 2) * (h * h * k2 + 3 * h) + h * k2 * cout + cout;
    let mlp = (cin * hw * h + 3 * h) + (l - 2) * (h * h + 3 * h) + h * cout * hw + cout * hw;
    let equiv = (h * f * B_VR + 3 * h) + (l - 2) * (h * h * B_RR + 3 * h) + g * h * B_RV;
    let rpp = (h * f * B_VR + h + cin * k2 * 4 * h + 4 * h + 8 * h)
        + (l - 2) * (h * h * B_RR + h + 4 * h * k2 * 4 * h + 4 * h + 8 * h)
        + (g * h * B_RV + 4 * h * k2 * cout + cout);
    let encoder = cin * hw * h + 3 * h + h * h + 3 * h + h * h + h;
    let backbone = (h * f * B_VR + 3 * h)
        + (l - 3) * (h * h * B_RR + 3 * h)
        + (h * (h + h / 4) * B_RR + 3 * h)
        + g * h * B_RV;
    let rsteer = (h * B_VR * f * k2 + 4 * h)
        + (l - 2) * (h * B_RR * h * k2 + 4 * h)
        + (g * B_RV * h * k2 + cout);
    [
        ("ConvNet", conv),
        ("FieldMlp", mlp),
        ("Equiv", equiv),
        ("Rpp", rpp),
        ("Lift", encoder + backbone),
        ("RSteer", rsteer),
    ]
}

fn counts(c: &FieldNetConfig) -> [(&'static str, usize); 6] {
    fn count<M>(new: impl Fn(&Path, &FieldNetConfig) -> Result<M>, c: &FieldNetConfig) -> usize {
        let vs = VarStore::new(Device::Cpu);
        let _model = new(&vs.root(), c).unwrap();
        parameter_count(&vs)
    }
    [
        ("ConvNet", count(ConvNet::new, c)),
        ("FieldMlp", count(FieldMlp::new, c)),
        ("Equiv", count(Equiv::new, c)),
        ("Rpp", count(Rpp::new, c)),
        ("Lift", count(Lift::new, c)),
        ("RSteer", count(RSteer::new, c)),
    ]
}

#[test]
fn parameter_counts_follow_the_formulas_at_small_sizes() {
    for c in [config(4, 4, 6), config(8, 5, 7), config(12, 4, 5)] {
        assert_eq!(counts(&c), expected_counts(&c), "{c:?}");
    }
}

/// The protocol's counts, also as literals (the table in the module docs).
#[test]
fn parameter_counts_at_the_protocol_sizes() {
    let c = protocol_config();
    assert_eq!(counts(&c), expected_counts(&c));
    assert_eq!(
        counts(&c),
        [
            ("ConvNet", 247_850),
            ("FieldMlp", 8_324_992),
            ("Equiv", 933_432),
            ("Rpp", 4_666_426),
            ("Lift", 8_563_820),
            ("RSteer", 8_392_426),
        ]
    );
}

/// The plume shapes, `(B, 20, 64, 64)` → `(B, 2, 64, 64)`, in both modes.
#[test]
fn every_model_maps_ten_frames_to_one_on_the_plume_grid() {
    let c = FieldNetConfig {
        hidden: 4,
        layers: 4,
        ..protocol_config()
    };
    let x = Tensor::randn([2, 20, 64, 64], (Kind::Float, Device::Cpu));
    let shapes = |model: &dyn ModuleT| [true, false].map(|train| model.forward_t(&x, train).size());
    let vs = VarStore::new(Device::Cpu);
    let root = vs.root();
    let models: Vec<Box<dyn ModuleT>> = vec![
        Box::new(ConvNet::new(&(&root / "a"), &c).unwrap()),
        Box::new(FieldMlp::new(&(&root / "b"), &c).unwrap()),
        Box::new(Equiv::new(&(&root / "c"), &c).unwrap()),
        Box::new(Rpp::new(&(&root / "d"), &c).unwrap()),
        Box::new(Lift::new(&(&root / "e"), &c).unwrap()),
        Box::new(RSteer::new(&(&root / "f"), &c).unwrap()),
    ];
    for model in &models {
        assert_eq!(
            shapes(model.as_ref()),
            [vec![2, 2, 64, 64], vec![2, 2, 64, 64]]
        );
    }
}

/// RSteer: `alpha · Σ_layers mean |w[…, k] − w[…, k + 1]|`; Rpp: `1e-6 · Σ θ²` over the
/// free pathway; the others have none.
#[test]
fn penalties_are_the_references_constraints() {
    let c = config(2, 3, 6);
    let (vs, rsteer) = build(RSteer::new, &c, 18);
    let mut expected = 0.0;
    for l in 0..c.layers {
        let w = &vs.variables()[&format!("layers.{l}.relaxed_weights")];
        let flat = Vec::<f64>::try_from(w.reshape([-1])).unwrap();
        let diffs: Vec<f64> = flat
            .chunks(9)
            .flat_map(|row| row.windows(2).map(|p| (p[0] - p[1]).abs()))
            .collect();
        expected += diffs.iter().sum::<f64>() / diffs.len() as f64;
    }
    let got = f64::try_from(rsteer.penalty().unwrap()).unwrap();
    assert!((got - c.alpha * expected).abs() < 1e-12 * expected.max(1.0));
    let (vs, rpp) = build(Rpp::new, &c, 19);
    let squares: f64 = vs
        .variables()
        .iter()
        .filter(|(n, _)| n.contains(".free."))
        .flat_map(|(_, v)| Vec::<f64>::try_from(v.reshape([-1])).unwrap())
        .map(|v| v * v)
        .sum();
    let got = f64::try_from(rpp.penalty().unwrap()).unwrap();
    assert!((got - RPP_CONV_WEIGHT_DECAY * squares).abs() < 1e-12);
    assert!(squares > 0.0);
    assert!(build(Equiv::new, &c, 20).1.penalty().is_none());
    assert!(build(ConvNet::new, &c, 20).1.penalty().is_none());
}

#[test]
fn bad_sizes_and_inputs_are_errors() {
    let ok = config(4, 4, 6);
    let bad = [
        FieldNetConfig {
            layers: 1,
            ..ok.clone()
        },
        FieldNetConfig {
            kernel_size: 4,
            ..ok.clone()
        },
        FieldNetConfig {
            hidden: 0,
            ..ok.clone()
        },
        FieldNetConfig {
            in_frames: 0,
            ..ok.clone()
        },
    ];
    let vs = VarStore::new(Device::Cpu);
    for c in &bad {
        assert!(ConvNet::new(&vs.root(), c).is_err());
        assert!(FieldMlp::new(&vs.root(), c).is_err());
        assert!(Equiv::new(&vs.root(), c).is_err());
        assert!(Rpp::new(&vs.root(), c).is_err());
        assert!(Lift::new(&vs.root(), c).is_err());
        assert!(RSteer::new(&vs.root(), c).is_err());
    }
    // Lift: the encoder's channels must make whole regular fields, and it joins a hidden
    // layer after two.
    assert!(Lift::new(
        &vs.root(),
        &FieldNetConfig {
            hidden: 6,
            ..ok.clone()
        }
    )
    .is_err());
    assert!(Lift::new(
        &vs.root(),
        &FieldNetConfig {
            layers: 3,
            ..ok.clone()
        }
    )
    .is_err());
    // The grid-sized models refuse other grids instead of panicking.
    let mlp = FieldMlp::new(&(vs.root() / "m"), &ok).unwrap();
    let lift = Lift::new(&(vs.root() / "l"), &ok).unwrap();
    let wrong = Tensor::zeros([2, 6, 7, 7], (Kind::Float, Device::Cpu));
    assert!(mlp.f_forward_t(&wrong, false).is_err());
    assert!(lift.f_forward_t(&wrong, false).is_err());
}
