#!/usr/bin/env bash
# HTTP benchmarks with wrk on loopback (issue 3): lookup throughput and p99 latency at 64
# connections against a 1M-signal bank, for /v1/match and HMA's /m/lookup; and scanning
# 100 kB JPEGs over HTTP vs `vigil hash` on the same files, side by side.
# Usage: bench/http/http_bench.sh path/to/vigil [signals=1000000] [seconds=10]
set -euo pipefail
vigil=${1:?usage: http_bench.sh path/to/vigil [signals] [seconds]}
n=${2:-1000000}
secs=${3:-10}
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
work=$(mktemp -d)
server=
trap '[[ -n $server ]] && kill $server 2>/dev/null; rm -rf "$work"' EXIT
export VIGIL_DB=$work/vigil.db

# A bank of n random PDQ hashes; queries are half bank entries, half random.
awk -v n="$n" 'BEGIN { srand(7); print "signal_type,signal";
  for (i = 0; i < n; i++) { s = ""; for (j = 0; j < 8; j++) s = s sprintf("%08x", int(rand() * 4294967296)); print "pdq," s } }' \
  >"$work/bank.csv"
"$vigil" bank create big >/dev/null
"$vigil" bank import big "$work/bank.csv" 2>&1 | tail -1
{ sed -n '2~2000p' "$work/bank.csv" | cut -d, -f2
  awk 'BEGIN { srand(11); for (i = 0; i < 500; i++) { s = ""; for (j = 0; j < 8; j++) s = s sprintf("%08x", int(rand() * 4294967296)); print s } }'
} | shuf --random-source=<(yes) >"$work/queries.txt"
token=$("$vigil" token create --role submitter --name bench 2>/dev/null)
"$vigil" serve --port 18181 >"$work/serve.log" 2>&1 &
server=$!
for _ in $(seq 50); do grep -q serving "$work/serve.log" && break; sleep 0.2; done

run_wrk() {  # label, then wrk args
  local label=$1; shift
  echo "-- $label"
  wrk -t2 -c64 -d"${secs}s" --latency "$@" | grep -E 'Requests/sec|Non-2xx|Socket errors|^ +(50|99)%'
}
export TOKEN=$token QUERIES=$work/queries.txt
PATH_PREFIX="/v1/match?signal_type=pdq&signal=" run_wrk "GET /v1/match, $n signals, 64 connections" \
  -s "$here/lookup.lua" http://127.0.0.1:18181
PATH_PREFIX="/m/lookup?signal_type=pdq&signal=" run_wrk "GET /m/lookup (HMA), $n signals, 64 connections" \
  -s "$here/lookup.lua" http://127.0.0.1:18181

# Scans of ~100 kB JPEGs over HTTP (multipart POST /v1/scan, a new content_id each) against
# `vigil hash -j 2` on the same files, run back to back, best of three each. The CLI reads
# files from the page cache; the server gets them over loopback from wrk, which shares
# the two cores.
"$here/make_uploads.sh" "$work/uploads" 24
mkdir "$work/files"
for r in $(seq 10); do for f in "$work"/uploads/*.jpg; do cp "$f" "$work/files/$r-${f##*/}"; done; done
ls "$work"/uploads/*.jpg >"$work/uploads.txt"
export UPLOADS=$work/uploads.txt
best_cli=0
for _ in 1 2 3; do
  s=$(date +%s%N)
  "$vigil" hash -j 2 "$work/files" >/dev/null
  e=$(date +%s%N)
  best_cli=$(awk -v t="$(((e - s) / 1000))" -v b="$best_cli" 'BEGIN { r = 240 / (t / 1e6); print (r > b ? r : b) }')
done
printf -- '-- vigil hash -j 2, 240 files: best %.1f images/s\n' "$best_cli"
for conns in 8 64; do
  best_http=0
  for _ in 1 2 3; do
    out=$(wrk -t2 -c"$conns" -d"${secs}s" --timeout 10s --latency -s "$here/scan.lua" http://127.0.0.1:18181)
    rps=$(awk '/Requests\/sec/ { print $2 }' <<<"$out")
    grep -E 'Non-2xx|Socket errors' <<<"$out" || true
    best_http=$(awk -v r="$rps" -v b="$best_http" 'BEGIN { print (r > b ? r : b) }')
  done
  awk -v h="$best_http" -v c="$best_cli" -v n="$conns" 'BEGIN {
    printf "-- POST /v1/scan, %d connections: best %.1f images/s; HTTP costs %.1f%% over the CLI\n", n, h, (c / h - 1) * 100 }'
  grep -E '^ +99%' <<<"$out" | sed 's/^/   last run /'
done
