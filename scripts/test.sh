#!/usr/bin/env bash
# Runs every check of the workspace on a fresh machine: installs/verifies libtorch, then
# formatting, lints, the API docs (no broken links) and all tests (CPU), then the Python
# package's build, lints and pytest suite (scripts/python-package.sh). CI runs exactly this.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
eval "$(scripts/setup-libtorch.sh)"
command -v cargo >/dev/null 2>&1 || { echo "test.sh: cargo not found: install Rust (https://rustup.rs)" >&2; exit 1; }
echo "== cargo fmt --check" >&2
cargo fmt --all -- --check
echo "== cargo clippy" >&2
cargo clippy --workspace --all-targets -- -D warnings
echo "== cargo doc" >&2
RUSTDOCFLAGS="-D warnings" cargo doc --workspace --no-deps
echo "== cargo test" >&2
cargo test --workspace
echo "== python package" >&2
scripts/python-package.sh
