"""A small GM model trains with a PyTorch optimiser."""

import pytest
import torch

from models import small_gm_model, stripes


@pytest.mark.parametrize("relaxed", [False, True])
def test_a_small_model_learns_stripe_orientation(relaxed):
    torch.manual_seed(0)
    gen = torch.Generator().manual_seed(1)
    model = small_gm_model(relaxed)
    opt = torch.optim.Adam(model.parameters(), lr=0.03)
    for _ in range(60):
        x, y = stripes(32, gen)
        loss = torch.nn.functional.cross_entropy(model(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
    x, y = stripes(256, gen)
    with torch.no_grad():
        accuracy = (model(x).argmax(1) == y).float().mean().item()
    assert accuracy > 0.95, accuracy
    if relaxed:  # the position vectors start at 0 and moved: the relaxed part trained too
        assert model[3].relax_position.abs().max() > 0
