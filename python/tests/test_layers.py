"""The GM layers as torch modules: equal to the layers built with gm-nn's Rust API and to a
dense NumPy oracle, equivariant, with gradients checked by torch.autograd.gradcheck."""

import numpy as np
import pytest
import torch

import gm_torch
from gm_torch import CosetPool, GMConv, Group, InvariantPool, Lift, RelaxedGMConv, SubgroupPool

# (spec, support keyword): radius supports on grids, element and ball supports elsewhere.
LAYOUTS = [
    ("C6xC6", {"radius": 1}),
    ("D4xD4", {"radius": 1}),
    ("S4", {"support": [0, 1, 5, 9]}),
    ("Q8xC3", {"ball": 1}),
]


def _layer(spec, support, rank, mode, bias=True, cin=2, cout=3):
    if rank == 0:
        return GMConv(spec, cin, cout, mode=mode, bias=bias, **support)
    return RelaxedGMConv(spec, cin, cout, rank, mode=mode, bias=bias, **support)


@pytest.mark.parametrize("spec,support", LAYOUTS)
@pytest.mark.parametrize("rank", [0, 2])
@pytest.mark.parametrize("mode", ["shared", "full"])
def test_python_layer_equals_the_rust_layer(spec, support, rank, mode):
    layer = _layer(spec, support, rank, mode).double()
    x = torch.randn(4, 2, layer.group.order, dtype=torch.float64)
    params, y_rust = gm_torch._native.rust_conv_layer(layer._core, x)
    assert sorted(dict(layer.named_parameters())) == [name for name, _ in params]
    layer.load_state_dict(dict(params))
    assert torch.allclose(layer(x), y_rust, rtol=0, atol=1e-12)


@pytest.mark.parametrize("rank", [0, 1])
def test_initialisation_is_gm_nn_s_from_torch_s_generator(rank):
    spec, support = LAYOUTS[0]
    torch.manual_seed(5)
    layer = _layer(spec, support, rank, "shared")
    torch.manual_seed(5)
    params, _ = gm_torch._native.rust_conv_layer(layer._core, torch.zeros(1, 2, layer.group.order))
    for name, value in params:
        if name != "relax_position":  # the Rust helper randomises it after construction
            assert torch.equal(getattr(layer, name).detach(), value), name
    assert rank == 0 or not layer.relax_position.detach().any()


def _dense_oracle(g, support, weight, cin):
    """Block (o, i) of the layer's matrix is M_{f_oi}, f_oi = Σ_k w[o,i,k]·δ_{s_k}."""
    n, (o, wi, k) = g.order, weight.shape
    m = np.zeros((o * n, cin * n))
    for oo in range(o):
        for i in range(cin):
            f = np.zeros(n)
            np.add.at(f, support, weight[oo, 0 if wi == 1 else i])
            m[oo * n:(oo + 1) * n, i * n:(i + 1) * n] = g.group_matrix(f)
    return m


@pytest.mark.parametrize("spec,support", LAYOUTS)
@pytest.mark.parametrize("mode", ["shared", "full"])
def test_layers_are_their_dense_group_matrices(spec, support, mode):
    g = Group(spec)
    n = g.order
    layer = _layer(spec, support, 2, mode).double()
    with torch.no_grad():
        layer.relax_position.normal_()
        layer.bias.normal_()
    s = np.asarray(layer.support)
    m = _dense_oracle(g, s, layer.weight.detach().numpy(), 2)
    for i in range(2):
        v = layer.relax_position.detach().numpy()[i].reshape(-1, 1)
        m += v * _dense_oracle(g, s, layer.relax_kernel.detach().numpy()[i], 2)
    x = torch.randn(5, 2, n, dtype=torch.float64)
    oracle = x.reshape(5, -1).numpy() @ m.T + np.repeat(layer.bias.detach().numpy(), n)
    assert np.abs(layer(x).detach().reshape(5, -1).numpy() - oracle).max() < 1e-10


@pytest.mark.parametrize("spec,support", LAYOUTS)
def test_exact_layer_commutes_with_the_group_action(spec, support):
    g = Group(spec)
    t, inv = g.multiplication_table(), g.inverses()
    layer = GMConv(spec, 2, 3, **support).double()
    x = torch.randn(3, 2, g.order, dtype=torch.float64)
    for u in g.generators():
        perm = torch.from_numpy(t[inv[u]])  # (λ(u)x)(g) = x(u⁻¹g)
        assert torch.allclose(layer(x[..., perm]), layer(x)[..., perm], atol=1e-12)


@pytest.mark.parametrize("rank", [0, 2])
@pytest.mark.parametrize("mode", ["shared", "full"])
def test_gradients_pass_gradcheck(rank, mode):
    spec, support = LAYOUTS[2]  # S4 (n = 24): gradcheck's cost grows with n²
    layer = _layer(spec, support, rank, mode, cin=2, cout=2).double()
    if rank:
        with torch.no_grad():
            layer.relax_position.normal_()
    x = torch.randn(2, 2, Group(spec).order, dtype=torch.float64, requires_grad=True)
    params = list(layer.parameters())

    def f(x, *ps):
        return torch.func.functional_call(layer, dict(zip(dict(layer.named_parameters()), ps)), (x,))

    assert torch.autograd.gradcheck(f, (x, *params))


def test_pools_and_lift_pass_gradcheck():
    g = Group("D4xC2")
    labels = g.coset_labels([g.generators()[0]])
    x = torch.randn(2, 3, g.order, dtype=torch.float64, requires_grad=True)
    assert torch.autograd.gradcheck(CosetPool(labels, "mean"), (x,))
    assert torch.autograd.gradcheck(SubgroupPool(g, [0, 2, 4, 6], [0, 1], "mean"), (x,))
    phi = torch.randn(2, 3, labels.max() + 1, dtype=torch.float64, requires_grad=True)
    assert torch.autograd.gradcheck(Lift(labels), (phi,))


def test_stride2_pool_is_2x2_max_pooling_on_the_grid():
    pool = SubgroupPool.stride2("C8xC8")
    assert pool.subgroup.spec == "C4xC4" and pool.output_size == 16
    x = torch.randn(2, 3, 64)
    expected = torch.nn.functional.max_pool2d(x.view(2, 3, 8, 8), 2).reshape(2, 3, 16)
    assert torch.equal(pool(x), expected)


def test_coset_pool_and_lift_follow_the_cosets():
    g = Group("D4xC2")
    labels = g.coset_labels([g.generators()[0]])
    x = torch.randn(2, 3, g.order)
    y = CosetPool(labels, "max")(x)
    for c in range(labels.max() + 1):
        assert torch.equal(y[..., c], x[..., torch.from_numpy(labels == c)].amax(-1))
    assert torch.equal(Lift(labels)(y), y[..., torch.from_numpy(labels)])
    assert torch.equal(InvariantPool("mean")(x), x.mean(-1))


def test_bad_arguments_raise_value_errors():
    with pytest.raises(ValueError, match="exactly one kernel support"):
        GMConv("C4", 1, 1, radius=1, support=[0])
    with pytest.raises(ValueError, match="channel mode"):
        GMConv("C4", 1, 1, radius=1, mode="diagonal")
    with pytest.raises(ValueError):  # a 3-element axis on a group of order 4
        GMConv("C4", 1, 1, radius=1)(torch.randn(2, 1, 3))
    with pytest.raises(ValueError, match="grid"):
        SubgroupPool.stride2("S4")
