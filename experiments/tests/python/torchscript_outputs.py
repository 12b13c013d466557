"""Runs a TorchScript module that `gm export --format torchscript` wrote.

Usage: python torchscript_outputs.py MODULE.pt INPUTS.json
INPUTS.json: a list of {"shape": [...], "x": [...]} (float32, row-major). Prints one JSON
list with, per input, {"y": [...], "shape": [...]} or {"error": "..."} when the module
refuses the input.
"""
import json
import sys
import warnings

with warnings.catch_warnings():
    warnings.simplefilter("ignore")  # torch warns once that numpy is absent; it is not needed
    import torch


def main():
    module = torch.jit.load(sys.argv[1])
    module.eval()
    with open(sys.argv[2]) as f:
        inputs = json.load(f)
    out = []
    with torch.no_grad():
        for item in inputs:
            x = torch.tensor(item["x"], dtype=torch.float32).reshape(item["shape"])
            try:
                y = module(x)
                out.append({"y": y.reshape(-1).tolist(), "shape": list(y.shape)})
            except RuntimeError as e:
                out.append({"error": str(e).splitlines()[0] if str(e) else type(e).__name__})
    print(json.dumps(out))


if __name__ == "__main__":
    main()
