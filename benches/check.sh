#!/usr/bin/env bash
# Checker benchmark: `iep check` on inputs it makes itself. Target: under 50 ms median each,
# with the peak memory of one run.
#
#   bash benches/check.sh            # installs hyperfine (and GNU time) with apt-get if missing
#
# Inputs:
#   plan-1mb      the test corpus's passages (tests/fixtures/check/corpus.toml) repeated to 1 MB,
#                 so about one sentence in three has a finding: a worst case for output.
#   wrapped-1mb   the same, hard-wrapped at 72 columns as a plan saved from a PDF is.
#   lines-1mb     'a\n' x 500,000: a line break at every other byte (issue 11: was 16 s).
#   repeated-400k 'Access to a calculator as needed\n' x 12,000: one long sentence full of
#                 findings (issue 11: was 60-70 s and 9.5 GB).
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v hyperfine >/dev/null || [ ! -x /usr/bin/time ]; then
  echo "installing hyperfine and time (Debian packages)..." >&2
  apt-get update -qq && apt-get install -y -qq hyperfine time >/dev/null
fi

cargo build --release --quiet --bin iep
iep="${CARGO_TARGET_DIR:-$PWD/target}/release/iep"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

grep '^text = ' tests/fixtures/check/corpus.toml | sed 's/^text = "//; s/"$//' > "$work/passages.txt"
: > "$work/plan.txt"
while [ "$(stat -c %s "$work/plan.txt")" -lt 1048576 ]; do
  cat "$work/passages.txt" >> "$work/plan.txt"
done
head -c 1048576 "$work/plan.txt" > "$work/plan-1mb.txt"
fold -s -w 72 "$work/plan.txt" > "$work/wrapped.txt"
head -c 1048576 "$work/wrapped.txt" > "$work/wrapped-1mb.txt"
python3 -c "import sys; sys.stdout.write('a\n' * 500000)" > "$work/lines-1mb.txt"
python3 -c "import sys; sys.stdout.write('Access to a calculator as needed\n' * 12000)" > "$work/repeated-400k.txt"

inputs=(plan-1mb wrapped-1mb lines-1mb repeated-400k)
for name in "${inputs[@]}"; do
  # Exit 1 means findings; 2 would mean it could not check.
  "$iep" check "$work/$name.txt" > /dev/null || [ $? -eq 1 ]
done

commands=()
for name in "${inputs[@]}"; do
  commands+=("$iep check $work/$name.txt")
done
commands+=("$iep check --json $work/plan-1mb.txt")
hyperfine --warmup 3 --runs 30 -N -i --export-json "$work/result.json" "${commands[@]}"

for name in "${inputs[@]}"; do
  # `|| true`: exit 1 only means findings.
  kb=$( { /usr/bin/time -v "$iep" check "$work/$name.txt" > /dev/null || true; } 2>&1 \
    | awk -F': ' '/Maximum resident set size/ { print $2 }')
  echo "$name $kb" >> "$work/memory.txt"
done

python3 - "$work/result.json" "$work/memory.txt" <<'PY'
import json, sys
memory = dict(line.split() for line in open(sys.argv[2]))
for r in json.load(open(sys.argv[1]))["results"]:
    name = r["command"].split("/")[-1].removesuffix(".txt")
    kind = "iep check --json" if "--json" in r["command"] else "iep check"
    peak = f"peak {int(memory[name]) / 1024:.1f} MB" if kind == "iep check" else ""
    print(f"{name:14} {kind:16} median {r['median'] * 1000:6.1f} ms  (target < 50 ms)  {peak}")
PY
