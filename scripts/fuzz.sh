#!/usr/bin/env bash
# Fuzzes every parser a user can feed (the targets of fuzz/, one per input format of
# experiments/src/parsers.rs) with cargo-fuzz, each for a given time, and prints a table of
# executions, corpus size and crashes per target.
#
#   scripts/fuzz.sh [SECONDS] [TARGET...]       # default: 60 s for every target, one at a time
#   JOBS=2 scripts/fuzz.sh 120                  # two targets at a time
#   nice -n 10 scripts/fuzz.sh 90 npy result    # two targets, at low priority
#   TIMEOUT=30 scripts/fuzz.sh 60 group_spec     # a slower unit than 30 s is a finding (default 10)
#
# Needs the nightly toolchain and cargo-fuzz (`rustup toolchain install nightly`,
# `cargo install cargo-fuzz`). Builds with debug assertions (integer overflow traps) and no
# sanitizer: the parsers are safe Rust, and libtorch is not built for AddressSanitizer.
# The build goes to $FUZZ_TARGET_DIR (default fuzz/target), never to the workspace's target
# directory: its flags differ (coverage instrumentation, nightly), so sharing one would
# rebuild everything each time. The first build compiles the workspace's dependencies with
# instrumentation (13 min on a loaded 2-core VM); later ones only what changed.
# Each target starts from fuzz/seeds/TARGET (small valid inputs) and keeps its corpus in
# fuzz/corpus/TARGET. A crash (a panic, a unit slower than TIMEOUT seconds, or one needing
# more than 2 GB) stops that target and is saved in fuzz/artifacts/TARGET/: copy it to
# experiments/tests/fixtures/fuzz-regressions/TARGET/ so `cargo test` replays it, then fix it.
# The table counts the files saved by this call; the logs stay in the folder printed last.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
eval "$(scripts/setup-libtorch.sh)"
command -v cargo >/dev/null 2>&1 || { echo "fuzz.sh: cargo not found" >&2; exit 1; }
cargo +nightly fuzz --version >/dev/null 2>&1 || {
  echo "fuzz.sh: cargo-fuzz on nightly not found: rustup toolchain install nightly && cargo install cargo-fuzz" >&2
  exit 1
}
export CARGO_TARGET_DIR="${FUZZ_TARGET_DIR:-$PWD/fuzz/target}"
seconds="${1:-60}"
shift || true
cd fuzz
if [ "$#" -gt 0 ]; then targets=("$@"); else mapfile -t targets < <(cargo +nightly fuzz list); fi
jobs="${JOBS:-1}"
timeout="${TIMEOUT:-10}"
flags=(--sanitizer none --debug-assertions)
cargo +nightly fuzz build "${flags[@]}" >&2
logs=$(mktemp -d)
touch "$logs/start"

run_one() {
  local t="$1"
  mkdir -p "corpus/$t" "artifacts/$t"
  local seeds=()
  [ -d "seeds/$t" ] && seeds=("seeds/$t")
  # -rss_limit_mb: an input that makes a parser allocate gigabytes is a finding too.
  cargo +nightly fuzz run "${flags[@]}" "$t" "corpus/$t" "${seeds[@]}" -- \
    -max_total_time="$seconds" -rss_limit_mb=2048 -timeout="$timeout" -print_final_stats=1 \
    >"$logs/$t.log" 2>&1 || true
}

running=0
for t in "${targets[@]}"; do
  run_one "$t" &
  running=$((running + 1))
  if [ "$running" -ge "$jobs" ]; then wait -n; running=$((running - 1)); fi
done
wait

printf '| target | executions | corpus | crashes saved |\n|---|---:|---:|---:|\n'
for t in "${targets[@]}"; do
  # The final stats when the run ended on time, else (a crash) the last status line `#N`.
  execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$logs/$t.log" | grep -o '[0-9]*$' | tail -1)
  [ -n "$execs" ] || execs=$(grep -o '^#[0-9]*' "$logs/$t.log" | tr -d '#' | tail -1)
  corpus=$(find "corpus/$t" -type f | wc -l)
  crashes=$(find "artifacts/$t" -type f -newer "$logs/start" \( -name 'crash-*' -o -name 'oom-*' -o -name 'timeout-*' \) | wc -l)
  printf '| %s | %s | %s | %s |\n' "$t" "${execs:-?}" "$corpus" "$crashes"
done
echo "logs: $logs" >&2
