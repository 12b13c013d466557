#!/usr/bin/env bash
# The CPU training-throughput comparison in one call on one machine (issue 18): `gm bench train`
# for the CIFAR-10 (C32xC32, B = 256) and rot-MNIST (D14xD14, B = 128) models in fp32 and bf16,
# against the strongest PyTorch of ../shared/bench/pytorch_best_gmcnn_train.py (its fast
# formulations, fp32 and bf16 autocast, eager and torch.compile) run with DEV=cpu in the libtorch
# cache's Python; and the plume regression model (C64xC64, B = 32, 6-step rollouts) against
# scripts/pytorch_plume_train.py. PyTorch runs with glibc's default allocator settings and with
# glibc's heap kept (its nearest form of gm's host block cache, gm_nn::host_memory). Prints the
# raw results, then one table with gm's best over PyTorch's best.
#
#   scripts/cpu-bench.sh [GM_BINARY] [BENCH_DIR]
#     GM_BINARY  default target/debug/gm (the dev profile is optimised; libtorch does the work)
#     BENCH_DIR  folder holding pytorch_best_gmcnn_train.py (default ../shared/bench)
#   STEPS (timed steps per case, default 5), WARMUP (default 2), MODES (PyTorch's compile modes,
#   default eager,default; add max-autotune for its minutes-long compiles).
#   BACKENDS (gm's backends for every composed model, e.g. auto,gather,cudnn; default: each
#   model's applicable ones plus auto and timed).
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
# Each model runs with its fused blocks (the default; the backend is then not used) and
# composed of libtorch operations on every backend.
run_gm() {
    local model=$1 blocks=$2 backends=$3
    [ "$blocks" = composed ] && backends=${BACKENDS:-$backends}
    echo "=== gm bench train --model $model --blocks $blocks --backend $backends"
    "$gm" --device cpu bench train --model "$model" --blocks "$blocks" --backend "$backends" \
        --precision fp32,bf16 --steps "$steps" --warmup "$warmup" --json | tee -a "$out/gm.jsonl"
}
run_gm cifar10 fused auto
run_gm cifar10 composed auto,timed,gather,cudnn,fourier
run_gm rot-mnist fused auto
run_gm rot-mnist composed auto,timed,gather,cudnn,irreps
run_gm plume fused auto
run_gm plume composed auto,timed,gather,cudnn,fourier
# PyTorch runs twice: with glibc's default allocator settings, and with glibc's heap kept (no
# mmap for large blocks, freed memory kept), which a PyTorch user gets from these two
# environment variables without code: the nearest form of the block cache gm holds while its
# training steps run (gm_nn::host_memory). The table counts the best of both.
keep_heap=(MALLOC_MMAP_MAX_=0 MALLOC_TRIM_THRESHOLD_=2147483647)
run_pytorch() {
    local name=$1 script=$2
    for allocator in default keepheap; do
        local env=()
        [ "$allocator" = keepheap ] && env=("${keep_heap[@]}")
        echo "=== $script, $allocator allocator (DEV=cpu STEPS=$steps WARMUP=$warmup MODES=${MODES:-eager,default})"
        env "${env[@]}" DEV=cpu STEPS=$steps WARMUP=$warmup MODES=${MODES:-eager,default} \
            "$GM_TORCH_PYTHON" "$script" 2>"$out/$name-$allocator.err" \
            | tee "$out/$name-$allocator.json" || { cat "$out/$name-$allocator.err" >&2; exit 1; }
    done
}
run_pytorch pytorch "$bench/pytorch_best_gmcnn_train.py"
run_pytorch plume scripts/pytorch_plume_train.py
"$GM_TORCH_PYTHON" scripts/bench_table.py "$out/gm.jsonl" "$out/pytorch-default.json" \
    "keepheap=$out/pytorch-keepheap.json" "$out/plume-default.json" "keepheap=$out/plume-keepheap.json"
