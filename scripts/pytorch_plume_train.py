# Training throughput of the reference's plume regression model written in plain PyTorch, to compare
# with `gm bench train --model plume` (issue 18, part 4). The model is the one kiryteo/GM-CNN's
# regression runner builds (gmcnn/plume_rotation_runner.py at 2c68809, ImplicitCNN and GMConv; the
# sizes of configs/exp/plume-rotation-config.yaml: cyclic 64 per axis, nbr = 1, two blocks of 120):
#
#   out = conv1x1(x)  (20 -> C);  for each block: x = PReLU(GMConv(x)) + out; out = x;  out_conv(out)  (C -> 2)
#
# with GMConv: y[b,o,a] = bias_o + e[a] * sum_k w[o,k] sum_i x[b,i, g_a s_k^-1] on Z_H x Z_W, s_k the
# (2t+1)^2 shifts of the neighbourhood, the kernel rows and e projected onto the unit sphere in place
# at every forward pass. One training step is the runner's training_step on a fixed random window:
# a rollout of ROLLOUT steps feeding each predicted frame back, the loss the sum of the steps' mean
# squared errors (gm's trainer takes their mean: the same work), then an AdamW step (lr 4e-3, weight
# decay 0.0153, as `gm bench train`). No host synchronisation inside a step.
#
# Formulations (same parameters, same outputs; the script checks the outputs agree):
#   ref       the reference's: gather of every input channel (B, C, K, n), scaled by e, einsum with w
#   sumfirst  the input channels summed before the gather (the kernel is shared by them)
#   cudnn     the summed channel convolved circularly with a (2t+1)x(2t+1) kernel by conv2d
# each in fp32 and in bf16 autocast, eager. Prints JSON: windows (samples) per second per variant,
# their best, and the parameter count (counted and from the formula, asserted equal).
#
# Environment: DEV (cuda), STEPS (timed steps, 10), WARMUP (2), B (32), C (120), GRID (64: Z_GRID x Z_GRID),
# BLOCKS (2), T (1: support radius), FRAMES (10 input frames of 2 channels), ROLLOUT (6),
# FORMS (ref,sumfirst,cudnn), PRECISIONS (fp32,bf16).
import json
import math
import os
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

env = os.environ.get
dev = env("DEV", "cuda")
steps, warmup = int(env("STEPS", 10)), int(env("WARMUP", 2))
B, C, grid, blocks = int(env("B", 32)), int(env("C", 120)), int(env("GRID", 64)), int(env("BLOCKS", 2))
t, frames, rollout = int(env("T", 1)), int(env("FRAMES", 10)), int(env("ROLLOUT", 6))
forms = env("FORMS", "ref,sumfirst,cudnn").split(",")
precisions = env("PRECISIONS", "fp32,bf16").split(",")
cuda = dev.startswith("cuda")
n, P = grid * grid, 2 * t + 1
K = P * P
cin = 2 * frames


def shift_index():
    """(K, n): index[k, a] = position of g_a s_k^-1 on Z_grid x Z_grid, s_k = (dr, dc), |dr|, |dc| <= t."""
    r, c = torch.meshgrid(torch.arange(grid), torch.arange(grid), indexing="ij")
    rows = [((r - dr) % grid) * grid + (c - dc) % grid for dr in range(-t, t + 1) for dc in range(-t, t + 1)]
    return torch.stack([x.reshape(-1) for x in rows])


class GMConv(nn.Module):
    """The reference's layer; `form` chooses how the product is computed."""

    def __init__(self, out_channels, index, form):
        super().__init__()
        self.form = form
        self.register_buffer("index", index)
        self.bias = nn.Parameter(torch.zeros(out_channels))
        self.weight = nn.Parameter(torch.empty(out_channels, 1, K))
        nn.init.kaiming_uniform_(self.weight, a=math.sqrt(5))
        self.err = nn.Parameter(torch.empty(1, n))
        nn.init.kaiming_uniform_(self.err, a=math.sqrt(5))

    def forward(self, x):  # (B, Cin, 1, n) -> (B, O, 1, n)
        self.err.data /= torch.norm(self.err.data)
        self.weight.data /= torch.norm(self.weight.data, dim=-1, keepdim=True)
        if self.form == "ref":
            g = x[:, :, 0, self.index] * self.err[None, None]  # (B, Cin, K, n)
            y = torch.einsum("ojk,bikl->bojl", self.weight, g)
        elif self.form == "sumfirst":
            g = x.sum(1)[:, 0, self.index]  # (B, K, n)
            y = torch.einsum("ok,bkn->bon", self.weight[:, 0], g).unsqueeze(2) * self.err
        else:  # cudnn: y[a] = sum_k w[k] s[a - s_k] is conv2d with the flipped kernel
            s = x.sum(1).view(x.shape[0], 1, grid, grid)
            s = F.pad(s, (t, t, t, t), mode="circular")
            kernel = self.weight.view(-1, 1, P, P).flip(2, 3)
            y = F.conv2d(s, kernel).view(x.shape[0], -1, 1, n) * self.err
        return y + self.bias[None, :, None, None]


class Net(nn.Module):
    def __init__(self, form, index):
        super().__init__()
        self.conv1x1 = nn.Conv2d(cin, C, 1)
        self.layers = nn.ModuleList(nn.Sequential(GMConv(C, index, form), nn.PReLU()) for _ in range(blocks))
        self.out_conv = nn.Conv2d(C, 2, 1)

    def forward(self, x):
        x = x.view(x.shape[0], x.shape[1], 1, n)
        out = self.conv1x1(x)
        for layer in self.layers:
            x = layer(x) + out
            out = x
        return self.out_conv(out).view(-1, 2, grid, grid)


def sync():
    if cuda:
        torch.cuda.synchronize()


def rate(model, x, y, dtype):
    opt = torch.optim.AdamW(model.parameters(), lr=4e-3, weight_decay=0.0153)

    def step():
        opt.zero_grad(set_to_none=True)
        with torch.autocast(dev.split(":")[0], dtype=dtype or torch.float32, enabled=dtype is not None):
            xx, loss = x, 0.0
            for target in y.transpose(0, 1):
                im = model(xx)
                xx = torch.cat([xx[:, im.shape[1]:], im], 1)
                loss = loss + F.mse_loss(im.float(), target)
        loss.backward()
        opt.step()
        return loss

    for _ in range(warmup):
        step()
    sync()
    start = time.perf_counter()
    for _ in range(steps):
        loss = step()
    sync()
    seconds = time.perf_counter() - start
    assert math.isfinite(loss.item()), "non-finite loss"
    return x.shape[0] * steps / seconds


torch.manual_seed(0)
torch.set_float32_matmul_precision("high")
if cuda:
    torch.backends.cudnn.benchmark = True
index = shift_index().to(dev)
out = {"torch": torch.__version__, "device": torch.cuda.get_device_name() if cuda else "cpu",
       "batch": B, "channels": C, "grid": grid, "blocks": blocks, "rollout": rollout, "steps": steps}
reference = Net("ref", index).to(dev)
out["params_plume"] = sum(p.numel() for p in reference.parameters())
out["params_plume_formula"] = (cin + 1) * C + blocks * (C * K + C + n + 1) + (C + 1) * 2
assert out["params_plume"] == out["params_plume_formula"], out
x = torch.randn(B, cin, grid, grid, device=dev)
y = torch.randn(B, rollout, 2, grid, grid, device=dev)
with torch.no_grad():
    expected = reference(x[:2])
    for form in forms:
        other = Net(form, index).to(dev)
        other.load_state_dict(reference.state_dict())
        out[f"maxabs_plume_{form}_vs_ref"] = (other(x[:2]) - expected).abs().max().item()
        assert out[f"maxabs_plume_{form}_vs_ref"] < 1e-4 * (1 + expected.abs().max().item()), out
best = 0.0
for form in forms:
    for name in precisions:
        dtype = {"fp32": None, "bf16": torch.bfloat16}[name]
        torch.manual_seed(0)
        value = rate(Net(form, index).to(dev), x, y, dtype)
        out[f"plume_{form}_{name}"] = round(value, 2)
        best = max(best, value)
out["plume_best_samples_s"] = round(best, 2)
print(json.dumps(out, indent=1))
