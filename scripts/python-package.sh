#!/usr/bin/env bash
# Builds the Python package gm_torch (python/: a PyO3 extension on gm-nn and gm-algebra, built
# by maturin) into the libtorch cache's virtual environment, checks its Rust formatting and
# lints, and runs its pytest suite there. scripts/test.sh (CI) runs it; docs/python.md.
#
#   scripts/python-package.sh            # build, install, run every test
#   scripts/python-package.sh -k ddp     # extra arguments go to pytest
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
eval "$(scripts/setup-libtorch.sh)"
venv=$(dirname "$(dirname "$GM_TORCH_PYTHON")")
# torch-sys's build script asks `python` (the venv's, when VIRTUAL_ENV is set) for Python.h.
export VIRTUAL_ENV="$venv" PATH="$venv/bin:$PATH"
# One interpreter for clippy and maturin, so pyo3's build configuration is built once.
export PYO3_PYTHON="$GM_TORCH_PYTHON"
# The root workspace's target directory: the dependencies both builds share compile once.
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$PWD/target}"

echo "== python/: cargo fmt --check, clippy" >&2
cargo fmt --manifest-path python/Cargo.toml -- --check
cargo clippy --manifest-path python/Cargo.toml --all-targets -- -D warnings

echo "== python/: maturin build" >&2
wheels="$CARGO_TARGET_DIR/gm-torch-wheels"
rm -rf "$wheels"
start=$(date +%s)
# The dev profile (opt-level 1, dependencies 2, as the root workspace's) reuses the Rust
# tests' dependency builds; --strip drops the debug information from the wheel.
maturin build --profile dev --strip --auditwheel skip --compatibility linux \
  --manifest-path python/Cargo.toml \
  --interpreter "$GM_TORCH_PYTHON" --out "$wheels" >&2
wheel=$(ls "$wheels"/gm_torch-*.whl)
echo "python-package: built $(basename "$wheel") ($(du -k "$wheel" | cut -f1) KiB) in $(( $(date +%s) - start )) s" >&2
python -m pip install --quiet --disable-pip-version-check --force-reinstall --no-deps "$wheel" >&2

echo "== python/: pytest" >&2
# From the repository root, so `import gm_torch` is the installed package, not python/gm_torch.
python -m pytest -q python/tests "$@"
