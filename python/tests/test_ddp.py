"""GM models under PyTorch's DistributedDataParallel: 2 Gloo processes on the CPU, each on half
of every batch, end with the parameters of 1 process trained on the whole batches."""

import torch
import torch.multiprocessing as mp

from ddp_worker import run_rank, train
from models import small_gm_model, stripes

STEPS, BATCH, WORLD = 6, 16, 2
# fp32: the two runs sum the same gradients in different orders (per shard, then Gloo's
# all-reduce), so after a few steps the parameters agree to a few ulps of their size.
TOLERANCE = 1e-5


def test_two_gloo_processes_train_like_one_process_on_the_combined_batch(tmp_path):
    gen = torch.Generator().manual_seed(7)
    batches = [stripes(BATCH, gen) for _ in range(STEPS)]
    mp.spawn(run_rank, args=(WORLD, str(tmp_path / "init"), batches, str(tmp_path / "rank")),
             nprocs=WORLD, join=True)
    torch.manual_seed(100)  # rank 0's draw, which DDP broadcast to every rank
    single = small_gm_model(relaxed=True)
    initial = {k: v.clone() for k, v in single.state_dict().items()}
    train(single, batches)
    ranks = [torch.load(tmp_path / f"rank{r}.pt") for r in range(WORLD)]
    for name, value in single.state_dict().items():
        assert not torch.equal(value, initial[name]), f"{name} did not train"
        for r, state in enumerate(ranks):
            diff = (state[name] - value).abs().max().item()
            assert diff <= TOLERANCE * max(1.0, value.abs().max().item()), (name, r, diff)
