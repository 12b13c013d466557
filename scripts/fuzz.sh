#!/usr/bin/env bash
# Fuzzes every parser a user can feed (the targets of fuzz/, one per input format of
# experiments/src/parsers.rs) with cargo-fuzz, each for a given time, and prints a table of
# executions and crashes per target.
#
#   scripts/fuzz.sh [SECONDS] [TARGET...]       # default: 60 s for every target, one at a time
#   JOBS=2 scripts/fuzz.sh 120                  # two targets at a time
#
# Needs the nightly toolchain and cargo-fuzz (`rustup toolchain install nightly`,
# `cargo install cargo-fuzz`). Builds with debug assertions (integer overflow traps) and no
# sanitizer: the parsers are safe Rust, and libtorch is not built for AddressSanitizer.
# Each target starts from fuzz/seeds/TARGET (small valid inputs) and keeps its corpus in
# fuzz/corpus/TARGET. A crash is saved in fuzz/artifacts/TARGET/: copy it to
# experiments/tests/fixtures/fuzz-regressions/TARGET/ so `cargo test` replays it, then fix it.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
eval "$(scripts/setup-libtorch.sh)"
command -v cargo >/dev/null 2>&1 || { echo "fuzz.sh: cargo not found" >&2; exit 1; }
cargo +nightly fuzz --version >/dev/null 2>&1 || {
  echo "fuzz.sh: cargo-fuzz on nightly not found: rustup toolchain install nightly && cargo install cargo-fuzz" >&2
  exit 1
}
seconds="${1:-60}"
shift || true
cd fuzz
if [ "$#" -gt 0 ]; then targets=("$@"); else mapfile -t targets < <(cargo +nightly fuzz list); fi
jobs="${JOBS:-1}"
flags=(--sanitizer none --debug-assertions)
cargo +nightly fuzz build "${flags[@]}" >&2
logs=$(mktemp -d)

run_one() {
  local t="$1"
  mkdir -p "corpus/$t" "artifacts/$t"
  local seeds=()
  [ -d "seeds/$t" ] && seeds=("seeds/$t")
  # -rss_limit_mb: an input that makes a parser allocate gigabytes is a finding too.
  cargo +nightly fuzz run "${flags[@]}" "$t" "corpus/$t" "${seeds[@]}" -- \
    -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=10 -print_final_stats=1 \
    >"$logs/$t.log" 2>&1 || true
}

running=0
for t in "${targets[@]}"; do
  run_one "$t" &
  running=$((running + 1))
  if [ "$running" -ge "$jobs" ]; then wait -n; running=$((running - 1)); fi
done
wait

printf '| target | executions | crashes saved |\n|---|---:|---:|\n'
for t in "${targets[@]}"; do
  execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$logs/$t.log" | grep -o '[0-9]*$' | tail -1)
  crashes=$(find "artifacts/$t" -type f \( -name 'crash-*' -o -name 'oom-*' -o -name 'timeout-*' \) | wc -l)
  printf '| %s | %s | %s |\n' "$t" "${execs:-?}" "$crashes"
done
echo "logs: $logs" >&2
