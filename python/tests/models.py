"""A small GM classifier for the training and DistributedDataParallel tests."""

import torch

from gm_torch import GMConv, InvariantPool, RelaxedGMConv, SubgroupPool


def small_gm_model(relaxed: bool = False) -> torch.nn.Module:
    """GM conv → ReLU → stride-2 pool → GM conv → ReLU → invariant max → linear, on 8×8
    images as functions on C8xC8 (the reference GM-CNN's classifier, scaled down)."""
    pool = SubgroupPool.stride2("C8xC8")
    second = (RelaxedGMConv(pool.subgroup, 4, 6, 1, radius=1) if relaxed
              else GMConv(pool.subgroup, 4, 6, radius=1))
    return torch.nn.Sequential(
        GMConv("C8xC8", 1, 4, radius=1, mode="full"), torch.nn.ReLU(), pool,
        second, torch.nn.ReLU(), InvariantPool(), torch.nn.Linear(6, 2),
    )


def stripes(batch: int, generator: torch.Generator):
    """Horizontal (class 0) or vertical (class 1) stripes of random phase, plus noise."""
    labels = torch.randint(0, 2, (batch,), generator=generator)
    phase = torch.randint(0, 8, (batch, 1), generator=generator)
    ramp = (torch.arange(8).view(1, 8) + phase) % 4 < 2
    rows = ramp.float().view(batch, 8, 1).expand(batch, 8, 8)
    images = torch.where(labels.view(batch, 1, 1) == 0, rows, rows.transpose(1, 2))
    images = images + 0.3 * torch.randn(batch, 8, 8, generator=generator)
    return images.reshape(batch, 1, 64), labels
