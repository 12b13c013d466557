"""Group matrices and GM layers for PyTorch.

``gm_torch`` exposes the Rust crates gm-algebra (finite groups, their character tables,
irreps, Fourier transforms and group-matrix products, as NumPy arrays) and gm-nn (the GM
layers, as ``torch.nn.Module`` s computing in this process's libtorch, so autograd,
optimisers and DistributedDataParallel work as for any module). See docs/python.md.
"""

import torch

from ._torch_version import REQUIRED_TORCH, check_torch_version

check_torch_version(torch.__version__)

from . import _native  # noqa: E402  (only after the version check)
from .group import Group  # noqa: E402
from .layers import (  # noqa: E402
    CosetPool,
    GMConv,
    InvariantPool,
    Lift,
    RelaxedGMConv,
    SubgroupPool,
)

__all__ = [
    "REQUIRED_TORCH",
    "CosetPool",
    "GMConv",
    "Group",
    "InvariantPool",
    "Lift",
    "RelaxedGMConv",
    "SubgroupPool",
]
