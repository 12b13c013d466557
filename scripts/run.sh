#!/usr/bin/env bash
# Runs the `gm` command after installing or verifying libtorch. Arguments are passed to `gm`:
# `scripts/run.sh demo` is the default job (README), `scripts/run.sh` alone runs `gm info`.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
eval "$(scripts/setup-libtorch.sh)"
command -v cargo >/dev/null 2>&1 || { echo "run.sh: cargo not found: install Rust (https://rustup.rs)" >&2; exit 1; }
exec cargo run --quiet -p gm-experiments --bin gm -- "$@"
