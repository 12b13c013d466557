//! The rank-r relaxed GM convolution: dense form, the reference's two variants as special
//! cases, and its measured equivariance error.

use gm_algebra::FiniteGroup;
use gm_nn::conv::{ChannelMode, GMConvConfig, RelaxedGMConv};
use gm_nn::dense::ExportDense;
use gm_nn::lowering::{Lowering, Support};
use gm_nn::testing::{equivariance_error, regular_actions};
use tch::nn::VarStore;
use tch::{Device, Kind, Tensor};

mod common;
use common::{dense_oracle, max_abs, randn};

fn layer(
    vs: &VarStore,
    l: &Lowering,
    cin: usize,
    cout: usize,
    rank: usize,
    mode: ChannelMode,
) -> RelaxedGMConv {
    let config = GMConvConfig {
        mode,
        bias: false,
        ..Default::default()
    };
    RelaxedGMConv::new(vs.root(), cin, cout, rank, l, config).unwrap()
}

fn double_store() -> VarStore {
    let mut vs = VarStore::new(Device::Cpu);
    vs.set_kind(Kind::Double);
    vs
}

/// The dense oracle of one relaxed layer: `M_f + Σ_i diag(v_i) M_{u_i}` block by block.
fn relaxed_oracle(l: &Lowering, layer: &RelaxedGMConv, cin: usize) -> Tensor {
    relaxed_oracle_of(
        l,
        &layer.exact.weight,
        &layer.relax_kernel,
        &layer.relax_position,
        cin,
    )
}

/// The dense oracle of the parameters `f = weight`, `u = relax_kernel`, `v = relax_position`.
fn relaxed_oracle_of(
    l: &Lowering,
    weight: &Tensor,
    relax_kernel: &Tensor,
    relax_position: &Tensor,
    cin: usize,
) -> Tensor {
    let g = l.group();
    let n = g.order() as i64;
    let mut m = dense_oracle(g, l.support(), weight, cin);
    let o = weight.size()[0];
    for i in 0..relax_kernel.size()[0] {
        let mu = dense_oracle(g, l.support(), &relax_kernel.get(i), cin);
        // Row o·n + a is scaled by v_i[o, a].
        let v = relax_position.get(i).detach().reshape([o * n, 1]);
        m += mu * v;
    }
    m
}

/// `f_forward_with` applies the layer's group and support to parameters it does not own
/// (those of a Python module): the output is the dense form of *those* parameters, and the
/// gradients reach them, not the layer's own.
#[test]
fn external_parameters_give_their_dense_form_and_receive_the_gradients() {
    tch::manual_seed(15);
    let g = common::group("D3xC2");
    let n = g.order() as i64;
    let l = Lowering::new(g, &Support::Elements(vec![0, 1, 4, 7]), Device::Cpu).unwrap();
    for mode in [ChannelMode::Shared, ChannelMode::Full] {
        let vs = double_store();
        let own = layer(&vs, &l, 2, 3, 2, mode);
        let ext = |t: &Tensor| randn(&t.size()).set_requires_grad(true);
        let (w, u, v) = (
            ext(&own.exact.weight),
            ext(&own.relax_kernel),
            ext(&own.relax_position),
        );
        let bias = randn(&[3]).set_requires_grad(true);
        let x = randn(&[4, 2, n]);
        let y = own.f_forward_with(&x, &w, Some(&bias), &u, &v).unwrap();
        let oracle = x
            .view([4, 2 * n])
            .matmul(&relaxed_oracle_of(&l, &w, &u, &v, 2).tr())
            + bias.detach().repeat_interleave_self_int(n, 0, None);
        assert!(max_abs(&(y.view([4, 3 * n]) - oracle)) < 1e-12, "{mode:?}");
        // The rank-0 path goes through the exact layer's `f_forward_with`.
        let exact = layer(&vs, &l, 2, 3, 0, mode);
        let y0 = exact.f_forward_with(&x, &w, None, &u, &v).unwrap();
        let oracle0 = x
            .view([4, 2 * n])
            .matmul(&dense_oracle(l.group(), l.support(), &w, 2).tr());
        assert!(
            max_abs(&(y0.view([4, 3 * n]) - oracle0)) < 1e-12,
            "{mode:?}"
        );
        y.sum(None).backward();
        // ∂Σy/∂bias_o is the number of outputs of channel o: batch × n.
        assert!(max_abs(&(bias.grad() - (4 * n) as f64)) < 1e-12);
        for t in [&w, &u, &v] {
            assert!(t.grad().defined() && max_abs(&t.grad()) > 0.0);
        }
        for t in [&own.exact.weight, &own.relax_kernel, &own.relax_position] {
            assert!(!t.grad().defined());
        }
    }
}

#[test]
fn relaxed_layer_is_its_diagonal_form_on_every_family() {
    tch::manual_seed(11);
    for spec in common::FAMILIES {
        let g = common::group(spec);
        let n = g.order();
        let l = Lowering::new(
            g.clone(),
            &Support::Elements(vec![0, 1 % n, n - 1]),
            Device::Cpu,
        )
        .unwrap();
        for mode in [ChannelMode::Shared, ChannelMode::Full] {
            let vs = double_store();
            let r = layer(&vs, &l, 2, 3, 2, mode);
            tch::no_grad(|| {
                r.relax_position
                    .shallow_clone()
                    .copy_(&randn(&[2, 3, n as i64]))
            });
            let err = max_abs(&(r.export_dense().unwrap() - relaxed_oracle(&l, &r, 2)));
            assert!(err < 1e-12 * n as f64, "{spec} {mode:?}: {err}");
        }
    }
}

#[test]
fn rank_zero_and_zero_positions_are_exact() {
    tch::manual_seed(12);
    let g = common::group("D4xC3");
    let l = Lowering::new(g.clone(), &Support::Elements(vec![0, 1, 5, 9]), Device::Cpu).unwrap();
    let vs = double_store();
    let exact = layer(&vs, &l, 2, 2, 0, ChannelMode::Full);
    let fresh = layer(&vs, &l, 2, 2, 3, ChannelMode::Full); // positions start at 0
    tch::no_grad(|| {
        fresh
            .exact
            .weight
            .shallow_clone()
            .copy_(&exact.exact.weight)
    });
    let x = randn(&[2, 2, 24]);
    assert!(max_abs(&(exact.f_forward(&x).unwrap() - fresh.f_forward(&x).unwrap())) < 1e-12);
    let actions = regular_actions(&g, Device::Cpu).unwrap();
    assert!(equivariance_error(|x| fresh.f_forward(x), &x, &actions).unwrap() < 1e-12);
}

/// Reference variant (i), regression: `y = diag(e)·M_wᵀ·x` with a unit-norm `e` is the rank-1
/// form with `f = 0`, `u₁ = w̃` (i.e. `w` on the inverted support, since `M_wᵀ = M_{w̃}`),
/// `v₁ = e`.
#[test]
fn reference_regression_variant_is_rank_one_without_kernel() {
    tch::manual_seed(13);
    let g = common::group("C5xC4");
    let n = g.order();
    let support = vec![0, 1, 4, 7, 13];
    let inverted: Vec<usize> = support.iter().map(|&s| g.inv_idx(s)).collect();
    let l = Lowering::new(g.clone(), &Support::Elements(inverted), Device::Cpu).unwrap();
    let vs = double_store();
    let r = layer(&vs, &l, 1, 1, 1, ChannelMode::Shared);
    let w = randn(&[1, 1, 5]);
    let e = randn(&[n as i64]);
    let e = &e / e.norm();
    tch::no_grad(|| {
        let _ = r.exact.weight.shallow_clone().zero_();
        r.relax_kernel.shallow_clone().copy_(&w.unsqueeze(0));
        r.relax_position.shallow_clone().copy_(&e.view([1, 1, -1]));
    });
    let m_w = dense_oracle(&g, &support, &w, 1);
    let expected = e.view([-1, 1]) * m_w.tr();
    assert!(max_abs(&(r.export_dense().unwrap() - expected)) < 1e-12);
}

/// Reference variant (ii), classification: a learned kernel `E_o` added at one central
/// position `a*` is the rank-1 form with `u₁ = E`, `v₁ = δ_{a*}` (fixed).
#[test]
fn reference_classification_variant_is_rank_one_at_one_position() {
    tch::manual_seed(14);
    let g = common::group("D3xD3");
    let n = g.order() as i64;
    let l = Lowering::new(g.clone(), &Support::Radius(1), Device::Cpu).unwrap();
    let vs = double_store();
    let r = layer(&vs, &l, 1, 2, 1, ChannelMode::Shared);
    let centre = n / 2;
    let delta = Tensor::zeros([2, n], (Kind::Double, Device::Cpu));
    let _ = delta.narrow(1, centre, 1).fill_(1.0);
    tch::no_grad(|| r.relax_position.shallow_clone().copy_(&delta.unsqueeze(0)));
    let m_w = dense_oracle(&g, l.support(), &r.exact.weight, 1);
    let m_e = dense_oracle(&g, l.support(), &r.relax_kernel.get(0), 1);
    // M_w plus, in each output channel's row a*, the row of M_E.
    let expected = m_w.copy();
    for o in 0..2 {
        let row = o * n + centre;
        let _ = expected.get(row).g_add_(&m_e.get(row));
    }
    assert!(max_abs(&(r.export_dense().unwrap() - expected)) < 1e-12);
}

#[test]
fn relaxed_layers_are_measurably_not_equivariant() {
    tch::manual_seed(15);
    for spec in ["C6xC6", "D4xD4", "p4(3)"] {
        let g = common::group(spec);
        let n = g.order() as i64;
        let l =
            Lowering::new(g.clone(), &Support::Elements(vec![0, 1, 2, 3]), Device::Cpu).unwrap();
        let vs = VarStore::new(Device::Cpu);
        let r = layer(&vs, &l, 2, 2, 1, ChannelMode::Full);
        tch::no_grad(|| {
            r.relax_position
                .shallow_clone()
                .copy_(&(Tensor::randn([1, 2, n], (Kind::Float, Device::Cpu)) * 0.1))
        });
        let x = Tensor::randn([2, 2, n], (Kind::Float, Device::Cpu));
        let err = equivariance_error(
            |x| r.f_forward(x),
            &x,
            &regular_actions(&g, Device::Cpu).unwrap(),
        )
        .unwrap();
        eprintln!("relaxed rank-1 layer on {spec}, |v| ~ 0.1: equivariance error {err:.3e}");
        assert!(err > 1e-3, "{spec}: {err}");
    }
}
