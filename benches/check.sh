#!/usr/bin/env bash
# Checker benchmark: `iep check` on a 1 MB plain-text plan. Target: under 50 ms median.
#
#   bash benches/check.sh            # installs hyperfine with apt-get if it is missing
#
# The text is the test corpus's passages (tests/fixtures/check/corpus.toml) repeated to 1 MB,
# so about one sentence in three has a finding: a worst case for output, not only for scanning.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v hyperfine >/dev/null; then
  echo "installing hyperfine (Debian package)..." >&2
  apt-get update -qq && apt-get install -y -qq hyperfine >/dev/null
fi

cargo build --release --quiet --bin iep
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
grep '^text = ' tests/fixtures/check/corpus.toml | sed 's/^text = "//; s/"$//' > "$work/passages.txt"
: > "$work/plan.txt"
while [ "$(stat -c %s "$work/plan.txt")" -lt 1048576 ]; do
  cat "$work/passages.txt" >> "$work/plan.txt"
done
head -c 1048576 "$work/plan.txt" > "$work/plan-1mb.txt"
iep="$PWD/target/release/iep"
"$iep" check "$work/plan-1mb.txt" > /dev/null || [ $? -eq 1 ]

hyperfine --warmup 3 --runs 30 -N -i --export-json "$work/result.json" \
  "$iep check $work/plan-1mb.txt" "$iep check --json $work/plan-1mb.txt"

python3 - "$work/result.json" <<'PY'
import json, sys
for r in json.load(open(sys.argv[1]))["results"]:
    kind = "iep check --json" if "--json" in r["command"] else "iep check"
    print(f"1 MB: {kind:16} median {r['median'] * 1000:.1f} ms (target < 50 ms)")
PY
