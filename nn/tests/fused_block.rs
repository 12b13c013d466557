//! The fused block (`gm_nn::model::fused_block`) against the same block composed of libtorch
//! operations (channel sum, `index_select` by the lowering's table, matmul, `layer_norm`,
//! `prelu`, add): values and every gradient, on random sizes, groups and slopes; and the
//! classifier with fused blocks against the classifier composed.

use gm_algebra::group::parse_group;
use gm_nn::lowering::{Lowering, Support};
use gm_nn::model::fused_block::{fused_block, LAYER_NORM_EPS};
use gm_nn::model::{Classifier, ClassifierConfig};
use proptest::prelude::*;
use tch::nn::{ModuleT, VarStore};
use tch::{Device, Kind, Tensor};

/// The block composed: `prelu(layer_norm(W·gather(Σ_i x_i) + bias)) + r`.
fn composed(
    x: &Tensor,
    r: &Tensor,
    w: &Tensor,
    bias: &Tensor,
    slope: &Tensor,
    table: &Tensor,
) -> Tensor {
    let (b, _, n) = x.size3().unwrap();
    let (o, _, k) = w.size3().unwrap();
    let g = x
        .sum_dim_intlist(1i64, false, None)
        .index_select(1, &table.view([-1]))
        .view([b, k, n]);
    let h = w.view([o, k]).matmul(&g) + bias.view([-1, 1]);
    h.layer_norm(
        [o, n],
        None::<&Tensor>,
        None::<&Tensor>,
        LAYER_NORM_EPS,
        true,
    )
    .prelu(slope)
        + r
}

/// `max|a − b|` over `max(max|b|, 1)`: relative for results of size 1 and more, absolute
/// below (a layer norm over one channel makes `∂L/∂W` vanish, up to rounding).
fn max_rel(a: &Tensor, b: &Tensor) -> f64 {
    let (a, b) = (a.to_kind(Kind::Double), b.to_kind(Kind::Double));
    let scale = b.abs().max().double_value(&[]).max(1.0);
    (a - &b).abs().max().double_value(&[]) / scale
}

/// Which residual the block adds.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Residual {
    /// A tensor of its own (a 1×1 convolution's output in the classifier).
    Given,
    /// The block's input (`r = x`, `C = O`; `None` to the fused block).
    Input,
}

/// Values and gradients of the fused block against the composed one in fp64 on the same
/// inputs, on `group` with `support`, `c → o` channels (`o = c` for [`Residual::Input`]),
/// batch `b`, PReLU slope `alpha`, activations in `kind`. In fp32 every error is below `tol`;
/// in bf16 below `tol` or twice the error of the block composed in bf16 (libtorch's bf16
/// operations, parameters cast to bf16 as the layers cast them), whichever is larger.
fn check(
    residual: Residual,
    group: &str,
    support: Support,
    (b, c, o): (i64, i64, i64),
    alpha: f64,
    kind: Kind,
    tol: f64,
) {
    let o = if residual == Residual::Input { c } else { o };
    let lowering = Lowering::new(parse_group(group).unwrap(), &support, Device::Cpu).unwrap();
    let (n, k) = (lowering.order() as i64, lowering.kernel_size() as i64);
    let opts = (Kind::Float, Device::Cpu);
    let x0 = Tensor::randn([b, c, n], opts).to_kind(kind);
    let r0 = Tensor::randn([b, o, n], opts).to_kind(kind);
    let w0 = Tensor::randn([o, 1, k], opts);
    let bias0 = Tensor::randn([o], opts);
    let slope0 = Tensor::from_slice(&[alpha as f32]);
    let dy = Tensor::randn([b, o, n], opts).to_kind(kind);
    // `None`: the fused block; `Some(kind)`: the composed block computing in `kind`.
    let run = |form: Option<Kind>| {
        let leaves: Vec<Tensor> = [&x0, &r0, &w0, &bias0, &slope0]
            .iter()
            .map(|t| t.copy().set_requires_grad(true))
            .collect();
        let [x, r, w, bias, slope] = &leaves[..] else {
            unreachable!()
        };
        let r = if residual == Residual::Input { x } else { r };
        let y = match form {
            None => {
                let given = (residual == Residual::Given).then_some(r);
                fused_block(x, given, w, bias, slope, lowering.table()).unwrap()
            }
            Some(kind) => {
                let cast = |t: &Tensor| t.to_kind(kind);
                composed(
                    &cast(x),
                    &cast(r),
                    &cast(w),
                    &cast(bias),
                    &cast(slope),
                    lowering.table(),
                )
            }
        };
        (y.to_kind(Kind::Double) * dy.to_kind(Kind::Double))
            .sum(Kind::Double)
            .backward();
        let mut out = vec![y.to_kind(Kind::Double)];
        for t in &leaves {
            let g = t.grad();
            // r's own leaf has no gradient when the residual is the input.
            out.push(if g.defined() {
                g.to_kind(Kind::Double)
            } else {
                t.zeros_like()
            });
        }
        out
    };
    let (fused, reference) = (run(None), run(Some(Kind::Double)));
    let composed_in_kind = (kind != Kind::Float).then(|| run(Some(kind)));
    for (i, name) in ["y", "dx", "dr", "dW", "dbias", "dslope"]
        .iter()
        .enumerate()
    {
        let err = max_rel(&fused[i], &reference[i]);
        let bound = composed_in_kind
            .as_ref()
            .map_or(tol, |c| tol.max(2.0 * max_rel(&c[i], &reference[i])));
        assert!(
            err < bound,
            "{name}: relative error {err:e} (bound {bound:e}) on {group} {support:?} {residual:?} b={b} c={c} o={o} \
             alpha={alpha} {kind:?}"
        );
    }
}

#[test]
fn fused_block_equals_the_composed_block_on_cyclic_and_dihedral_grids() {
    tch::manual_seed(1);
    let (given, input) = (Residual::Given, Residual::Input);
    let f32 = Kind::Float;
    check(
        given,
        "C8xC8",
        Support::Radius(1),
        (3, 4, 5),
        0.25,
        f32,
        1e-5,
    );
    check(
        given,
        "D6xD6",
        Support::Radius(2),
        (2, 1, 7),
        -0.5,
        f32,
        1e-5,
    );
    check(
        input,
        "D6xD6",
        Support::Radius(1),
        (3, 4, 4),
        -0.5,
        f32,
        1e-5,
    );
    check(
        given,
        "C32xC32",
        Support::Radius(3),
        (4, 3, 6),
        0.25,
        f32,
        1e-5,
    );
}

#[test]
fn fused_block_equals_the_composed_block_on_a_non_abelian_group() {
    tch::manual_seed(2);
    let support = Support::Elements(vec![0, 3, 3, 7, 11, 23]); // a repeat: its taps add up
    check(
        Residual::Given,
        "S4",
        support.clone(),
        (5, 2, 3),
        1.5,
        Kind::Float,
        1e-5,
    );
    check(
        Residual::Input,
        "S4",
        support,
        (5, 3, 3),
        1.5,
        Kind::Float,
        1e-5,
    );
}

/// bf16 activations: the fused block is as accurate as the block composed of libtorch's bf16
/// operations (both measured against fp64 on the same bf16 inputs).
#[test]
fn fused_block_in_bf16_is_as_accurate_as_the_composed_block_in_bf16() {
    tch::manual_seed(3);
    let bf16 = Kind::BFloat16;
    check(
        Residual::Given,
        "C8xC8",
        Support::Radius(1),
        (3, 4, 5),
        0.25,
        bf16,
        1e-2,
    );
    check(
        Residual::Input,
        "C8xC8",
        Support::Radius(1),
        (3, 4, 4),
        0.25,
        bf16,
        1e-2,
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(12))]

    /// Random grids, supports, sizes (batches that do not divide among the threads
    /// included), residuals and slopes of both signs.
    #[test]
    fn fused_block_equals_the_composed_block_on_random_sizes(
        dihedral in any::<bool>(),
        identity in any::<bool>(),
        side in 3usize..9,
        t in 0usize..2,
        b in 1i64..6,
        c in 1i64..5,
        o in 1i64..6,
        alpha in -2.0f64..2.0,
        seed in 0i64..1000,
    ) {
        tch::manual_seed(seed);
        let axis = if dihedral { format!("D{side}") } else { format!("C{side}") };
        let residual = if identity { Residual::Input } else { Residual::Given };
        let group = format!("{axis}x{axis}");
        check(residual, &group, Support::Radius(t), (b, c, o), alpha, Kind::Float, 1e-5);
    }
}

#[test]
fn fused_block_reports_bad_shapes_as_errors() {
    let g = parse_group("C4").unwrap();
    let lowering = Lowering::new(g, &Support::Elements(vec![0, 1]), Device::Cpu).unwrap();
    let x = Tensor::randn([2, 3, 4], (Kind::Float, Device::Cpu));
    let w = Tensor::randn([5, 1, 2], (Kind::Float, Device::Cpu));
    let bias = Tensor::zeros([5], (Kind::Float, Device::Cpu));
    let slope = Tensor::from_slice(&[0.25f32]);
    let bad_r = Tensor::randn([2, 4, 4], (Kind::Float, Device::Cpu));
    let err = fused_block(&x, Some(&bad_r), &w, &bias, &slope, lowering.table()).unwrap_err();
    assert!(err.to_string().contains("r must be (B, O, n)"), "{err}");
    // The identity residual needs C = O (3 ≠ 5 here).
    let err = fused_block(&x, None, &w, &bias, &slope, lowering.table()).unwrap_err();
    assert!(err.to_string().contains("identity residual"), "{err}");
    let x64 = x.to_kind(Kind::Double);
    let err = fused_block(&x64, None, &w, &bias, &slope, lowering.table()).unwrap_err();
    assert!(err.to_string().contains("fp32 or bf16"), "{err}");
}

/// The classifier with fused blocks against the same classifier (same weights) composed,
/// logits and every parameter's gradient, with a residual convolution (3 → 6 channels), an
/// identity residual, and a pool between the blocks.
#[test]
fn classifier_with_fused_blocks_equals_the_composed_classifier() {
    tch::manual_seed(4);
    let config = ClassifierConfig {
        group: parse_group("C8xC8").unwrap(),
        support: Support::Radius(1),
        in_channels: 3,
        channels: vec![6, 6, 6],
        dropout: 0.0,
        classes: 4,
        relaxed_rank: 0,
        pool_after: vec![1],
        ..ClassifierConfig::cifar10()
    };
    let vs = VarStore::new(Device::Cpu);
    let mut model = Classifier::new(vs.root(), &config).unwrap();
    assert_eq!(
        model.fused_on(Device::Cpu, Kind::Float),
        vec![true, true, true]
    );
    let x = Tensor::randn([5, 3, 8, 8], (Kind::Float, Device::Cpu));
    let y = Tensor::from_slice(&[0i64, 1, 2, 3, 0]);
    let mut run = |fused: bool| {
        model.set_fused_blocks(fused);
        for v in vs.trainable_variables() {
            let mut g = v.grad();
            if g.defined() {
                let _ = g.zero_();
            }
        }
        let logits = model.forward_t(&x, true);
        logits.cross_entropy_for_logits(&y).backward();
        let mut out = vec![logits.detach()];
        let mut vars: Vec<_> = vs.variables().into_iter().collect();
        vars.sort_by(|a, b| a.0.cmp(&b.0));
        out.extend(vars.iter().map(|(_, v)| v.grad().copy()));
        out
    };
    let (fused, composed) = (run(true), run(false));
    assert!(!model.fused_on(Device::Cpu, Kind::Float)[0]);
    for (a, e) in fused.iter().zip(&composed) {
        let err = max_rel(a, e);
        assert!(err < 1e-4, "relative error {err:e}");
    }
}
