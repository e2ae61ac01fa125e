#!/usr/bin/env bash
# `iep serve` figures (a benchmark, not a test): time to the first page after starting it, a
# form step's round trip (one answer POSTed, the redirect followed to the next question), and
# the server's memory at rest. Release build; a case made by `iep init` in a temporary folder;
# only 127.0.0.1 is reached.
#
#   bash benches/serve.sh            # prints median and worst of 20 starts and 200 steps
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet
target="${CARGO_TARGET_DIR:-target}"
case "$target" in /*) ;; *) target="$PWD/$target" ;; esac
iep="$target/release/iep"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export HOME="$work/home" IEP_TODAY=2026-11-23
mkdir -p "$HOME"
"$iep" init "$work/sam" --no-input -j ontario -s "child_name=Sam Lee" -s child_dob=2016-04-09 \
  -s "grade=Grade 4" -s "school_name=Maple Grove School" -s "sender_name=Jordan Lee" \
  -s sender_email=jordan@example.org \
  --contact "principal=Ms. Amina Patel <a.patel@school.example.org>" 2>/dev/null

python3 - "$iep" "$work/sam" <<'PY'
import http.client, re, statistics, subprocess, sys, time, urllib.parse

iep, case = sys.argv[1], sys.argv[2]

def request(port, method, path, cookie=None, body=None):
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    headers = {"Host": f"127.0.0.1:{port}"}
    if cookie:
        headers["Cookie"] = cookie
    if body is not None:
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    c.request(method, path, body=body, headers=headers)
    r = c.getresponse()
    data = r.read()
    c.close()
    return r.status, dict(r.getheaders()), data

def start():
    t0 = time.perf_counter()
    p = subprocess.Popen([iep, "serve", "--case", case, "--no-open"],
                         stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    url = p.stdout.readline().strip()
    port, key = re.match(r"http://127\.0\.0\.1:(\d+)/\?key=(\w+)", url).groups()
    port = int(port)
    status, headers, _ = request(port, "GET", f"/?key={key}")
    cookie = headers["Set-Cookie"].split(";")[0]
    status, _, page = request(port, "GET", "/", cookie)
    assert status == 200, status
    return p, port, cookie, (time.perf_counter() - t0) * 1000

firsts = []
for _ in range(20):
    p, port, cookie, ms = start()
    firsts.append(ms)
    p.terminate(); p.wait()

p, port, cookie, _ = start()
_, _, page = request(port, "GET", "/write/implementation-concern/q/support", cookie)
csrf = re.search(rb'name="csrf" value="(\w+)"', page).group(1).decode()
steps = []
for i in range(200):
    body = urllib.parse.urlencode({"csrf": csrf, "support": f"Access to a scribe {i}"})
    t0 = time.perf_counter()
    status, headers, _ = request(port, "POST", "/write/implementation-concern/q/support", cookie, body)
    assert status == 303, status
    status, headers, _ = request(port, "GET", headers["Location"], cookie)
    status, _, _ = request(port, "GET", headers["Location"], cookie)
    assert status == 200, status
    steps.append((time.perf_counter() - t0) * 1000)
time.sleep(0.5)
rss = [l for l in open(f"/proc/{p.pid}/status") if l.startswith("VmRSS")][0].split()[1]
p.terminate(); p.wait()
print(f"first page after start: median {statistics.median(firsts):.1f} ms, worst {max(firsts):.1f} ms (20 starts)")
print(f"form step (POST, redirect, next question): median {statistics.median(steps):.1f} ms, worst {max(steps):.1f} ms (200 steps)")
print(f"memory at rest after them: {int(rss) / 1024:.1f} MB resident")
PY
