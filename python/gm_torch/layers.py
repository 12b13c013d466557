"""GM layers as ``torch.nn.Module`` s.

Each module keeps its parameters as ``torch.nn.Parameter`` s (gm-nn's names, shapes and
initialisation) and hands them, with the input, to gm-nn's layer in the native extension on
every forward pass; the output carries the autograd graph of those libtorch operations, so
``backward`` reaches the parameters like any PyTorch layer's. The layers' index tables follow
the input's device (built there on its first forward pass).
"""

from __future__ import annotations

from typing import Optional, Sequence

import torch

from . import _native
from .group import Group, as_group


class _ConvBase(torch.nn.Module):
    def __init__(self, group, in_channels, out_channels, rank, support, radius, ball, mode,
                 bias, backend, batch_hint):
        super().__init__()
        self.group = as_group(group)
        self.in_channels, self.out_channels, self.rank = in_channels, out_channels, rank
        self._core = _native.ConvCore(
            self.group._native, in_channels, out_channels,
            support=None if support is None else [int(s) for s in support],
            radius=radius, ball=ball, rank=rank, mode=mode, bias=bias, backend=backend,
            batch_hint=batch_hint,
        )
        self.bias: Optional[torch.nn.Parameter] = None
        for name, value in self._core.initial_parameters():
            setattr(self, name, torch.nn.Parameter(value))

    @property
    def support(self) -> Sequence[int]:
        """The kernel support ``s_0, …, s_{K−1}`` (element indices)."""
        return self._core.support

    @property
    def backend(self) -> str:
        """The backend gm-nn's planner chose."""
        return self._core.backend

    def extra_repr(self) -> str:
        return (f"{self.group.spec}, {self.in_channels}→{self.out_channels}, "
                f"K={len(self.support)}, rank={self.rank}, backend={self.backend}")


class GMConv(_ConvBase):
    """The exact GM convolution ``y[b,o,a] = bias_o + Σ_i Σ_k w[o,i,k]·x[b,i,idx(g_a·s_k)]``,
    i.e. ``y_o = bias_o + Σ_i M_{f_oi} x_i`` with the group matrices ``M_f[a,b] = f(g_a⁻¹g_b)``;
    it commutes with the left-regular action of the group.

    Input ``(B, C, n)`` → output ``(B, O, n)``. Give the kernel support as ``support`` (element
    indices), ``radius`` (the reference GM-CNN's neighbourhood on grids of cyclic/dihedral
    axes, e.g. ``"C8xC8"``) or ``ball`` (word-metric ball). ``mode``: ``"shared"`` (weight
    ``(O, 1, K)`` on the channel sum, the reference's) or ``"full"`` (``(O, C, K)``).
    ``backend``: ``"auto"``, ``"timed"``, ``"gather"``, ``"reference"``, ``"cudnn"``,
    ``"fourier"``, ``"irreps"``.
    """

    def __init__(self, group, in_channels: int, out_channels: int, *,
                 support: Optional[Sequence[int]] = None, radius: Optional[int] = None,
                 ball: Optional[int] = None, mode: str = "shared", bias: bool = True,
                 backend: str = "auto", batch_hint: int = 32):
        super().__init__(group, in_channels, out_channels, 0, support, radius, ball, mode,
                         bias, backend, batch_hint)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self._core.forward(x, self.weight, self.bias)


class RelaxedGMConv(_ConvBase):
    """The rank-``r`` relaxed GM convolution ``M = M_f + Σ_{i<r} diag(v_i)·M_{u_i}``:
    parameters ``weight`` (``f``), ``bias``, ``relax_kernel`` ``(r, O, 1|C, K)`` (the ``u_i``)
    and ``relax_position`` ``(r, O, n)`` (the ``v_i``, initialised to 0, so training starts
    exactly equivariant). Arguments as :class:`GMConv`, plus ``rank`` (≥ 1).
    """

    def __init__(self, group, in_channels: int, out_channels: int, rank: int = 1, *,
                 support: Optional[Sequence[int]] = None, radius: Optional[int] = None,
                 ball: Optional[int] = None, mode: str = "shared", bias: bool = True,
                 backend: str = "auto", batch_hint: int = 32):
        if rank < 1:
            raise ValueError(f"a relaxed layer has rank ≥ 1 (got {rank}): use GMConv for rank 0")
        super().__init__(group, in_channels, out_channels, rank, support, radius, ball, mode,
                         bias, backend, batch_hint)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self._core.forward(x, self.weight, self.bias, self.relax_kernel,
                                  self.relax_position)


class _Parameterless(torch.nn.Module):
    def __init__(self, core):
        super().__init__()
        self._core = core

    @property
    def output_size(self) -> int:
        """The length of the output's last axis."""
        return self._core.output_size

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self._core.forward(x)


class SubgroupPool(_Parameterless):
    """Pools ``(B, C, |G|)`` onto a subgroup ``H``: ``y(h) = max`` (or mean) of ``x`` over the
    window ``h·W``; equivariant under ``H``. ``SubgroupPool(group, members, window)`` or
    :meth:`SubgroupPool.stride2` (the reference's GMPool on a grid)."""

    def __init__(self, group, members: Sequence[int], window: Sequence[int], mode: str = "max",
                 *, _core=None):
        super().__init__(_core or _native.PoolCore.subgroup(
            as_group(group)._native, [int(m) for m in members], [int(w) for w in window], mode))
        self.subgroup: Optional[Group] = None

    @classmethod
    def stride2(cls, group, mode: str = "max") -> "SubgroupPool":
        """The reference's GMPool on a grid of even cyclic/dihedral axes (``C8xC8``: 2×2
        pooling with stride 2); ``.subgroup`` is the halved grid (``C4xC4``) the output lives
        on, to build the next layers with."""
        core, smaller = _native.PoolCore.stride2(as_group(group)._native, mode)
        pool = cls(None, [], [], mode, _core=core)
        pool.subgroup = Group(smaller)
        return pool


class CosetPool(_Parameterless):
    """Pools ``(B, C, |G|)`` onto the cosets ``G/H``: ``y(gH) = max`` (or mean) of ``x`` on
    ``gH``; equivariant under ``G``. ``labels``: every element's coset, e.g.
    ``Group.coset_labels(generators of H)``."""

    def __init__(self, labels: Sequence[int], mode: str = "max"):
        super().__init__(_native.PoolCore.coset([int(v) for v in labels], mode))


class Lift(_Parameterless):
    """Lifts ``(B, C, |G/H|)`` to ``(B, C, |G|)``: ``(Lφ)(g) = φ(gH)``; equivariant under
    ``G``. ``labels`` as for :class:`CosetPool`."""

    def __init__(self, labels: Sequence[int]):
        super().__init__(_native.PoolCore.lift([int(v) for v in labels]))


class InvariantPool(torch.nn.Module):
    """Max (or mean) over the group axis: ``(B, C, n)`` → ``(B, C)``, invariant under the
    group (the reference classifier's head; gm-nn's ``InvariantPool``, one torch reduction)."""

    def __init__(self, mode: str = "max"):
        super().__init__()
        if mode not in ("max", "mean"):
            raise ValueError(f"unknown pooling mode {mode!r}: use 'max' or 'mean'")
        self.mode = mode

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x.amax(-1) if self.mode == "max" else x.mean(-1)
