#!/usr/bin/env bash
# Installs the pinned libtorch (PyPI torch==2.11.0, the build tch 0.24.0 needs) into a cache
# outside the checkout, with the pinned Python tools the Python package builds and tests with
# (numpy, pytest, maturin), verifies it, and prints the environment the build and binaries need.
#
#   eval "$(scripts/setup-libtorch.sh)"      # install once, then only verify; export the env
#
# The cache lives in $GM_CACHE_DIR (default: ${XDG_CACHE_HOME:-$HOME/.cache}/gm-cnn-rs), so later
# clones reuse it. Progress goes to stderr; stdout carries only `export` lines.
set -euo pipefail

TORCH_VERSION="2.11.0"
# The Python package's build and test tools (python/, scripts/python-package.sh). Changing the
# list changes the stamp below, so every cache installs the new pins on its next run.
PY_TOOLS="numpy==2.4.6 pytest==9.2.0 maturin==1.16.0"
cache="${GM_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/gm-cnn-rs}"
venv="$cache/torch-$TORCH_VERSION"

say() { printf 'setup-libtorch: %s\n' "$*" >&2; }
die() { printf 'setup-libtorch: error: %s\n' "$*" >&2; exit 1; }

# Prints torch's version and directory as seen by the venv's python, or fails.
probe() { "$venv/bin/python" -c 'import torch, os; print(torch.__version__.split("+")[0]); print(os.path.dirname(torch.__file__))' 2>/dev/null; }

if ! { [ -f "$venv/.complete" ] && probe >/dev/null; }; then
  command -v python3 >/dev/null 2>&1 || die "python3 not found: install Python 3.9+ (e.g. 'apt-get install python3 python3-venv python3-pip') and run again."
  python3 -m pip --version >/dev/null 2>&1 || die "pip for python3 not found: install it (e.g. 'apt-get install python3-pip') and run again."
  mkdir -p "$cache" || die "cannot create the cache directory $cache: set GM_CACHE_DIR to a writable place."
  avail_kb=$(df -Pk "$cache" | awk 'NR==2 {print $4}')
  if [ "${avail_kb:-0}" -lt $((8 * 1024 * 1024)) ]; then
    die "torch $TORCH_VERSION needs about 8 GB free in $cache (it has $((avail_kb / 1024)) MB): free space or set GM_CACHE_DIR elsewhere."
  fi
  tmp="$venv.partial.$$"
  rm -rf "$tmp"
  trap 'rm -rf "$tmp"' EXIT
  say "installing torch==$TORCH_VERSION into $venv (one time, ~4.6 GB) ..."
  python3 -m venv "$tmp" || die "python3 -m venv failed: install the venv module (e.g. 'apt-get install python3-venv')."
  "$tmp/bin/python" -m pip install --quiet --disable-pip-version-check "torch==$TORCH_VERSION" >&2 \
    || die "pip install torch==$TORCH_VERSION failed (see above): check network access to PyPI and free disk space."
  # A venv records its own path in its scripts and configuration; the rename below is atomic,
  # and the shebangs are rewritten after it (all caches, old ones included).
  rm -rf "$venv"
  mv "$tmp" "$venv"
  trap - EXIT
  touch "$venv/.complete"
fi

# Entry-point scripts (pip, pytest, maturin, ...) and the activation files of a cache built by an
# earlier version of this script name the temporary directory `$venv.partial.PID` it was built
# in: point them at $venv.
venv_name=$(basename "$venv")
partial_name="$venv_name\.partial\.[0-9][0-9]*"
if grep -lsIq "$partial_name" "$venv/pyvenv.cfg" "$venv"/bin/*; then
  say "rewriting the temporary path in $venv's scripts"
  grep -lsIZ "$partial_name" "$venv/pyvenv.cfg" "$venv"/bin/* | xargs -0 sed -i "s#$partial_name#$venv_name#g"
fi

tools_stamp="$venv/.tools-$(printf '%s' "$PY_TOOLS" | cksum | cut -d' ' -f1)"
if [ ! -f "$tools_stamp" ]; then
  say "installing $PY_TOOLS into $venv ..."
  # shellcheck disable=SC2086 # PY_TOOLS is a list of requirements
  "$venv/bin/python" -m pip install --quiet --disable-pip-version-check $PY_TOOLS >&2 \
    || die "pip install $PY_TOOLS failed (see above): check network access to PyPI."
  rm -f "$venv"/.tools-*
  touch "$tools_stamp"
fi

info=$(probe) || die "the torch cache at $venv is broken: delete it and run again."
version=$(printf '%s\n' "$info" | sed -n 1p)
torch_dir=$(printf '%s\n' "$info" | sed -n 2p)
[ "$version" = "$TORCH_VERSION" ] || die "found torch $version in $venv but tch 0.24.0 needs exactly $TORCH_VERSION: delete $venv and run again."
[ -f "$torch_dir/lib/libtorch_cpu.so" ] || die "$torch_dir/lib/libtorch_cpu.so is missing: delete $venv and run again."
say "torch $version ok at $torch_dir"

printf 'export LIBTORCH=%q\n' "$torch_dir"
printf 'export LIBTORCH_CXX11_ABI=1\n'
printf 'export LD_LIBRARY_PATH=%q\n' "$torch_dir/lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
printf 'export GM_TORCH_PYTHON=%q\n' "$venv/bin/python"
