#!/usr/bin/env bash
# Case benchmark: `iep log` and `iep due` on a case folder with 10,000 records.
# Target: each under 100 ms median.
#
#   bash benches/case.sh [COUNT]     # installs hyperfine with apt-get if it is missing
#
# The case is made by `examples/fill_case.rs` (mixed letters; two in three replied to; the rest
# overdue). The first run builds the index (records/.index); hyperfine's warm-up runs do that, so
# the figures are for the everyday case: an index that is up to date, or nearly.
set -euo pipefail
cd "$(dirname "$0")/.."
count=${1:-10000}

if ! command -v hyperfine >/dev/null; then
  echo "installing hyperfine (Debian package)..." >&2
  apt-get update -qq && apt-get install -y -qq hyperfine >/dev/null
fi

cargo build --release --quiet --bin iep --example fill_case
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
target/release/examples/fill_case "$work/case" "$count"
iep="$PWD/target/release/iep"
cd "$work/case"
export IEP_TODAY=2026-11-23
"$iep" log >/dev/null
"$iep" due >/dev/null

hyperfine --warmup 5 --runs 50 -N --export-json "$work/result.json" \
  "$iep log" "$iep due"

# A cold index: every record.toml parsed (after a change to every record, or a lost index).
hyperfine --runs 10 -N --prepare "rm -f $work/case/records/.index" \
  --export-json "$work/cold.json" "$iep log"

python3 - "$work/result.json" "$work/cold.json" "$count" <<'PY'
import json, sys
warm = json.load(open(sys.argv[1]))["results"]
cold = json.load(open(sys.argv[2]))["results"][0]
for r in warm:
    print(f"{sys.argv[3]} records: {r['command'].split('/')[-1]:8} median {r['median'] * 1000:.1f} ms (target < 100 ms)")
print(f"{sys.argv[3]} records: iep log with no index, median {cold['median'] * 1000:.1f} ms")
PY
