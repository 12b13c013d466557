"""One rank of the DistributedDataParallel test (a module of its own so that
torch.multiprocessing's spawned processes can import it)."""

import torch
import torch.distributed as dist
from torch.nn.parallel import DistributedDataParallel

from models import small_gm_model


def train(model, batches, rank=0, world=1):
    """SGD on the mean cross-entropy of this rank's share of every batch."""
    opt = torch.optim.SGD(model.parameters(), lr=0.2, momentum=0.9)
    for x, y in batches:
        loss = torch.nn.functional.cross_entropy(model(x.chunk(world)[rank]), y.chunk(world)[rank])
        opt.zero_grad()
        loss.backward()
        opt.step()


def run_rank(rank, world, init_file, batches, out_prefix):
    """Trains the small GM model under DDP with Gloo and saves this rank's parameters."""
    torch.set_num_threads(1)
    dist.init_process_group("gloo", init_method=f"file://{init_file}", rank=rank,
                            world_size=world)
    try:
        torch.manual_seed(100 + rank)  # different draws per rank: DDP broadcasts rank 0's
        model = DistributedDataParallel(small_gm_model(relaxed=True))
        train(model, batches, rank, world)
        torch.save(model.module.state_dict(), f"{out_prefix}{rank}.pt")
    finally:
        dist.destroy_process_group()
