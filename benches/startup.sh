#!/usr/bin/env bash
# Start-up benchmark: the whole `iep write implementation-concern --answers F --no-input
# --output -` process against a Rust hello-world process, in the same hyperfine run.
# Target: iep's median within 3x the hello-world's.
#
#   bash benches/startup.sh            # installs hyperfine with apt-get if it is missing
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v hyperfine >/dev/null; then
  echo "installing hyperfine (Debian package)..." >&2
  apt-get update -qq && apt-get install -y -qq hyperfine >/dev/null
fi

cargo build --release --quiet
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

cat > "$work/hello.rs" <<'RS'
fn main() { println!("Hello, world!"); }
RS
rustc -C opt-level=3 -o "$work/hello" "$work/hello.rs"

cat tests/fixtures/answers/common.toml tests/fixtures/answers/implementation-concern.toml > "$work/answers.toml"
iep="$PWD/target/release/iep write implementation-concern --jurisdiction ontario --date 2026-11-23 --answers $work/answers.toml --no-input --output -"
$iep > /dev/null  # fails loudly here if the command itself is broken

hyperfine --warmup 50 --runs 1000 -N \
  --export-json "$work/result.json" \
  "$work/hello" "$iep"

python3 - "$work/result.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))["results"]
hello, iep = r[0]["median"] * 1000, r[1]["median"] * 1000
print(f"median: hello-world {hello:.3f} ms, iep write {iep:.3f} ms, ratio {iep / hello:.2f}x (target <= 3x)")
PY
