#!/usr/bin/env bash
# Peak resident memory of `vigil serve` during one bank import over HTTP
# (POST /v1/banks/{name}/import), against the server's peak before it.
#
#   bench/http/import_rss.sh path/to/vigil [rows...]
#
# For each row count: a fresh database and server, a CSV of that many MD5 signals
# generated here, the import, then VmHWM (peak RSS, /proc/PID/status) before and after.
# A buffered import holds the body (and copies of it) in memory; a streamed one holds a
# bounded pipe plus the importer's own batch and page cache, whatever the body size.
set -euo pipefail
VIGIL=${1:?usage: import_rss.sh path/to/vigil [rows...]}
shift
ROWS=("${@:-1000000}")
WORK=$(mktemp -d)
PID=
trap '[[ -n $PID ]] && kill "$PID" 2>/dev/null; rm -rf "$WORK"' EXIT

hwm_kib() { awk '/VmHWM/ { print $2 }' "/proc/$1/status"; }

for rows in "${ROWS[@]}"; do
  db=$WORK/vigil-$rows.db
  token=$("$VIGIL" --db "$db" token create --role curator --name bench 2>/dev/null)
  # Disabled, so the index rebuild after the commit (which holds every matchable signal)
  # does not hide the import's own peak.
  "$VIGIL" --db "$db" bank create bench --disabled >/dev/null
  awk -v n="$rows" 'BEGIN { print "signal_type,signal,labels,source";
    for (i = 1; i <= n; i++) printf "md5,%08x%08x%08x%08x,propaganda,bench\n", 3, i % 65521, i, 11 }' >"$WORK/body.csv"
  bytes=$(stat -c %s "$WORK/body.csv")
  # Room for the body in either kind of server (an older one knows no --max-import-bytes).
  limit=(--max-body-bytes $((bytes + 1024)))
  "$VIGIL" serve --help | grep -q -- --max-import-bytes && limit+=(--max-import-bytes $((bytes + 1024)))
  "$VIGIL" --db "$db" serve --port 0 "${limit[@]}" 2>"$WORK/serve.log" &
  PID=$!
  port=
  for _ in $(seq 200); do
    port=$(grep -o 'http://127.0.0.1:[0-9]*' "$WORK/serve.log" | head -1 | cut -d: -f3 || true)
    [[ -n $port ]] && curl -sf "http://127.0.0.1:$port/readyz" >/dev/null && break
    sleep 0.05
  done
  before=$(hwm_kib "$PID")
  start=$(date +%s.%N)
  code=$(curl -s -o "$WORK/resp" -w '%{http_code}' -H "Authorization: Bearer $token" \
    -H 'Content-Type: text/csv' --data-binary "@$WORK/body.csv" \
    "http://127.0.0.1:$port/v1/banks/bench/import")
  took=$(echo "$(date +%s.%N) - $start" | bc)
  after=$(hwm_kib "$PID")
  kill "$PID"
  wait "$PID" 2>/dev/null || true
  PID=
  printf 'rows=%d body=%.1f MiB http=%s import=%.2f s peak_rss_before=%.1f MiB peak_rss_during_import=%.1f MiB\n' \
    "$rows" "$(echo "$bytes / 1048576" | bc -l)" "$code" "$took" \
    "$(echo "$before / 1024" | bc -l)" "$(echo "$after / 1024" | bc -l)"
  rm -f "$db"* "$WORK/body.csv"
done
