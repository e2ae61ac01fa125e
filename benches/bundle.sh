#!/usr/bin/env bash
# Printing benchmark: a one-page letter as a PDF against the same letter as text (target: the
# PDF within 10 ms more), and `iep bundle` of a case with COUNT real letters (target: 200
# letters under 1 s). Prints the binary's size too.
#
#   bash benches/bundle.sh [COUNT]   # installs hyperfine with apt-get if it is missing
#
# The case is made with iep itself: COUNT implementation-concern letters a day apart, every
# third one replied to, every tenth with a 200 KB attachment, and an observation a week.
set -euo pipefail
cd "$(dirname "$0")/.."
count=${1:-200}

if ! command -v hyperfine >/dev/null; then
  echo "installing hyperfine (Debian package)..." >&2
  apt-get update -qq && apt-get install -y -qq hyperfine >/dev/null
fi

cargo build --release --quiet --bin iep
iep="${CARGO_TARGET_DIR:-$PWD/target}/release/iep"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export HOME="$work/home" IEP_TODAY=2027-12-31
mkdir -p "$HOME"

cat tests/fixtures/answers/common.toml tests/fixtures/answers/implementation-concern.toml > "$work/answers.toml"
write="$iep write implementation-concern --jurisdiction ontario --date 2026-11-23 --answers $work/answers.toml --no-input --output -"
$write > /dev/null
$write --pdf > /dev/null
# Outside any case (inside one, each run would record a letter).
(cd "$work" && hyperfine --warmup 20 --runs 300 -N --export-json "$work/letter.json" \
  "$write" "$write --pdf")

"$iep" init "$work/case" --no-input -j ontario -s "child_name=Zoé Tremblay-Côté" \
  -s child_dob=2016-04-09 -s "grade=Grade 4" -s "school_name=Maple Grove School" \
  -s "sender_name=Nguyễn Thị Hoa" -s sender_email=hoa@example.org \
  --contact "principal=Ms. Amina Patel <a.patel@school.example.org>" 2>/dev/null
head -c 200000 /dev/urandom > "$work/report.pdf"
cd "$work/case"
for n in $(seq 0 $((count - 1))); do
  day=$(date -d "2026-11-13 + $n days" +%F)
  attach=()
  if (( n % 10 == 0 )); then attach=(--attach "$work/report.pdf"); fi
  "$iep" write implementation-concern --no-input --date "$day" \
    --answers "$OLDPWD/tests/fixtures/answers/implementation-concern.toml" "${attach[@]}" 2>/dev/null
  id="$day-implementation-concern"
  if (( n % 3 == 1 )); then
    "$iep" reply "$id" --no-input --date "$day" --from "Ms. Patel" \
      --summary "The scribe starts on Monday." --answered 1,2 2>/dev/null
  fi
  if (( n % 7 == 0 )); then
    "$iep" observe --no-input --date "$day" --support "Access to a scribe" \
      --setting "science class" --what "no scribe for the test" >/dev/null 2>&1
  fi
done
"$iep" bundle -o "$work/bundle.pdf"

hyperfine --warmup 2 --runs 15 -N --export-json "$work/bundle.json" \
  "$iep bundle -o -"

python3 - "$work/letter.json" "$work/bundle.json" "$count" "$work/bundle.pdf" "$iep" <<'PY'
import json, os, sys
text, pdf = json.load(open(sys.argv[1]))["results"]
bundle = json.load(open(sys.argv[2]))["results"][0]
ms = lambda r: r["median"] * 1000
print(f"letter: text {ms(text):.2f} ms, PDF {ms(pdf):.2f} ms median: +{ms(pdf) - ms(text):.2f} ms (target < 10 ms)")
print(f"bundle of {sys.argv[3]} letters: median {ms(bundle):.0f} ms (target < 1000 ms), "
      f"{os.path.getsize(sys.argv[4]) / 1e6:.1f} MB")
print(f"binary: {os.path.getsize(sys.argv[5]) / 1e6:.2f} MB")
PY
