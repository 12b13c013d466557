//! The fused blocks (`gm_nn::model::fused_block`) against the same blocks composed of
//! libtorch operations (channel sum, `index_select` by the lowering's table, matmul,
//! `layer_norm` or the position vector's scaling, `prelu`, add): values and every gradient, on
//! random sizes, groups and slopes; and the classifier and the reference regression model
//! with fused blocks against the same models composed.

mod common;

use gm_algebra::group::parse_group;
use gm_nn::lowering::{Lowering, Support};
use gm_nn::model::fused_block::{fused_block, fused_scaled_block, LAYER_NORM_EPS};
use gm_nn::model::{
    Classifier, ClassifierConfig, FieldNet, ReferenceRegression, ReferenceRegressionConfig,
};
use proptest::prelude::*;
use tch::nn::{ModuleT, VarStore};
use tch::{Device, Kind, Tensor};

/// The block composed: `prelu(layer_norm(W·gather(Σ_i x_i) + bias)) + r`, or with a
/// position vector `e`, `prelu(e ⊙ (W·gather(Σ_i x_i)) + bias) + r`.
fn composed(x: &Tensor, r: &Tensor, p: &[Tensor], e: Option<&Tensor>, table: &Tensor) -> Tensor {
    let [w, bias, slope] = p else { unreachable!() };
    let (b, _, n) = x.size3().unwrap();
    let (o, _, k) = w.size3().unwrap();
    let g = x
        .sum_dim_intlist(1i64, false, None)
        .index_select(1, &table.view([-1]))
        .view([b, k, n]);
    let c = w.view([o, k]).matmul(&g);
    let h = match e {
        Some(e) => c * e + bias.view([-1, 1]),
        None => (c + bias.view([-1, 1])).layer_norm(
            [o, n],
            None::<&Tensor>,
            None::<&Tensor>,
            LAYER_NORM_EPS,
            true,
        ),
    };
    h.prelu(slope) + r
}

/// `max|a − b|` over `max(max|b|, 1)`: relative for results of size 1 and more, absolute
/// below (a layer norm over one channel makes `∂L/∂W` vanish, up to rounding).
fn max_rel(a: &Tensor, b: &Tensor) -> f64 {
    let (a, b) = (a.to_kind(Kind::Double), b.to_kind(Kind::Double));
    let scale = b.abs().max().double_value(&[]).max(1.0);
    (a - &b).abs().max().double_value(&[]) / scale
}

/// Which block.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Block {
    /// The classifier's, with the layer norm ([`fused_block`]).
    Classifier,
    /// The reference regression model's, with a position vector ([`fused_scaled_block`]).
    Regression,
}

/// Which residual the block adds.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Residual {
    /// A tensor of its own (a 1×1 convolution's output in the models).
    Given,
    /// The block's input (`r = x`, `C = O`; `None` to the fused block).
    Input,
}

/// One comparison: `block` on `group` with `support`, sizes `(B, C, O)` (`O = C` for
/// [`Residual::Input`]), PReLU slope `alpha`, activations in `kind`.
#[derive(Debug, Clone)]
struct Case {
    block: Block,
    residual: Residual,
    group: String,
    support: Support,
    sizes: (i64, i64, i64),
    alpha: f64,
    kind: Kind,
    /// The floor of the relative error in [`Case::check`].
    floor: f64,
}

impl Case {
    /// The classifier's block with a given residual, slope 0.25, in fp32.
    fn new(group: &str, support: Support, sizes: (i64, i64, i64)) -> Self {
        Self {
            block: Block::Classifier,
            residual: Residual::Given,
            group: group.into(),
            support,
            sizes,
            alpha: 0.25,
            kind: Kind::Float,
            floor: 1e-5,
        }
    }

    /// An fp32 floor of 1e-4 instead of 1e-5, for random sizes: the parameter gradients are
    /// sums whose terms can cancel to a result much smaller than themselves, and fp32 rounding
    /// of the terms (in the fused and in the composed block alike) is then larger relative to
    /// the result; seen up to 5e-5 in 1,500 random cases.
    fn random_sizes(self) -> Self {
        Self {
            floor: 1e-4,
            ..self
        }
    }

    fn regression(self) -> Self {
        Self {
            block: Block::Regression,
            ..self
        }
    }

    fn identity(self) -> Self {
        Self {
            residual: Residual::Input,
            ..self
        }
    }

    fn alpha(self, alpha: f64) -> Self {
        Self { alpha, ..self }
    }

    fn bf16(self) -> Self {
        Self {
            kind: Kind::BFloat16,
            ..self
        }
    }

    /// The relative errors ([`max_rel`]) of the fused block and of the block composed of
    /// libtorch's operations in the case's precision (parameters cast as the layers cast
    /// them), both against the block composed in fp64 on the same inputs, for each of
    /// [`QUANTITIES`]: `None` where the block has no such gradient (`r` is the input, or no
    /// position vector). Draws the inputs from libtorch's generator: hold
    /// [`common::seeded`]. The parameters and `dy` are drawn representable in the case's
    /// precision, so that the fp64 block sees the very inputs the other two compute on and
    /// the errors are their own rounding alone.
    fn errors(&self) -> Errors {
        let (b, c, o) = self.sizes;
        let o = if self.residual == Residual::Input {
            c
        } else {
            o
        };
        let g = parse_group(&self.group).unwrap();
        let lowering = Lowering::new(g, &self.support, Device::Cpu).unwrap();
        let (n, k) = (lowering.order() as i64, lowering.kernel_size() as i64);
        let opts = (Kind::Float, Device::Cpu);
        let representable = |t: Tensor| t.to_kind(self.kind).to_kind(Kind::Float);
        let inputs = [
            Tensor::randn([b, c, n], opts).to_kind(self.kind),
            Tensor::randn([b, o, n], opts).to_kind(self.kind),
            representable(Tensor::randn([o, 1, k], opts)),
            representable(Tensor::randn([o], opts)),
            representable(Tensor::from_slice(&[self.alpha as f32])),
            representable(Tensor::randn([n], opts)),
        ];
        let dy = representable(Tensor::randn([b, o, n], opts)).to_kind(Kind::Double);
        let given = self.residual == Residual::Given;
        // `None`: the fused block; `Some(kind)`: the composed block computing in `kind`.
        let run = |form: Option<Kind>| {
            let leaves: Vec<Tensor> = inputs
                .iter()
                .map(|t| t.copy().set_requires_grad(true))
                .collect();
            let [x, r, w, bias, slope, e] = &leaves[..] else {
                unreachable!()
            };
            let r = if given { r } else { x };
            let table = lowering.table();
            let y = match (form, self.block) {
                (None, Block::Classifier) => {
                    fused_block(x, given.then_some(r), w, bias, slope, table).unwrap()
                }
                (None, Block::Regression) => {
                    fused_scaled_block(x, given.then_some(r), w, e, bias, slope, table).unwrap()
                }
                (Some(kind), block) => {
                    let cast = |t: &Tensor| t.to_kind(kind);
                    let params = [cast(w), cast(bias), cast(slope)];
                    let e = (block == Block::Regression).then(|| cast(e));
                    composed(&cast(x), &cast(r), &params, e.as_ref(), table)
                }
            };
            (y.to_kind(Kind::Double) * &dy).sum(Kind::Double).backward();
            let mut out = vec![y.to_kind(Kind::Double)];
            // r's own leaf has no gradient when the residual is the input, nor e's in the
            // classifier's block (both `None` below).
            out.extend(leaves.iter().map(|t| {
                let g = t.grad();
                let g = if g.defined() { g } else { t.zeros_like() };
                g.to_kind(Kind::Double)
            }));
            out
        };
        let (fused, reference) = (run(None), run(Some(Kind::Double)));
        let composed_in_kind = run(Some(self.kind));
        let defined = |q: usize| match QUANTITIES[q] {
            "dr" => given,
            "de" => self.block == Block::Regression,
            _ => true,
        };
        let errors = |form: &[Tensor]| -> Vec<Option<f64>> {
            (0..QUANTITIES.len())
                .map(|q| defined(q).then(|| max_rel(&form[q], &reference[q])))
                .collect()
        };
        Errors {
            fused: errors(&fused),
            composed: errors(&composed_in_kind),
        }
    }

    /// One draw in fp32: every relative error of the fused block is below a floor (1e-5
    /// unless [`Case::random_sizes`]) or below four times the composed fp32 block's error,
    /// whichever is larger. The second bound matters where rounding is all there is: with
    /// one output channel the layer norm makes `∂L/∂W` vanish, and both forms return
    /// rounding noise of the size of the cancelling terms.
    fn check(&self) {
        assert_eq!(self.kind, Kind::Float, "bf16 is checked over many draws");
        let errors = self.errors();
        for (q, name) in QUANTITIES.iter().enumerate() {
            let (Some(err), Some(composed)) = (errors.fused[q], errors.composed[q]) else {
                continue;
            };
            let bound = self.floor.max(4.0 * composed);
            assert!(
                err < bound,
                "{name}: relative error {err:e} (bound {bound:e}) in {self:?}"
            );
        }
    }
}

/// The quantities [`Case::errors`] compares: the output and the gradients of `x`, `r`, `W`,
/// `bias`, `α` and `e`.
const QUANTITIES: [&str; 7] = ["y", "dx", "dr", "dW", "dbias", "dslope", "de"];

/// One draw's relative errors against fp64, per quantity of [`QUANTITIES`].
struct Errors {
    fused: Vec<Option<f64>>,
    composed: Vec<Option<f64>>,
}

/// The median of `values` (not empty).
fn median(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    let m = values.len() / 2;
    if values.len() % 2 == 1 {
        values[m]
    } else {
        (values[m - 1] + values[m]) / 2.0
    }
}

#[test]
fn fused_block_equals_the_composed_block_on_cyclic_and_dihedral_grids() {
    let _rng = common::seeded(1);
    Case::new("C8xC8", Support::Radius(1), (3, 4, 5)).check();
    Case::new("D6xD6", Support::Radius(2), (2, 1, 7))
        .alpha(-0.5)
        .check();
    Case::new("D6xD6", Support::Radius(1), (3, 4, 4))
        .identity()
        .alpha(-0.5)
        .check();
    Case::new("C32xC32", Support::Radius(3), (4, 3, 6)).check();
}

#[test]
fn fused_block_equals_the_composed_block_on_a_non_abelian_group() {
    let _rng = common::seeded(2);
    let support = Support::Elements(vec![0, 3, 3, 7, 11, 23]); // a repeat: its taps add up
    Case::new("S4", support.clone(), (5, 2, 3))
        .alpha(1.5)
        .check();
    Case::new("S4", support, (5, 3, 3)).identity().check();
}

#[test]
fn fused_scaled_block_equals_the_composed_block() {
    let _rng = common::seeded(5);
    Case::new("C8xC8", Support::Radius(1), (3, 20, 6))
        .regression()
        .check();
    Case::new("D5xD5", Support::Radius(1), (2, 6, 6))
        .regression()
        .identity()
        .alpha(-0.5)
        .check();
    Case::new("S4", Support::Elements(vec![0, 5, 9]), (4, 2, 3))
        .regression()
        .alpha(1.5)
        .check();
}

/// bf16 activations: the fused blocks are as accurate as the blocks composed of libtorch's
/// bf16 operations, both measured against fp64 on the same inputs. One draw says little:
/// the gradients are sums whose terms can cancel to a result far smaller than themselves,
/// and then either form's error, relative to the result, can be hundreds of times the
/// other's (seen both ways in 1,600 draws). The claims are over 48 draws of each of the four
/// blocks: every output is within 2⁻⁶ of the largest (no cancellation: the layer norm or the
/// bias sets its size), and for each quantity the median error of the fused blocks is at most
/// 1.5 times the composed blocks' median. In 3,000 resamplings of 4 × 48 out of 1,200 draws
/// the ratio stayed below 1.13; scaling the `z·mean(dz·z)` term of the layer norm's backward
/// by 0.9 makes it 1.75 for `dx`, dropping it 11.
#[test]
fn fused_blocks_in_bf16_are_as_accurate_as_the_composed_blocks_in_bf16() {
    let base = Case::new("C8xC8", Support::Radius(1), (3, 4, 5)).bf16();
    let cases = [
        base.clone(),
        base.clone().identity(),
        base.clone().regression(),
        base.regression().identity(),
    ];
    let mut fused = vec![Vec::new(); QUANTITIES.len()];
    let mut composed = fused.clone();
    for (i, case) in cases.iter().enumerate() {
        for draw in 0..48 {
            let errors = {
                let _rng = common::seeded(1000 * i as i64 + draw);
                case.errors()
            };
            let y = errors.fused[0].unwrap();
            assert!(
                y < 2f64.powi(-6),
                "y: relative error {y:e} in draw {draw} of {case:?}"
            );
            for q in 0..QUANTITIES.len() {
                fused[q].extend(errors.fused[q]);
                composed[q].extend(errors.composed[q]);
            }
        }
    }
    for (q, name) in QUANTITIES.iter().enumerate() {
        let (f, c) = (median(&mut fused[q]), median(&mut composed[q]));
        assert!(
            f <= 1.5 * c,
            "{name}: median relative error {f:e} fused, {c:e} composed, over {} draws",
            fused[q].len()
        );
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(16))]

    /// Random grids, supports, sizes (batches that do not divide among the threads
    /// included), blocks, residuals and slopes of both signs.
    #[test]
    fn fused_blocks_equal_the_composed_blocks_on_random_sizes(
        dihedral in any::<bool>(),
        identity in any::<bool>(),
        regression in any::<bool>(),
        side in 3usize..9,
        t in 0usize..2,
        // At least two channels on each side: a layer norm over one output channel makes
        // ∂L/∂W vanish identically, leaving only rounding noise to compare (the fixed cases
        // above cover one input channel).
        sizes in (1i64..6, 2i64..5, 2i64..6),
        alpha in -2.0f64..2.0,
        seed in 0i64..1000,
    ) {
        let _rng = common::seeded(seed);
        let axis = if dihedral { format!("D{side}") } else { format!("C{side}") };
        let group = format!("{axis}x{axis}");
        let mut case = Case::new(&group, Support::Radius(t), sizes).alpha(alpha).random_sizes();
        if identity {
            case = case.identity();
        }
        if regression {
            case = case.regression();
        }
        case.check();
    }
}

#[test]
fn fused_blocks_report_bad_shapes_as_errors() {
    let _rng = common::seeded(8); // every test of this file that draws holds the lock
    let g = parse_group("C4").unwrap();
    let lowering = Lowering::new(g, &Support::Elements(vec![0, 1]), Device::Cpu).unwrap();
    let table = lowering.table();
    let x = Tensor::randn([2, 3, 4], (Kind::Float, Device::Cpu));
    let w = Tensor::randn([5, 1, 2], (Kind::Float, Device::Cpu));
    let bias = Tensor::zeros([5], (Kind::Float, Device::Cpu));
    let slope = Tensor::from_slice(&[0.25f32]);
    let bad_r = Tensor::randn([2, 4, 4], (Kind::Float, Device::Cpu));
    let err = fused_block(&x, Some(&bad_r), &w, &bias, &slope, table).unwrap_err();
    assert!(err.to_string().contains("r must be (B, O, n)"), "{err}");
    // The identity residual needs C = O (3 ≠ 5 here).
    let err = fused_block(&x, None, &w, &bias, &slope, table).unwrap_err();
    assert!(err.to_string().contains("identity residual"), "{err}");
    let x64 = x.to_kind(Kind::Double);
    let err = fused_block(&x64, None, &w, &bias, &slope, table).unwrap_err();
    assert!(err.to_string().contains("fp32 or bf16"), "{err}");
    let r = Tensor::randn([2, 5, 4], (Kind::Float, Device::Cpu));
    let short = Tensor::ones([3], (Kind::Float, Device::Cpu));
    let err = fused_scaled_block(&x, Some(&r), &w, &short, &bias, &slope, table).unwrap_err();
    assert!(err.to_string().contains("position vector"), "{err}");
}

/// Zeroes the gradients of `vs`'s variables, runs `pass` (a forward pass whose loss it
/// differentiates, returning the output), and returns the output and every variable's
/// gradient in name order.
fn output_and_gradients(vs: &VarStore, pass: impl FnOnce() -> Tensor) -> Vec<Tensor> {
    for v in vs.trainable_variables() {
        let mut g = v.grad();
        if g.defined() {
            let _ = g.zero_();
        }
    }
    let mut out = vec![pass().detach()];
    let mut vars: Vec<_> = vs.variables().into_iter().collect();
    vars.sort_by(|a, b| a.0.cmp(&b.0));
    out.extend(vars.iter().map(|(_, v)| v.grad().copy()));
    out
}

/// Runs `pass(true)` and `pass(false)` (each sets the model's blocks fused or composed, runs a
/// forward pass, differentiates its loss and returns the output) on the same variables, and
/// asserts that the outputs and every variable's gradient agree.
fn assert_fused_equals_composed(vs: &VarStore, mut pass: impl FnMut(bool) -> Tensor) {
    let fused = output_and_gradients(vs, || pass(true));
    let composed = output_and_gradients(vs, || pass(false));
    assert_close(&fused, &composed);
}

fn assert_close(fused: &[Tensor], composed: &[Tensor]) {
    for (a, e) in fused.iter().zip(composed) {
        let err = max_rel(a, e);
        assert!(err < 1e-4, "relative error {err:e}");
    }
}

/// The classifier with fused blocks against the same classifier (same weights) composed,
/// logits and every parameter's gradient, with a residual convolution (3 → 6 channels), an
/// identity residual, and a pool between the blocks.
#[test]
fn classifier_with_fused_blocks_equals_the_composed_classifier() {
    let _rng = common::seeded(4);
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
    assert_eq!(model.fused_on(Device::Cpu, Kind::Float), vec![true; 3]);
    let x = Tensor::randn([5, 3, 8, 8], (Kind::Float, Device::Cpu));
    let y = Tensor::from_slice(&[0i64, 1, 2, 3, 0]);
    assert_fused_equals_composed(&vs, |fused| {
        model.set_fused_blocks(fused);
        let logits = model.forward_t(&x, true);
        logits.cross_entropy_for_logits(&y).backward();
        logits
    });
    assert_eq!(model.fused_on(Device::Cpu, Kind::Float), vec![false; 3]);
}

/// The reference regression model (two blocks: the first with the input's 1×1 convolution as
/// its skip, the second with its own input) fused against composed: the output of a two-step
/// rollout in training mode (which projects the parameters first) and every parameter's
/// gradient.
#[test]
fn reference_regression_with_fused_blocks_equals_the_composed_model() {
    let _rng = common::seeded(6);
    let config = ReferenceRegressionConfig {
        group: parse_group("C8xC8").unwrap(),
        hidden: 6,
        ..Default::default()
    };
    let vs = VarStore::new(Device::Cpu);
    let mut model = ReferenceRegression::new(vs.root(), &config).unwrap();
    assert_eq!(model.fused_on(Device::Cpu, Kind::Float), vec![true; 2]);
    let x = Tensor::randn([3, 20, 8, 8], (Kind::Float, Device::Cpu));
    assert_fused_equals_composed(&vs, |fused| {
        model.set_fused_blocks(fused);
        let first = model.forward_t(&x, true);
        let frames = Tensor::cat(&[x.narrow(1, 2, 18), first.shallow_clone()], 1);
        let second = model.forward_t(&frames, true);
        (first.square().sum(Kind::Float) + second.square().sum(Kind::Float)).backward();
        second
    });
    assert_eq!(model.fused_on(Device::Cpu, Kind::Float), vec![false; 2]);
}

/// A TorchScript trace of a classifier whose blocks fuse records the composed blocks (the
/// fused operation has no TorchScript form): the traced module computes the model's logits.
#[test]
fn a_traced_classifier_records_the_composed_blocks() {
    let _rng = common::seeded(7);
    let config = ClassifierConfig {
        group: parse_group("C8xC8").unwrap(),
        support: Support::Radius(1),
        in_channels: 3,
        channels: vec![6, 6],
        classes: 4,
        ..ClassifierConfig::cifar10()
    };
    let mut vs = VarStore::new(Device::Cpu);
    let model = Classifier::new(vs.root(), &config).unwrap();
    // A trace holds the weights as constants, which must not require gradients (as in
    // `gm export`).
    vs.freeze();
    assert_eq!(model.fused_on(Device::Cpu, Kind::Float), vec![true; 2]);
    let x = Tensor::randn([5, 3, 8, 8], (Kind::Float, Device::Cpu));
    let expected = model.forward_t(&x, false);
    let traced =
        tch::CModule::create_by_tracing("Classifier", "forward", &[x.shallow_clone()], &mut |xs| {
            vec![model.forward_t(&xs[0], false)]
        })
        .unwrap();
    // Another input of the traced shape (a trace records the batch size).
    let other = Tensor::randn([5, 3, 8, 8], (Kind::Float, Device::Cpu));
    assert_close(&[traced.forward_ts(&[&x]).unwrap()], &[expected]);
    assert_close(
        &[traced.forward_ts(&[&other]).unwrap()],
        &[model.forward_t(&other, false)],
    );
}
