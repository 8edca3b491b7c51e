#!/usr/bin/env bash
# HTTP benchmarks with wrk on loopback (issue 3): lookup throughput and p99 latency at 64
# connections against a 1M-signal bank, for /v1/match and HMA's /m/lookup; and scanning
# 100 kB JPEGs over HTTP vs `vigil hash` on the same files, side by side: POST /v1/scan
# (hashes, matches against the bank, opens cases), and POST /v1/hash, which does the CLI's
# work, so that its difference is the HTTP transport alone.
# Usage: bench/http/http_bench.sh path/to/vigil [signals=1000000] [seconds=10]
#   (HTTP_BENCH=scan: the scan comparison only; HTTP_BENCH_ROUNDS: its rounds, default 5;
#   VIGIL_SERVE_FLAGS: flags for vigil serve)
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
# VIGIL_SERVE_FLAGS: extra flags for the server, e.g. "--no-dihedral --no-border-trim" to
# hash uploads as `vigil hash` does (the query variants cost ~0.5 ms an image, bench/pdq).
# shellcheck disable=SC2086
"$vigil" serve --port 18181 ${VIGIL_SERVE_FLAGS:-} >"$work/serve.log" 2>&1 &
server=$!
for _ in $(seq 50); do grep -q serving "$work/serve.log" && break; sleep 0.2; done

run_wrk() {  # label, then wrk args
  local label=$1; shift
  echo "-- $label"
  wrk -t2 -c64 -d"${secs}s" --latency "$@" | grep -E 'Requests/sec|Non-2xx|Socket errors|^ +(50|99)%'
}
export TOKEN=$token QUERIES=$work/queries.txt
if [[ ${HTTP_BENCH:-all} != scan ]]; then  # HTTP_BENCH=scan runs the scan comparison only
  PATH_PREFIX="/v1/match?signal_type=pdq&signal=" run_wrk "GET /v1/match, $n signals, 64 connections" \
    -s "$here/lookup.lua" http://127.0.0.1:18181
  PATH_PREFIX="/m/lookup?signal_type=pdq&signal=" run_wrk "GET /m/lookup (HMA), $n signals, 64 connections" \
    -s "$here/lookup.lua" http://127.0.0.1:18181
fi
# Scans of ~100 kB JPEGs over HTTP (POST /v1/scan, a new content_id each; multipart as most
# platforms send, and the raw body with the ids in the query) against `vigil hash -j 2` on
# the same files. They run in turn, round after round, so a burst of noise on this shared
# machine hits them alike. The CLI reads files from the page cache; the server gets them
# over loopback from wrk, which shares the two cores.
"$here/make_uploads.sh" "$work/uploads" 24
# The CLI gets about as many seconds of work as each wrk run (24 files x 10 x seconds, at
# ~200 images/s): a 1 s CLI run swung by +-15% from one run to the next here.
copies=$((secs * 10))
mkdir "$work/files"
for r in $(seq "$copies"); do for f in "$work"/uploads/*.jpg; do cp "$f" "$work/files/$r-${f##*/}"; done; done
ls "$work"/uploads/*.jpg >"$work/uploads.txt"
export UPLOADS=$work/uploads.txt
# CPU milliseconds per image as well as images/s: on a machine shared with other work the
# rates swing, while the CPU each image costs barely moves, so it is the steadier measure
# of what the HTTP path adds.
cli_rate() {  # [vigil hash flags]; prints images/s, CPU ms per image
  local s e cpu
  s=$(date +%s%N)
  cpu=$( { TIMEFORMAT='%U %S'; time "$vigil" hash -j 2 "$@" "$work/files" >/dev/null; } 2>&1)
  e=$(date +%s%N)
  awk -v n="$((copies * 24))" -v t="$(((e - s) / 1000))" -v cpu="$cpu" 'BEGIN { split(cpu, c, " "); print n / (t / 1e6), (c[1] + c[2]) * 1000 / n }'
}
server_ticks() { awk '{ print $14 + $15 }' "/proc/$server/stat"; }
# Requests the server finished on `route`, by its own /metrics counter.
served() {
  curl -s http://127.0.0.1:18181/metrics |
    awk -v r="$1" 'index($0, "vigil_http_requests_total{route=\"" r "\"") == 1 { n += $NF } END { print n + 0 }'
}
# Waits until the server has finished the requests wrk left in flight when it stopped.
settle() {
  local last now
  last=$(server_ticks)
  for _ in $(seq 50); do
    sleep 0.2
    now=$(server_ticks)
    [[ $now == "$last" ]] && return
    last=$now
  done
}
http_rate() {  # conns, lua script; prints images/s, p99, server CPU ms per image
  # CPU per image is the server's CPU over the requests the server itself finished: wrk
  # stops with up to `conns` requests in flight, which the server still works on but wrk
  # does not count (at 64 connections and ~500 requests a run, a 13% overstatement).
  local out t0 t1 n0 n1 route
  route="POST ${RAW_ROUTE:-/v1/scan}"
  settle
  t0=$(server_ticks) n0=$(served "$route")
  out=$(wrk -t2 -c"$1" -d"${secs}s" --timeout 10s --latency -s "$here/$2" http://127.0.0.1:18181)
  settle
  t1=$(server_ticks) n1=$(served "$route")
  if grep -qE 'Non-2xx|Socket errors' <<<"$out"; then grep -E 'Non-2xx|Socket errors' <<<"$out" >&2; fi
  awk -v ticks="$((t1 - t0))" -v hz="$(getconf CLK_TCK)" -v n="$((n1 - n0))" \
    '/Requests\/sec/ { r = $2 } /^ +99%/ { p = $2 } END { print r, p, ticks * 1000 / hz / n }' <<<"$out"
}
max() { awk -v a="$1" -v b="$2" 'BEGIN { print (a > b ? a : b) }'; }
median() { tr ' ' '\n' | grep . | sort -g | awk '{ v[NR] = $1 } END { printf "%+.1f", (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2) }'; }
pct() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%+.1f", (a / b - 1) * 100 }'; }
# The server hashes an upload with its query variants (8 dihedral hashes, border detection,
# the trimmed hashes); `vigil hash --dihedral --trimmed` does the same hashing work, so the
# server's cost over it is the transport, the index lookups and the JSON alone.
# Each round measures the CLI and the server back to back, so a round's ratios share the
# machine's state of the moment; the summary is the median of the rounds' ratios (this
# 2-core machine's own speed drifts by +-15% from minute to minute, which a least-of-N
# taken per configuration would turn into a ratio of two lucky rounds).
rounds=${HTTP_BENCH_ROUNDS:-5}
for conns in 8 64; do
  best_cli=0 best_mp=0 best_raw=0 best_hash=0 best_var=0
  r_mp='' r_raw='' r_hash='' p_mp='' p_raw='' p_hash=''
  for round in $(seq "$rounds"); do
    read -r c cc < <(cli_rate)
    read -r v vc < <(cli_rate --dihedral --trimmed)
    read -r m mp99 mc < <(http_rate "$conns" scan.lua)
    read -r w wp99 wc < <(http_rate "$conns" scan_raw.lua)
    read -r h hp99 hc < <(RAW_ROUTE=/v1/hash http_rate "$conns" scan_raw.lua)
    printf -- '   round %d: CPU ms per image: cli %.2f, with variants %.2f; scan multipart %.2f (%s%%), raw %.2f (%s%%); hash raw %.2f (%s%%); images/s: cli %.1f, multipart %.1f (p99 %s), raw %.1f (p99 %s), hash %.1f (p99 %s)\n' \
      "$round" "$cc" "$vc" "$mc" "$(pct "$mc" "$vc")" "$wc" "$(pct "$wc" "$vc")" "$hc" "$(pct "$hc" "$vc")" \
      "$c" "$m" "$mp99" "$w" "$wp99" "$h" "$hp99"
    best_cli=$(max "$c" "$best_cli") best_mp=$(max "$m" "$best_mp") best_raw=$(max "$w" "$best_raw")
    best_hash=$(max "$h" "$best_hash") best_var=$(max "$v" "$best_var")
    r_mp+=" $(pct "$mc" "$vc")" r_raw+=" $(pct "$wc" "$vc")" r_hash+=" $(pct "$hc" "$vc")"
    p_mp+=" $(pct "$mc" "$cc")" p_raw+=" $(pct "$wc" "$cc")" p_hash+=" $(pct "$hc" "$cc")"
  done
  printf -- '-- %d connections, best of %d: vigil hash -j 2 %.1f images/s (with variants %.1f); POST /v1/scan multipart %.1f, raw body %.1f; POST /v1/hash raw body %.1f\n' \
    "$conns" "$rounds" "$best_cli" "$best_var" "$best_mp" "$best_raw" "$best_hash"
  printf -- '   server CPU per image over vigil hash -j 2 --dihedral --trimmed (the same hashing), median of %d rounds: scan multipart %s%%, scan raw %s%%, hash raw %s%%\n' \
    "$rounds" "$(median <<<"$r_mp")" "$(median <<<"$r_raw")" "$(median <<<"$r_hash")"
  printf -- '   over plain vigil hash -j 2 (no query variants), median: scan multipart %s%%, scan raw %s%%, hash raw %s%%\n' \
    "$(median <<<"$p_mp")" "$(median <<<"$p_raw")" "$(median <<<"$p_hash")"
done
