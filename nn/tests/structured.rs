//! Structured-matrix layers (Thomas et al. 2018): every layer's dense matrix equals the
//! algebra's Krylov product for the same parameters and has the displacement rank the
//! algebra predicts; gradients pass a finite-difference check; initialisation and parameter
//! counts follow structured-nets and the LDR paper.

use gm_algebra::displacement::{numerical_rank, Circulant, KrylovProduct, LdrMatrix, LowRank};
use gm_nn::dense::ExportDense;
use gm_nn::model::{parameter_count, StructuredMlp, StructuredMlpConfig};
use gm_nn::structured::{StructuredConfig, StructuredFamily, StructuredLinear};
use gm_nn::NnError;
use nalgebra::DMatrix;
use std::collections::HashMap;
use tch::nn::{ModuleT, VarStore};
use tch::{Device, Kind, Tensor};

const SIZES: [usize; 6] = [1, 2, 5, 8, 13, 16];
const RANKS: [usize; 3] = [1, 2, 3];

/// A layer in f64 on `device` whose parameters are all random (seeded), including the
/// learned operators, which start as the shift `Z₀` and would test nothing there.
fn random_layer(
    family: StructuredFamily,
    n: usize,
    r: usize,
    seed: i64,
    device: Device,
) -> (VarStore, StructuredLinear) {
    let mut vs = VarStore::new(device);
    let layer = StructuredLinear::new(vs.root(), StructuredConfig::new(family, n, r)).unwrap();
    vs.set_kind(Kind::Double);
    tch::manual_seed(seed);
    tch::no_grad(|| {
        for (name, mut t) in vs.variables() {
            let u = Tensor::rand_like(&t) * 2.0 - 1.0;
            // Vandermonde nodes in (−0.9, 0.9), everything else in (−1, 1).
            let u = if name == "diag" { u * 0.9 } else { u };
            t.copy_(&u);
        }
    });
    (vs, layer)
}

/// The variables of `vs` as f64 vectors (row-major), by name.
fn values(vs: &VarStore) -> HashMap<String, Vec<f64>> {
    vs.variables()
        .into_iter()
        .map(|(k, t)| {
            let v = Vec::<f64>::try_from(t.detach().to_device(Device::Cpu).reshape([-1])).unwrap();
            (k, v)
        })
        .collect()
}

/// structured-nets' `(r, n)` generator rows as the algebra's `n × r` columns.
fn columns(v: &[f64], n: usize) -> DMatrix<f64> {
    DMatrix::from_column_slice(n, v.len() / n, v)
}

/// The algebra's matrix for the same parameters (`None` for the unconstrained family, whose
/// oracle is `Wᵀ` itself, checked separately).
fn oracle(family: StructuredFamily, p: &HashMap<String, Vec<f64>>, n: usize) -> Box<dyn LdrMatrix> {
    let gh = || (columns(&p["G"], n), columns(&p["H"], n));
    let v = |k: &str| p[k].clone();
    match family {
        StructuredFamily::Unconstrained => unreachable!("checked against Wᵀ"),
        StructuredFamily::LowRank => {
            let (g, h) = gh();
            Box::new(LowRank::new(g, h).unwrap())
        }
        StructuredFamily::Circulant => Box::new(Circulant::new(v("c")).unwrap()),
        StructuredFamily::ToeplitzLike => {
            let (g, h) = gh();
            Box::new(KrylovProduct::toeplitz_like(g, h).unwrap())
        }
        StructuredFamily::HankelLike => {
            let (g, h) = gh();
            Box::new(KrylovProduct::hankel_like(g, h).unwrap())
        }
        StructuredFamily::VandermondeLike => {
            let (g, h) = gh();
            Box::new(KrylovProduct::vandermonde_like(v("diag"), g, h).unwrap())
        }
        StructuredFamily::LdrSd => {
            let (g, h) = gh();
            Box::new(KrylovProduct::ldr_sd(v("subd_A"), v("subd_B"), g, h).unwrap())
        }
        StructuredFamily::LdrTd => {
            let (g, h) = gh();
            let band = |s: &str| {
                [
                    v(&format!("subd_{s}")),
                    v(&format!("diag_{s}")),
                    v(&format!("supd_{s}")),
                ]
            };
            Box::new(KrylovProduct::ldr_td(band("A"), band("B"), g, h).unwrap())
        }
    }
}

/// The layer's dense matrix as an algebra matrix.
fn layer_dense(layer: &StructuredLinear, n: usize) -> DMatrix<f64> {
    let m = layer.export_dense().unwrap().to_device(Device::Cpu);
    assert_eq!(m.size(), [n as i64, n as i64]);
    let v = Vec::<f64>::try_from(m.reshape([-1])).unwrap();
    DMatrix::from_row_slice(n, n, &v)
}

fn check_against_the_algebra(device: Device) {
    for family in StructuredFamily::ALL {
        for &n in &SIZES {
            for &r in &RANKS {
                let (vs, layer) = random_layer(family, n, r, (n * 10 + r) as i64, device);
                let p = values(&vs);
                let dense = layer_dense(&layer, n);
                let expected = match family {
                    StructuredFamily::Unconstrained => columns(&p["W"], n),
                    _ => oracle(family, &p, n).to_dense(),
                };
                let err = (&dense - &expected).amax();
                let tol = 1e-12 * (n * n) as f64 * (1.0 + expected.amax());
                assert!(
                    err <= tol,
                    "{family} n={n} r={r}: error {err:.3e} > {tol:.1e}"
                );
                if family == StructuredFamily::Unconstrained {
                    continue;
                }
                let m = oracle(family, &p, n);
                let rank = m.displacement().rank(&dense).unwrap();
                assert!(
                    rank <= m.displacement_rank_bound(),
                    "{family} n={n} r={r}: displacement rank {rank} > {}",
                    m.displacement_rank_bound()
                );
                // Where the algebra's displacement is exactly a multiple of GHᵀ, the rank is
                // that of GHᵀ: min(r, n) for random generators.
                if matches!(
                    family,
                    StructuredFamily::ToeplitzLike
                        | StructuredFamily::HankelLike
                        | StructuredFamily::VandermondeLike
                        | StructuredFamily::LdrSd
                        | StructuredFamily::LowRank
                ) {
                    let (g, h) = m.generators();
                    assert_eq!(
                        rank,
                        numerical_rank(&(g * h.transpose())),
                        "{family} n={n} r={r}"
                    );
                    assert_eq!(rank, r.min(n), "{family} n={n} r={r}");
                }
            }
        }
    }
}

#[test]
fn every_layer_equals_the_algebra_krylov_product_on_cpu() {
    check_against_the_algebra(Device::Cpu);
}

/// The same on a CUDA device: run on a GPU machine with `--ignored` (CI has no GPU; the CPU
/// test above always runs).
#[test]
#[ignore = "needs a CUDA device: on a GPU machine, cargo test -p gm-nn --test structured -- --ignored"]
fn every_layer_equals_the_algebra_krylov_product_on_cuda() {
    assert!(tch::Cuda::is_available(), "this check needs a CUDA device");
    check_against_the_algebra(Device::Cuda(0));
}

#[test]
fn forward_is_the_dense_matrix_plus_bias_on_any_leading_shape() {
    for family in StructuredFamily::ALL {
        let n = 12;
        let (_vs, layer) = random_layer(family, n, 2, 7, Device::Cpu);
        let m = layer.export_dense().unwrap();
        let x = Tensor::randn([2, 3, n as i64], (Kind::Double, Device::Cpu));
        let y = layer.f_forward(&x).unwrap();
        let b = layer
            .f_forward(&Tensor::zeros([n as i64], (Kind::Double, Device::Cpu)))
            .unwrap();
        let expected = x.matmul(&m.tr()) + &b;
        assert_eq!(y.size(), [2, 3, n as i64]);
        let err = (y - expected).abs().max().double_value(&[]);
        assert!(err < 1e-10, "{family}: {err}");
        assert!(
            b.abs().max().double_value(&[]) > 0.0,
            "{family}: bias was randomised"
        );
    }
}

/// Central differences of `Σ y·R` in every parameter (sampled entries) and in the input,
/// against autograd, in f64.
#[test]
fn gradients_pass_a_finite_difference_check() {
    for family in StructuredFamily::ALL {
        let (n, r) = (7, 2);
        let (vs, layer) = random_layer(family, n, r, 11, Device::Cpu);
        let x = Tensor::randn([3, n as i64], (Kind::Double, Device::Cpu)).set_requires_grad(true);
        let weights = Tensor::randn([3, n as i64], (Kind::Double, Device::Cpu));
        let loss = |x: &Tensor| (layer.f_forward(x).unwrap() * &weights).sum(Kind::Double);
        loss(&x).backward();
        let mut tensors: Vec<(String, Tensor)> = vs.variables().into_iter().collect();
        tensors.push(("x".into(), x.shallow_clone()));
        let h = 1e-6;
        for (name, t) in tensors {
            let grad = t.grad();
            let len = t.numel() as i64;
            for idx in (0..len).step_by((len / 8).max(1) as usize) {
                let at = t.view([-1]).double_value(&[idx]);
                let bumped = |d: f64| {
                    tch::no_grad(|| {
                        let _ = t.view([-1]).get(idx).fill_(at + d);
                        let v = loss(&x).double_value(&[]);
                        let _ = t.view([-1]).get(idx).fill_(at);
                        v
                    })
                };
                let fd = (bumped(h) - bumped(-h)) / (2.0 * h);
                let ad = grad.view([-1]).double_value(&[idx]);
                assert!(
                    (fd - ad).abs() < 1e-6 * (1.0 + ad.abs()),
                    "{family} {name}[{idx}]: finite difference {fd} vs autograd {ad}"
                );
            }
        }
    }
}

#[test]
fn parameters_have_structured_nets_names_shapes_and_initialisation() {
    let (n, r) = (512usize, 2usize);
    tch::manual_seed(3);
    for family in StructuredFamily::ALL {
        let vs = VarStore::new(Device::Cpu);
        let cfg = StructuredConfig::new(family, n, r);
        let _layer = StructuredLinear::new(vs.root(), cfg).unwrap();
        let vars = vs.variables();
        assert_eq!(parameter_count(&vs), cfg.parameter_count(), "{family}");
        let std = |k: &str| f64::try_from(vars[k].std(true)).unwrap();
        let all = |k: &str, v: f64| vars[k].eq(v).all().int64_value(&[]) == 1;
        let (n64, r64) = (n as i64, r as i64);
        assert!(all("b", 0.0) && vars["b"].size() == [n64]);
        let near = |got: f64, want: f64| (got / want - 1.0).abs() < 0.1;
        match family {
            StructuredFamily::Unconstrained => {
                assert_eq!(vars["W"].size(), [n64, n64]);
                assert!(near(std("W"), (1.0 / n as f64).sqrt()));
            }
            StructuredFamily::Circulant => {
                assert_eq!(vars["c"].size(), [n64]);
                assert!(near(std("c"), (1.0 / n as f64).sqrt()));
            }
            _ => {
                for k in ["G", "H"] {
                    assert_eq!(vars[k].size(), [r64, n64], "{family} {k}");
                    assert!(near(std(k), (1.0 / (r * n) as f64).sqrt()), "{family} {k}");
                }
            }
        }
        match family {
            StructuredFamily::VandermondeLike => {
                let d = &vars["diag"];
                assert_eq!(d.size(), [n64]);
                assert!(d.abs().max().double_value(&[]) <= 0.7);
                assert!(near(std("diag"), 0.7 / 3f64.sqrt()));
            }
            StructuredFamily::LdrSd => {
                assert!(all("subd_A", 1.0) && all("subd_B", 1.0));
                assert_eq!(vars["subd_A"].size(), [n64 - 1]);
            }
            StructuredFamily::LdrTd => {
                for s in ["A", "B"] {
                    assert!(all(&format!("subd_{s}"), 1.0));
                    assert!(all(&format!("diag_{s}"), 0.0));
                    assert!(all(&format!("supd_{s}"), 0.0));
                    assert_eq!(vars[&format!("diag_{s}")].size(), [n64]);
                }
            }
            _ => {}
        }
    }
}

/// The counts of the LDR paper's single-hidden-layer networks, from the built models.
#[test]
fn single_hidden_layer_parameter_counts_follow_the_ldr_paper() {
    let count = |family, r, inputs| {
        let vs = VarStore::new(Device::Cpu);
        let cfg = StructuredMlpConfig::new(family, r, inputs, 10);
        let _m = StructuredMlp::new(vs.root(), &cfg).unwrap();
        let built = parameter_count(&vs);
        assert_eq!(built, cfg.parameter_count());
        built
    };
    let toeplitz: Vec<usize> = (1..=4)
        .map(|r| count(StructuredFamily::ToeplitzLike, r, 784))
        .collect();
    assert_eq!(toeplitz, [10_202, 11_770, 13_338, 14_906]);
    assert_eq!(count(StructuredFamily::ToeplitzLike, 1, 1024), 13_322);
    // The other families: matrix + bias + classifier, as the design note counts them.
    let classifier = 784 * 10 + 10;
    for (family, matrix) in [
        (StructuredFamily::Unconstrained, 784 * 784),
        (StructuredFamily::LowRank, 2 * 784),
        (StructuredFamily::Circulant, 784),
        (StructuredFamily::HankelLike, 2 * 784),
        (StructuredFamily::VandermondeLike, 3 * 784),
        (StructuredFamily::LdrSd, 2 * 784 + 2 * 783),
        (StructuredFamily::LdrTd, 2 * 784 + 2 * (3 * 784 - 2)),
    ] {
        assert_eq!(count(family, 1, 784), matrix + 784 + classifier, "{family}");
    }
}

#[test]
fn structured_mlp_classifies_images_of_the_right_size_and_rejects_others() {
    let vs = VarStore::new(Device::Cpu);
    let cfg = StructuredMlpConfig::new(StructuredFamily::LdrSd, 2, 64, 3);
    let model = StructuredMlp::new(vs.root(), &cfg).unwrap();
    let x = Tensor::randn([5, 1, 8, 8], (Kind::Float, Device::Cpu));
    assert_eq!(model.forward_t(&x, true).size(), [5, 3]);
    // Logits = classifier(ReLU(hidden(x))).
    let hidden = model
        .hidden()
        .f_forward(&x.reshape([5, 64]))
        .unwrap()
        .relu();
    let vars = vs.variables();
    let expected = hidden.matmul(&vars["logits.weight"].tr()) + &vars["logits.bias"];
    let err = (model.f_forward(&x).unwrap() - expected)
        .abs()
        .max()
        .double_value(&[]);
    assert!(err < 1e-5, "{err}");
    let wrong = Tensor::randn([5, 1, 7, 7], (Kind::Float, Device::Cpu));
    assert!(matches!(
        model.f_forward(&wrong),
        Err(NnError::ShapeMismatch {
            expected: 64,
            got: 49,
            ..
        })
    ));
    let no_classes = StructuredMlpConfig::new(StructuredFamily::LdrSd, 2, 64, 0);
    assert!(matches!(
        StructuredMlp::new(vs.root(), &no_classes),
        Err(NnError::InvalidConfig(_))
    ));
}

#[test]
fn family_names_round_trip_and_bad_configs_are_typed_errors() {
    for family in StructuredFamily::ALL {
        assert_eq!(
            family.to_string().parse::<StructuredFamily>().unwrap(),
            family
        );
        assert_eq!(
            family.class_type().parse::<StructuredFamily>().unwrap(),
            family
        );
    }
    let err = "toeplitz-ish".parse::<StructuredFamily>().unwrap_err();
    assert!(err.to_string().contains("toeplitz-like"), "{err}");
    let vs = VarStore::new(Device::Cpu);
    let bad = [
        StructuredConfig::new(StructuredFamily::ToeplitzLike, 0, 1),
        StructuredConfig::new(StructuredFamily::LdrTd, 8, 0),
    ];
    for cfg in bad {
        assert!(matches!(
            StructuredLinear::new(vs.root(), cfg),
            Err(NnError::InvalidConfig(_))
        ));
    }
    // Families without a rank ignore it.
    assert!(StructuredLinear::new(
        vs.root() / "c",
        StructuredConfig::new(StructuredFamily::Circulant, 8, 0)
    )
    .is_ok());
    let layer = StructuredLinear::new(
        vs.root() / "t",
        StructuredConfig::new(StructuredFamily::ToeplitzLike, 8, 1),
    )
    .unwrap();
    let x = Tensor::randn([2, 9], (Kind::Float, Device::Cpu));
    assert!(matches!(
        layer.f_forward(&x),
        Err(NnError::ShapeMismatch {
            expected: 8,
            got: 9,
            ..
        })
    ));
}

/// The outputs structured-nets records for its own Toeplitz products
/// (`pytorch/structure/toeplitz.py`, `test_toeplitz_mult`: `G = H = v`, inputs `u`), with the
/// Hankel-like layer's output the reversed corner product.
#[test]
fn toeplitz_and_hankel_layers_reproduce_structured_nets_recorded_outputs() {
    let v = Tensor::from_slice(&[0.0, 1.0, 0.0, -1.0, 0.0, 1.0, 2.0, 3.0]).view([2, 4]);
    let u = Tensor::from_slice(&[1.0, 1.0, 1.0, 1.0, 0.0, 1.0, 2.0, 3.0]).view([2, 4]);
    let cases: [(StructuredFamily, [f64; 8]); 2] = [
        (
            StructuredFamily::ToeplitzLike,
            [0., 6., 16., 26., 0., 12., 38., 66.],
        ),
        (
            StructuredFamily::HankelLike,
            [16., -4., -20., -16., 64., 12., -8., 16.],
        ),
    ];
    for (family, expected) in cases {
        let mut vs = VarStore::new(Device::Cpu);
        let layer = StructuredLinear::new(vs.root(), StructuredConfig::new(family, 4, 2)).unwrap();
        vs.set_kind(Kind::Double);
        tch::no_grad(|| {
            let vars = vs.variables();
            vars["G"].shallow_clone().copy_(&v);
            vars["H"].shallow_clone().copy_(&v);
        });
        let y = Vec::<f64>::try_from(layer.f_forward(&u).unwrap().reshape([-1])).unwrap();
        for (a, b) in y.iter().zip(expected) {
            assert!((a - b).abs() < 1e-9, "{family}: {y:?} vs {expected:?}");
        }
    }
}
