#!/usr/bin/env bash
# Times `gm group show` (classes and the exact character table, plus irreps where it builds
# them) against GAP's `Irr` on the same permutation generators, for groups of order 10³–10⁶.
# GAP (Debian: `apt-get install gap`) produces the generators, so both programs get the same
# group, and GAP gets it as a plain `Group(generators)` (no family knowledge such as "natural
# symmetric group", which would let it skip the computation); the tests never need GAP. Checks
# that both tables have the same number of rows, and prints a markdown table.
#
#   scripts/character-tables-vs-gap.sh [GM_BINARY]     (default target/debug/gm)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
gm=${1:-target/debug/gm}
command -v gap >/dev/null || { echo "character-tables-vs-gap.sh: gap not found (apt-get install gap)" >&2; exit 1; }
[ -n "${LIBTORCH:-}" ] || eval "$(scripts/setup-libtorch.sh)"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# name | GAP expression of a permutation group
groups=(
  "S7|SymmetricGroup(7)"
  "M11|MathieuGroup(11)"
  "PSL(2,31)|Image(IsomorphismPermGroup(PSL(2,31)))"
  "A8|AlternatingGroup(8)"
  "PSL(3,4)|Image(IsomorphismPermGroup(PSL(3,4)))"
  "C2 wr S5|WreathProduct(CyclicGroup(IsPermGroup,2),SymmetricGroup(5))"
  "S8|SymmetricGroup(8)"
  "M12|MathieuGroup(12)"
  "S9|SymmetricGroup(9)"
  "PSL(2,97)|Image(IsomorphismPermGroup(PSL(2,97)))"
  "A10|AlternatingGroup(10)"
)
# The binary's start-up (loading libtorch's libraries) is timed on C2 and shown apart.
ms_of() { local start; start=$(date +%s%N); "$@" > "$work/gm.json"; echo $((($(date +%s%N) - start) / 1000000)); }
secs() { printf '%d.%02d' $(($1 / 1000)) $(($1 % 1000 / 10)); }
startup_ms=$(ms_of "$gm" group show C2 --json)
echo "gm start-up (group show C2): $(secs "$startup_ms") s; $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
echo
echo "| group | order | classes | gm group show (s) | minus start-up (s) | GAP Irr (s) |"
echo "|---|---:|---:|---:|---:|---:|"
for entry in "${groups[@]}"; do
  name=${entry%%|*}
  expr=${entry#*|}
  cat > "$work/run.g" <<GAP
G := Group(GeneratorsOfGroup($expr));;
gens := JoinStringsWithSeparator(List(GeneratorsOfGroup(G), g -> ReplacedString(String(g), " ", "")), ";");;
out := OutputTextFile("$work/gens", false);; SetPrintFormattingStatus(out, false);
PrintTo(out, gens);; CloseStream(out);
t := Runtime();; irr := Irr(G);; t := Runtime() - t;;
PrintTo("$work/gap", Size(G), " ", Length(irr), " ", Float(t / 1000), "\n");
QUIT;
GAP
  gap -q -o 8g "$work/run.g" >/dev/null
  read -r order classes gap_s < "$work/gap"
  gm_ms=$(ms_of "$gm" group show "perm:$(cat "$work/gens")" --json)
  ours=$(python3 -c 'import json, sys; d = json.load(open(sys.argv[1]))
print(len(d["character_table_exact"]) if d.get("character_table_exact") else 0)' "$work/gm.json")
  [ "$ours" = "$classes" ] || { echo "$name: gm's table has $ours rows, GAP's $classes" >&2; exit 1; }
  net_ms=$((gm_ms > startup_ms ? gm_ms - startup_ms : 0))
  printf '| %s | %s | %s | %s | %s | %.2f |\n' "$name" "$order" "$classes" \
    "$(secs "$gm_ms")" "$(secs "$net_ms")" "$gap_s"
done
