#!/bin/bash
# The GPU throughput comparison of docs/nn-layers.md ("Measured (GPU)"), in one call on one
# machine: `gm bench train` for the CIFAR-10 (B = 256) and rot-MNIST (B = 128) models in every
# precision, the layer benchmark, and the reference scripts ref_gmcnn_train.py,
# pytorch_fast_gmcnn_train.py and pytorch_best_gmcnn_train.py (the strongest PyTorch: fp16 and
# bf16 autocast, eager and torch.compile; PyTorch must be importable by python3), then the table
# of gm's best over PyTorch's best per configuration (scripts/bench_table.py); and the plume
# regression model (B = 32, 6-step rollouts) against scripts/pytorch_plume_train.py.
# MODES: pytorch_best's compile modes (default eager,default; max-autotune compiles for minutes).
#
# Usage: scripts/gpu-bench.sh [GM_BINARY] [BENCH_DIR]
#   GM_BINARY  a gm built here (default target/debug/gm); on a machine without Rust, carry a
#              stripped copy (`strip -o DIR/gm target/debug/gm`).
#   BENCH_DIR  folder holding the two reference scripts (default ../shared/bench).
# libtorch is taken from python3's torch when LIBTORCH is unset (same version as tch needs).
set -u
gm=${1:-target/debug/gm}
bench=${2:-../shared/bench}
if [ -z "${LIBTORCH:-}" ]; then
    torch_lib=$(python3 -c 'import torch, os; print(os.path.dirname(torch.__file__))')/lib
    export LD_LIBRARY_PATH=$torch_lib:${LD_LIBRARY_PATH:-}
fi
export PYTHONUNBUFFERED=1
step() {
    echo "=== $*"
    local t0
    t0=$(date +%s)
    "$@" 2>&1 | grep -v "autocast_mode.h\|ComplexHalf support is experimental"
    echo "(exit ${PIPESTATUS[0]}, $(($(date +%s) - t0)) s)"
}
nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader
here=$(dirname "${BASH_SOURCE[0]}")
out=$(mktemp -d)
step "$gm" --device cuda bench train --model cifar10 --backend auto,timed,gather,cudnn,fourier \
    --precision fp16,bf16,fp32 --steps 60 --warmup 10 --json | tee -a "$out/gm.jsonl"
step "$gm" --device cuda bench train --model rot-mnist --backend auto,timed,gather,cudnn,irreps \
    --precision fp16,bf16,fp32 --steps 60 --warmup 10 --json | tee -a "$out/gm.jsonl"
step "$gm" --device cuda bench train --model plume --backend auto,timed,gather,cudnn,fourier \
    --precision fp32,bf16 --steps 20 --warmup 5 --json | tee -a "$out/gm.jsonl"
step "$gm" --device cuda bench train --model cifar10 --batch 1024 --backend auto \
    --precision fp16,bf16,fp32 --steps 30 --warmup 5
step env STEPS=30 MODES="${MODES:-eager,default}" python3 "$bench/pytorch_best_gmcnn_train.py" \
    | tee "$out/pytorch.json"
step env STEPS=20 WARMUP=5 python3 "$here/pytorch_plume_train.py" | tee "$out/plume.json"
step python3 "$bench/pytorch_fast_gmcnn_train.py"
step python3 "$bench/ref_gmcnn_train.py"
step "$gm" --device cuda bench nn --batch 32
step "$gm" --device cuda bench nn --group D14xD14 --batch 32
python3 "$here/bench_table.py" "$out/gm.jsonl" <(sed -n '/^{/,/^}/p' "$out/pytorch.json") \
    <(sed -n '/^{/,/^}/p' "$out/plume.json")
