"""The reference GM-CNN classifier (kiryteo/GM-CNN, gmcnn_base.py `GMCNN` with
gmconv_classification.py `GMConvCls` layers), transcribed under the reference's parameter
names for the `gm export` / `gm import` round trips.

Usage:
  python reference_gmcnn.py make STATE.pt SPEC.json   seeded random weights (biases too),
                                                      saved with torch.save(dict(state_dict))
  python reference_gmcnn.py load STATE.safetensors SPEC.json
                                                      the weights gm exported
Either way it prints one JSON object: {"logits": [...]} of the inputs in SPEC (eval mode).

SPEC.json: {"group": "cyclic"|"dihedral", "order": N, "nbr": t, "in_channels": C,
"channels": [...], "classes": K, "seed": S, "shape": [B, C, H, W], "x": [...]}.

The GM layer's index table is the reference's own construction, rebuilt by
nn/tests/python/reference_gmconv.py (never handed gm's table). Only torch is needed: the
safetensors file is read by the small reader below (the package is not in the test
environment).
"""
import json
import math
import os
import sys
import warnings

with warnings.catch_warnings():
    warnings.simplefilter("ignore")  # torch warns once that numpy is absent; it is not needed
    import torch
    from torch import nn

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "..", "nn", "tests", "python"))
from reference_gmconv import index_table  # noqa: E402


class GMConvCls(nn.Module):
    """The reference's GM layer without error vectors: weight_coeff (O, 1, K) and bias (O)."""

    def __init__(self, index, out_channels):
        super().__init__()
        self.index = index  # a plain attribute, as the reference's numpy index_matrix
        self.bias = nn.Parameter(torch.zeros(out_channels))
        self.weight_coeff = nn.Parameter(torch.empty(out_channels, 1, index.shape[0]))
        nn.init.kaiming_uniform_(self.weight_coeff, a=math.sqrt(5))

    def forward(self, x):
        gathered = x[:, :, 0, self.index]
        y = torch.einsum("ojk,bikl->bojl", self.weight_coeff, gathered)
        return y + self.bias[None, :, None, None]


class GMCNN(nn.Module):
    """The reference's classifier with one GM layer per block."""

    def __init__(self, spec):
        super().__init__()
        index = torch.tensor(index_table(spec["group"], spec["order"], spec["nbr"]))
        n = index.shape[1]
        self.gm_layers = nn.ModuleList()
        self.norm_layers = nn.ModuleList()
        self.conv1x1_layers = nn.ModuleList()
        c = spec["in_channels"]
        for o in spec["channels"]:
            self.gm_layers.append(GMConvCls(index, o))
            self.norm_layers.append(nn.LayerNorm([o, 1, n], elementwise_affine=False))
            if c != o:
                self.conv1x1_layers.append(nn.Conv2d(c, o, kernel_size=1))
            c = o
        self.pool = nn.AdaptiveMaxPool2d((1, 1))
        self.relu = nn.PReLU()
        self.fc1 = nn.Linear(c, spec["classes"])
        self.dropout = nn.Dropout(p=0.3)

    def forward(self, x):
        x = x.reshape(x.size(0), x.size(1), 1, -1)
        for block, layer in enumerate(self.gm_layers):
            res = x
            x = self.relu(self.norm_layers[block](layer(x)))
            if block < len(self.conv1x1_layers):
                res = self.conv1x1_layers[block](res)
            x = x + res
        x = self.pool(x).reshape(x.size(0), -1)
        return self.fc1(self.dropout(x))


def read_safetensors(path):
    """The float32 tensors of a safetensors file: an 8-byte header length, a JSON header,
    then the raw little-endian data."""
    with open(path, "rb") as f:
        data = f.read()
    size = int.from_bytes(data[:8], "little")
    header = json.loads(data[8 : 8 + size])
    base = 8 + size
    out = {}
    for name, meta in header.items():
        if name == "__metadata__":
            continue
        if meta["dtype"] != "F32":
            sys.exit(f"{name}: dtype {meta['dtype']}, expected F32")
        start, end = meta["data_offsets"]
        raw = bytearray(data[base + start : base + end])
        out[name] = torch.frombuffer(raw, dtype=torch.float32).reshape(meta["shape"])
    return out


def main():
    mode, state, spec_path = sys.argv[1], sys.argv[2], sys.argv[3]
    with open(spec_path) as f:
        spec = json.load(f)
    torch.manual_seed(spec["seed"])
    model = GMCNN(spec)
    if mode == "make":
        with torch.no_grad():
            for name, p in model.named_parameters():
                if not name.endswith("weight_coeff"):
                    p.copy_(torch.randn_like(p) * 0.5)
        torch.save(dict(model.state_dict()), state)  # a plain dict: what libtorch reads
    elif mode == "load":
        model.load_state_dict(read_safetensors(state))
    else:
        sys.exit(f"unknown mode {mode!r}: make or load")
    model.eval()
    x = torch.tensor(spec["x"], dtype=torch.float32).reshape(spec["shape"])
    with torch.no_grad():
        logits = model(x)
    print(json.dumps({"logits": logits.reshape(-1).tolist()}))


if __name__ == "__main__":
    main()
