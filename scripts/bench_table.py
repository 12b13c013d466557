"""The comparison table of scripts/cpu-bench.sh and scripts/gpu-bench.sh: gm's best training
throughput per reference configuration over the best of pytorch_best_gmcnn_train.py (the plume
model: of scripts/pytorch_plume_train.py; its rates are windows/s), from `gm bench train --json`
lines and those scripts' JSON outputs.

Usage: python bench_table.py GM_JSONL PYTORCH_JSON [PYTORCH_JSON...]

A PyTorch file given as LABEL=PATH is a second run of a script under other settings (e.g. the
kept-heap allocator settings gm uses in its training steps): its variants are renamed
VARIANT_LABEL, and each configuration's best is the best over every run.
"""
import json
import sys

PYTORCH_BEST = {"cifar10": "cifar_best_img_s", "rot-mnist": "rotmnist_best_img_s",
                "plume": "plume_best_samples_s"}
PYTORCH_PREFIX = {"cifar10": "cifar_", "rot-mnist": "rotmnist_", "plume": "plume_"}


def choice(case):
    """The backend choice as `gm bench train --backend` spells it."""
    b = case["backend"]
    return b if isinstance(b, str) else next(iter(b.values()))


def ran_on(run):
    """What the blocks ran on: "fused" for a fused block, else its convolution's backend."""
    fused = run.get("fused") or []
    names = ["fused" if i < len(fused) and fused[i] else b for i, b in enumerate(run["backends"])]
    return "+".join(sorted(set(names)))


def main(gm_path, *pytorch_paths):
    gm = [json.loads(line) for line in open(gm_path) if line.startswith("{")]
    torch = {}
    for spec in pytorch_paths:
        label, path = spec.split("=", 1) if "=" in spec else ("", spec)
        for k, v in json.load(open(path)).items():
            if k in PYTORCH_BEST.values():
                torch[k] = max(torch.get(k, 0.0), v)
            elif label and k.endswith("_wall_s"):
                torch[f"{k[:-len('_wall_s')]}_{label}_wall_s"] = v
            elif label and k.startswith(tuple(PYTORCH_PREFIX.values())):
                torch[f"{k}_{label}"] = v
            else:
                torch[k] = v
    print("\n| model | gm (backend, precision) | gm img/s | PyTorch best (variant) | PyTorch img/s | ratio |")
    print("|---|---|---:|---|---:|---:|")
    for model, best_key in PYTORCH_BEST.items():
        runs = [r for r in gm if r["case"]["model"] == model]
        if not runs:
            continue
        top = max(runs, key=lambda r: r["images_per_s"])
        ran = ran_on(top)
        variants = {k: v for k, v in torch.items()
                    if k.startswith(PYTORCH_PREFIX[model]) and isinstance(v, (int, float))
                    and not k.endswith("_wall_s") and k != best_key}
        name = max(variants, key=variants.get) if variants else "none"
        theirs = torch.get(best_key, 0.0)
        ratio = top["images_per_s"] / theirs if theirs else float("nan")
        print(f"| {model} | {choice(top['case'])} → {ran}, {top['case']['precision']} "
              f"| {top['images_per_s']:.0f} | {name} | {theirs:.0f} | {ratio:.2f}x |")
    failed = [k for k, v in torch.items() if isinstance(v, str) and v.startswith("failed")]
    print("\nPyTorch variants that ran:", ", ".join(
        k for k, v in torch.items() if isinstance(v, (int, float)) and not k.endswith("_wall_s")
        and k.startswith(tuple(PYTORCH_PREFIX.values())) and k not in PYTORCH_BEST.values()))
    print("PyTorch variants that failed (not counted):", ", ".join(failed) or "none")
    for model in PYTORCH_BEST:
        # The planner's picks for the composed blocks (a fused block bypasses them).
        composed = [r for r in gm if r["case"]["model"] == model and not any(r.get("fused") or [])]
        picks = {r["case"]["precision"]: "+".join(sorted(set(r["backends"])))
                 for r in composed if choice(r["case"]) == "auto"}
        timed = {r["case"]["precision"]: "+".join(sorted(set(r["backends"])))
                 for r in composed if choice(r["case"]) == "timed"}
        if picks or timed:
            print(f"planner on {model}: cost model {picks}, timed {timed}")


if __name__ == "__main__":
    main(*sys.argv[1:])
