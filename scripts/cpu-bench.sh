#!/usr/bin/env bash
# The CPU training-throughput comparison in one call on one machine (issue 18): `gm bench train`
# for the CIFAR-10 (C32xC32, B = 256) and rot-MNIST (D14xD14, B = 128) models in fp32 and bf16,
# against the strongest PyTorch of ../shared/bench/pytorch_best_gmcnn_train.py (its fast
# formulations, fp32 and bf16 autocast, eager and torch.compile) run with DEV=cpu in the libtorch
# cache's Python; and the plume regression model (C64xC64, B = 32, 6-step rollouts) against
# scripts/pytorch_plume_train.py. Prints the raw results, then one table with gm's best over
# PyTorch's best.
#
#   scripts/cpu-bench.sh [GM_BINARY] [BENCH_DIR]
#     GM_BINARY  default target/debug/gm (the dev profile is optimised; libtorch does the work)
#     BENCH_DIR  folder holding pytorch_best_gmcnn_train.py (default ../shared/bench)
#   STEPS (timed steps per case, default 5), WARMUP (default 2), MODES (PyTorch's compile modes,
#   default eager,default; add max-autotune for its minutes-long compiles).
# gm's `auto` is the cost model's pick, `timed` the planner's measured pick (median of repeats).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
eval "$(scripts/setup-libtorch.sh)"
gm=${1:-target/debug/gm}
bench=${2:-../shared/bench}
steps=${STEPS:-5}
warmup=${WARMUP:-2}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
echo "=== $(date -u +%FT%TZ) $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2)"
run_gm() {
    local model=$1 backends=$2
    echo "=== gm bench train --model $model --backend $backends"
    "$gm" --device cpu bench train --model "$model" --backend "$backends" \
        --precision fp32,bf16 --steps "$steps" --warmup "$warmup" --json | tee -a "$out/gm.jsonl"
}
run_gm cifar10 auto,timed,gather,cudnn,fourier
run_gm rot-mnist auto,timed,gather,cudnn,irreps
run_gm plume auto,timed,gather,cudnn,fourier
echo "=== pytorch_best_gmcnn_train.py (DEV=cpu STEPS=$steps MODES=${MODES:-eager,default})"
DEV=cpu STEPS=$steps MODES=${MODES:-eager,default} "$GM_TORCH_PYTHON" \
    "$bench/pytorch_best_gmcnn_train.py" 2>"$out/pytorch.err" | tee "$out/pytorch.json" \
    || { cat "$out/pytorch.err" >&2; exit 1; }
echo "=== pytorch_plume_train.py (DEV=cpu STEPS=$steps WARMUP=$warmup)"
DEV=cpu STEPS=$steps WARMUP=$warmup "$GM_TORCH_PYTHON" scripts/pytorch_plume_train.py \
    2>"$out/plume.err" | tee "$out/plume.json" || { cat "$out/plume.err" >&2; exit 1; }
"$GM_TORCH_PYTHON" scripts/bench_table.py "$out/gm.jsonl" "$out/pytorch.json" "$out/plume.json"
