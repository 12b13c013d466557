//! `RelaxedConvNet` (Wang et al.'s relaxed translation network) against a naive transcription
//! of its definition: per pixel, the banks' convolutions (zero or circular padding, written
//! as loops) mixed by that pixel's combination weights; exact under cyclic shifts when the
//! weights do not depend on the pixel (circular padding), not otherwise; its penalty and
//! parameter count.
use gm_nn::model::relaxed_rotation::Padding;
use gm_nn::model::{parameter_count, FieldNet, FieldNetConfig, RelaxedConvNet};
use tch::nn::{ModuleT, VarStore};
use tch::{Device, Kind, Tensor};

fn config(hidden: usize, layers: usize, banks: usize, n: usize) -> FieldNetConfig {
    FieldNetConfig {
        in_frames: 2,
        out_frames: 1,
        hidden,
        layers,
        kernel_size: 3,
        height: n,
        width: n,
        banks,
        alpha: 0.5,
    }
}

fn values(t: &Tensor) -> Vec<f64> {
    Vec::try_from(t.to_kind(Kind::Double).flatten(0, -1)).unwrap()
}

/// One layer by loops: `y[o][i][j] = Σ_r w[i][j][r] (β[r][o] + Σ_{c,a,b} W[r][o][c][a][b] x[c][i+a−1][j+b−1])`.
fn naive_layer(
    vs: &VarStore,
    layer: usize,
    x: &[Vec<Vec<f64>>],
    padding: Padding,
) -> Vec<Vec<Vec<f64>>> {
    let get = |name: &str| {
        let t = vs.variables()[&format!("layers.{layer}.{name}")].shallow_clone();
        (values(&t), t.size())
    };
    let (w, ws) = get("weight");
    let (bias, _) = get("bias");
    let (mix, _) = get("combination_weights");
    let (banks, cout, cin, k) = (
        ws[0] as usize,
        ws[1] as usize,
        ws[2] as usize,
        ws[3] as usize,
    );
    let n = x[0].len() as i64;
    let at = |c: usize, i: i64, j: i64| match padding {
        Padding::Circular => x[c][i.rem_euclid(n) as usize][j.rem_euclid(n) as usize],
        Padding::Zeros if (0..n).contains(&i) && (0..n).contains(&j) => {
            x[c][i as usize][j as usize]
        }
        Padding::Zeros => 0.0,
    };
    let mut y = vec![vec![vec![0.0; n as usize]; n as usize]; cout];
    for (o, plane) in y.iter_mut().enumerate() {
        for i in 0..n {
            for j in 0..n {
                let mut total = 0.0;
                for r in 0..banks {
                    let mut conv = bias[r * cout + o];
                    for c in 0..cin {
                        for a in 0..k {
                            for b in 0..k {
                                let wi = (((r * cout + o) * cin + c) * k + a) * k + b;
                                conv += w[wi] * at(c, i + a as i64 - 1, j + b as i64 - 1);
                            }
                        }
                    }
                    total += mix[((i * n + j) as usize) * banks + r] * conv;
                }
                plane[i as usize][j as usize] = total;
            }
        }
    }
    y
}

fn randomise_mixing(vs: &VarStore, seed: i64) {
    tch::manual_seed(seed);
    tch::no_grad(|| {
        for (name, mut t) in vs.variables() {
            if name.ends_with("combination_weights") {
                t.copy_(&Tensor::rand_like(&t));
            }
        }
    });
}

#[test]
fn the_network_is_the_naive_per_pixel_mixture_of_bank_convolutions() {
    for padding in [Padding::Zeros, Padding::Circular] {
        tch::manual_seed(2);
        let vs = VarStore::new(Device::Cpu);
        let c = config(3, 2, 2, 5);
        let model = RelaxedConvNet::with_padding(&vs.root(), &c, padding).unwrap();
        randomise_mixing(&vs, 4);
        let x = Tensor::randn([1, 4, 5, 5], (Kind::Float, Device::Cpu));
        let planes: Vec<Vec<Vec<f64>>> = (0..4)
            .map(|ch| (0..5).map(|i| values(&x.get(0).get(ch).get(i))).collect())
            .collect();
        let hidden: Vec<Vec<Vec<f64>>> = naive_layer(&vs, 0, &planes, padding)
            .into_iter()
            .map(|p| {
                p.into_iter()
                    .map(|r| r.into_iter().map(|v| v.max(0.0)).collect())
                    .collect()
            })
            .collect();
        let expected: Vec<f64> = naive_layer(&vs, 1, &hidden, padding)
            .into_iter()
            .flatten()
            .flatten()
            .collect();
        let got = values(&model.forward_t(&x, false));
        let worst = got
            .iter()
            .zip(&expected)
            .map(|(a, b)| (a - b).abs())
            .fold(0.0, f64::max);
        assert!(worst < 1e-5, "{padding}: {worst}");
    }
}

fn shift_error(model: &RelaxedConvNet, x: &Tensor) -> f64 {
    let y = model.forward_t(x, false);
    let shifted = model.forward_t(&x.roll([1, 2], [2, 3]), false);
    let gap = (shifted - y.roll([1, 2], [2, 3])).abs().max();
    f64::try_from(gap).unwrap() / f64::try_from(y.abs().max()).unwrap()
}

/// Uniform combination weights make every layer one group matrix on the torus: the network
/// commutes with cyclic shifts; weights that vary over the grid break it.
#[test]
fn with_uniform_weights_on_the_torus_it_commutes_with_shifts_and_not_otherwise() {
    tch::manual_seed(5);
    let vs = VarStore::new(Device::Cpu);
    let model =
        RelaxedConvNet::with_padding(&vs.root(), &config(4, 3, 2, 8), Padding::Circular).unwrap();
    let x = Tensor::randn([2, 4, 8, 8], (Kind::Float, Device::Cpu));
    assert!(shift_error(&model, &x) < 1e-5);
    assert_eq!(f64::try_from(model.penalty().unwrap()).unwrap(), 0.0);
    randomise_mixing(&vs, 6);
    assert!(shift_error(&model, &x) > 1e-2);
}

/// The penalty is `alpha · (mean |Δ_rows w| + mean |Δ_columns w|)` over all layers' weights.
#[test]
fn the_penalty_is_the_references_smoothness_constraint() {
    tch::manual_seed(7);
    let vs = VarStore::new(Device::Cpu);
    let c = config(2, 2, 3, 4);
    let model = RelaxedConvNet::new(&vs.root(), &c).unwrap();
    randomise_mixing(&vs, 8);
    let (mut rows, mut columns) = (Vec::new(), Vec::new());
    for layer in 0..2 {
        let w = values(&vs.variables()[&format!("layers.{layer}.combination_weights")]);
        let at = |i: usize, j: usize, r: usize| w[(i * 4 + j) * 3 + r];
        for r in 0..3 {
            for i in 0..4 {
                for j in 0..4 {
                    if i + 1 < 4 {
                        rows.push((at(i + 1, j, r) - at(i, j, r)).abs());
                    }
                    if j + 1 < 4 {
                        columns.push((at(i, j + 1, r) - at(i, j, r)).abs());
                    }
                }
            }
        }
    }
    let mean = |v: &[f64]| v.iter().sum::<f64>() / v.len() as f64;
    let expected = 0.5 * (mean(&rows) + mean(&columns));
    let got = f64::try_from(model.penalty().unwrap()).unwrap();
    assert!((got - expected).abs() < 1e-6, "{got} vs {expected}");
}

#[test]
fn parameter_counts_follow_the_formula() {
    let count = |c: &FieldNetConfig| {
        let vs = VarStore::new(Device::Cpu);
        RelaxedConvNet::new(&vs.root(), c).unwrap();
        parameter_count(&vs)
    };
    let formula = |c: &FieldNetConfig| {
        let (h, l, k2) = (c.hidden, c.banks, c.kernel_size * c.kernel_size);
        let widths: Vec<usize> = std::iter::once(2 * c.in_frames)
            .chain(std::iter::repeat_n(h, c.layers - 1))
            .chain(std::iter::once(2 * c.out_frames))
            .collect();
        widths
            .windows(2)
            .map(|w| l * (w[1] * w[0] * k2 + w[1]) + c.height * c.width * l)
            .sum::<usize>()
    };
    for c in [config(3, 2, 1, 5), config(4, 4, 3, 6)] {
        assert_eq!(count(&c), formula(&c));
    }
    // The reference's translation sizes (run.sh): width 128, 5 layers, 2 banks, 64 × 64.
    let reference = FieldNetConfig {
        in_frames: 10,
        hidden: 128,
        layers: 5,
        height: 64,
        width: 64,
        banks: 2,
        ..config(1, 2, 1, 2)
    };
    assert_eq!(formula(&reference), 977_412);
    assert_eq!(count(&reference), 977_412);
}

#[test]
fn bad_sizes_are_refused() {
    let vs = VarStore::new(Device::Cpu);
    for c in [
        config(2, 1, 1, 4),
        config(2, 2, 0, 4),
        config(2, 2, 1, 1),
        FieldNetConfig {
            kernel_size: 2,
            ..config(2, 2, 1, 4)
        },
    ] {
        assert!(RelaxedConvNet::new(&vs.root(), &c).is_err(), "{c:?}");
    }
}
