#!/usr/bin/env bash
# End to end: `kill -9` of a busy `vigil serve` (and of `vigil bank import`) loses nothing
# that was acknowledged and leaves nothing half done. Rounds of concurrent decisions are
# cut off by SIGKILL at different moments; after each restart every decision a client got
# a 2xx for is in the database, each case's state, decision rows, webhook outbox rows and
# audit events agree, the audit chain verifies and SQLite's integrity check passes. Large
# imports (over HTTP and from the CLI) are killed while streaming, while writing and at
# random; each bank then holds none or all of its import's rows.
#
# Kill moments come from $RANDOM (seeded below; set CRASH_SEED to replay a run). They pick
# *when* to kill, never whether a check passes: every check holds at any kill moment.
source "$(dirname "$0")/lib.sh"

SEED=${CRASH_SEED:-$$}
RANDOM=$SEED
echo "crash_test: seed $SEED"
DECISION_ROUNDS=3
WORKERS=4
CASES_PER_WORKER=120
IMPORT_ROWS=200000
SERVER_PID=
PORT=

q() { sqlite3 -batch "$VIGIL_DB" "$@"; }

stop_server() {
  if [[ -n $SERVER_PID ]]; then
    kill -9 "$SERVER_PID" 2>/dev/null
    wait "$SERVER_PID" 2>/dev/null
    SERVER_PID=
  fi
}
trap 'stop_server; rm -rf "$WORK"' EXIT

# Starts `vigil serve` on a free port (port 0; the port is read from its log) and waits,
# up to 30 s, until /readyz answers 200.
start_server() {
  : >"$WORK/serve.log"
  "$VIGIL" serve --host 127.0.0.1 --port 0 --max-import-bytes 1073741824 \
    >/dev/null 2>"$WORK/serve.log" &
  SERVER_PID=$!
  PORT=
  local deadline=$((SECONDS + 30))
  while ((SECONDS < deadline)); do
    if [[ -z $PORT ]]; then
      PORT=$(grep -o 'http://127.0.0.1:[0-9]*' "$WORK/serve.log" | head -1 | cut -d: -f3)
    fi
    if [[ -n $PORT ]] && [[ $(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$PORT/readyz") == 200 ]]; then
      return 0
    fi
    kill -0 "$SERVER_PID" 2>/dev/null || break
    sleep 0.05
  done
  fail "server did not become ready: $(head -c 600 "$WORK/serve.log")"
  finish
}

# api TOKEN METHOD PATH [curl args...]: body in $WORK/resp, status in $code.
api() {
  local token=$1 method=$2 path=$3
  shift 3
  code=$(curl -s -o "$WORK/resp" -w '%{http_code}' -X "$method" \
    -H "Authorization: Bearer $token" "http://127.0.0.1:$PORT$path" "$@")
}

# The database must be whole and its audit chain intact (WHEN names the moment).
check_database() {
  local when=$1
  [[ $(q "PRAGMA integrity_check") == ok ]] || fail "$when: integrity_check: $(q 'PRAGMA integrity_check' | head -3)"
  run audit verify
  expect_rc 0 "$when: audit verify"
}

# token ROLE NAME: prints the new token's secret.
token() { "$VIGIL" token create --role "$1" --name "$2" 2>/dev/null; }

# --- setup: tokens, a bank of MD5 signals (and one real image's), cases to decide
ADMIN=$(token admin root)
CURATOR=$(token curator cura)
SUBMITTER=$(token submitter platform)
REVIEWER=$(token reviewer rev)
[[ $ADMIN$CURATOR$SUBMITTER$REVIEWER =~ ^(vgl_[A-Za-z0-9_-]{43}){4}$ ]] || fail "token create"
IMAGE=$ROOT/tests/data/pdq/misc-images/small.jpg
TOTAL_CASES=$((DECISION_ROUNDS * WORKERS * CASES_PER_WORKER))
{
  echo "signal_type,signal"
  echo "md5,$(md5sum "$IMAGE" | cut -c1-32)"
  # The varying part first: the exact-match index hashes a key by its first 8 bytes.
  awk -v n="$TOTAL_CASES" 'BEGIN { for (i = 1; i <= n; i++) printf "md5,%08x%08x%08x%08x\n", i, i, 7, 7 }'
} >"$WORK/cases.csv"
run bank create terror-demo
expect_rc 0 "bank create"
run bank import terror-demo "$WORK/cases.csv"
expect_rc 0 "bank import of the case bank"

start_server
api "$SUBMITTER" POST /v1/scan -F content_id=img-1 -F "media=@$IMAGE"
[[ $code == 201 ]] || fail "scan of a test image: HTTP $code $(head -c 300 "$WORK/resp")"
# Cases by precomputed hash, in parallel keep-alive curl processes (one per worker).
for w in $(seq 0 $((WORKERS - 1))); do
  awk -v w="$w" -v per=$((TOTAL_CASES / WORKERS)) -v port="$PORT" -v tok="$SUBMITTER" 'BEGIN {
    for (i = w * per + 1; i <= (w + 1) * per; i++) {
      if (i > w * per + 1) print "next"
      printf "url = \"http://127.0.0.1:%s/v1/scan\"\nsilent\noutput = \"/dev/null\"\n", port
      printf "header = \"Authorization: Bearer %s\"\nheader = \"Content-Type: application/json\"\n", tok
      printf "data = \"{\\\"content_id\\\":\\\"c-%d\\\",\\\"hashes\\\":{\\\"md5\\\":\\\"%08x%08x%08x%08x\\\"}}\"\n", i, i, i, 7, 7
      printf "write-out = \"%%{http_code}\\n\"\n"
    }
  }' >"$WORK/scan$w.cfg"
  curl -K "$WORK/scan$w.cfg" >"$WORK/scan$w.codes" &
done
wait_jobs() { for j in $(jobs -p); do [[ $j == "$SERVER_PID" ]] || wait "$j"; done; }
wait_jobs
created=$(cat "$WORK"/scan*.codes | grep -c '^201$')
[[ $created == "$TOTAL_CASES" ]] || fail "scans opened $created cases, want $TOTAL_CASES"
# Case ids are consecutive (AUTOINCREMENT), whatever order the scans landed in.
first_case=$(q "SELECT min(id) FROM cases WHERE content_id LIKE 'c-%'")

# --- decisions cut off by kill -9
# Worker W of round R decides its own slice of cases, one keep-alive curl process, and
# records "<http code> <case id> <curl exit code>" per request.
decision_config() {
  local round=$1 w=$2 lo=$3
  awk -v lo="$lo" -v n="$CASES_PER_WORKER" -v port="$PORT" -v tok="$REVIEWER" -v dir="$WORK/r$round" 'BEGIN {
    kinds[0] = "remove"; kinds[1] = "keep"; kinds[2] = "escalate"
    for (c = lo; c < lo + n; c++) {
      if (c > lo) print "next"
      k = kinds[c % 3]
      printf "url = \"http://127.0.0.1:%s/v1/cases/%d/decision\"\nsilent\nmax-time = 20\n", port, c
      printf "header = \"Authorization: Bearer %s\"\nheader = \"Content-Type: application/json\"\n", tok
      printf "data = \"{\\\"decision\\\":\\\"%s\\\",\\\"reason\\\":\\\"crash test\\\",\\\"ground\\\":\\\"terms 4.2\\\"}\"\n", k
      printf "output = \"%s/%d.json\"\nwrite-out = \"%%{http_code} %d %%{exitcode}\\n\"\n", dir, c, c
    }
  }'
}

# Every decision acknowledged with a 2xx is in the database, as acknowledged: the
# (case, decision id, kind) of each 2xx body, checked in one query. A reply cut off by the
# kill (status line read, curl failed) acknowledged nothing.
check_acknowledged() {
  local round=$1 acked missing
  awk '$1 ~ /^2/ && $3 == 0 { print $2 }' "$WORK/r$round"/codes* | sed "s|.*|$WORK/r$round/&.json|" >"$WORK/acked"
  acked=$(wc -l <"$WORK/acked")
  if ((acked > 0)); then
    xargs jq -r '"(\(.case_id), \(.id), '"'"'\(.decision)'"'"'),"' <"$WORK/acked" | sed '$ s/,$//' >"$WORK/acked.sql"
    missing=$(q "WITH acked(case_id, id, kind) AS (VALUES $(cat "$WORK/acked.sql"))
                 SELECT count(*) FROM acked a WHERE NOT EXISTS (SELECT 1 FROM decisions d
                   WHERE d.id = a.id AND d.case_id = a.case_id AND d.decision = a.kind)")
    [[ $missing == 0 ]] || fail "round $round: $missing acknowledged decisions are not in the database"
  fi
  echo "round $round: $acked decisions acknowledged before the kill, all present"
  ACKED_TOTAL=$((ACKED_TOTAL + acked))
}

# No half-recorded decision: each case's status, its decision rows, the outbox and the
# audit log tell the same story.
check_decisions_whole() {
  local when=$1
  local bad
  bad=$(q "SELECT count(*) FROM decisions d WHERE (SELECT count(*) FROM audit_events e
             WHERE e.action = 'case.decide' AND e.object_id = CAST(d.case_id AS TEXT)
               AND json_extract(e.detail, '$.decision_id') = d.id) != 1")
  [[ $bad == 0 ]] || fail "$when: $bad decisions without exactly one case.decide audit event"
  bad=$(q "SELECT count(*) FROM audit_events e WHERE e.action = 'case.decide' AND NOT EXISTS
             (SELECT 1 FROM decisions d WHERE d.id = json_extract(e.detail, '$.decision_id'))")
  [[ $bad == 0 ]] || fail "$when: $bad case.decide audit events without their decision"
  bad=$(q "SELECT count(*) FROM decisions d WHERE d.decision = 'remove' AND
             (SELECT count(*) FROM webhook_outbox w WHERE w.case_id = d.case_id) != 1")
  [[ $bad == 0 ]] || fail "$when: $bad remove decisions without exactly one webhook outbox row"
  bad=$(q "SELECT count(*) FROM webhook_outbox w WHERE NOT EXISTS
             (SELECT 1 FROM decisions d WHERE d.case_id = w.case_id AND d.decision = 'remove')")
  [[ $bad == 0 ]] || fail "$when: $bad webhook outbox rows without a remove decision"
  bad=$(q "SELECT (SELECT count(*) FROM webhook_outbox) -
                  (SELECT count(*) FROM audit_events WHERE action = 'webhook.enqueue')")
  [[ $bad == 0 ]] || fail "$when: outbox rows and webhook.enqueue audit events differ by $bad"
  bad=$(q "SELECT count(*) FROM cases c WHERE c.content_id LIKE 'c-%' AND NOT (
             (c.status = 'open' AND NOT EXISTS (SELECT 1 FROM decisions d WHERE d.case_id = c.id)) OR
             (c.status = 'escalated' AND (SELECT group_concat(decision) FROM decisions d WHERE d.case_id = c.id) = 'escalate') OR
             (c.status = 'decided' AND (SELECT group_concat(decision) FROM decisions d WHERE d.case_id = c.id) IN ('remove', 'keep')))")
  [[ $bad == 0 ]] || fail "$when: $bad cases whose status disagrees with their decisions"
}

ACKED_TOTAL=0
for round in $(seq 1 $DECISION_ROUNDS); do
  mkdir -p "$WORK/r$round"
  for w in $(seq 0 $((WORKERS - 1))); do
    lo=$((first_case + ((round - 1) * WORKERS + w) * CASES_PER_WORKER))
    decision_config "$round" "$w" "$lo" >"$WORK/r$round/w$w.cfg"
  done
  for w in $(seq 0 $((WORKERS - 1))); do
    curl -K "$WORK/r$round/w$w.cfg" >"$WORK/r$round/codes$w" 2>/dev/null &
  done
  # Kill after a random number (20-339) of answers, so decisions are mid-flight. Each
  # answer's body is a file (curl buffers its status lines).
  target=$((20 + RANDOM % 320))
  deadline=$((SECONDS + 30))
  while (($(find "$WORK/r$round" -name '*.json' | wc -l) < target)) && ((SECONDS < deadline)); do
    sleep 0.01
  done
  stop_server
  wait_jobs
  check_acknowledged "$round"
  check_decisions_whole "after kill $round"
  check_database "after kill $round"
  start_server
done
((ACKED_TOTAL > 0)) || fail "no decision was acknowledged before any kill: the test proved nothing"
decided=$(q "SELECT count(*) FROM decisions")
echo "decisions: $ACKED_TOTAL acknowledged, $decided recorded over $DECISION_ROUNDS kills"

# --- imports cut off by kill -9
awk -v n="$IMPORT_ROWS" 'BEGIN {
  print "signal_type,signal,labels,source"
  for (i = 1; i <= n; i++) printf "md5,%08x%08x%08x%08x,propaganda;demo,crash\n", i, i % 977, 9, 9
}' >"$WORK/big.csv"
probe=$(printf '%08x%08x%08x%08x' "$IMPORT_ROWS" $((IMPORT_ROWS % 977)) 9 9)

rows_of() { q "SELECT count(*) FROM signals s JOIN banks b ON b.id = s.bank_id WHERE b.name = '$1'"; }
audited_imports() { q "SELECT count(*) FROM audit_events WHERE action = 'import' AND object_id = '$1'"; }

# The bank holds none or all of the import's rows, and an import audit event iff all.
check_all_or_none() {
  local bank=$1 when=$2 rows audits
  rows=$(rows_of "$bank")
  audits=$(audited_imports "$bank")
  if [[ $rows == 0 ]]; then
    [[ $audits == 0 ]] || fail "$when: bank $bank is empty but its import is audited"
  elif [[ $rows == "$IMPORT_ROWS" ]]; then
    [[ $audits == 1 ]] || fail "$when: bank $bank holds the import but has $audits import events"
  else
    fail "$when: half an import: bank $bank holds $rows of $IMPORT_ROWS rows"
  fi
  echo "$when: bank $bank holds $rows rows"
}

wal_size() { stat -c %s "$VIGIL_DB-wal" 2>/dev/null || echo 0; }

# Empties the WAL (nothing else is writing), so its growth shows an import writing.
truncate_wal() { q "PRAGMA wal_checkpoint(TRUNCATE)" >/dev/null; }

# Waits until the WAL has grown past 256 KiB (the import is writing its pages) or the
# import job ended, up to 60 s.
wait_for_wal_growth() {
  local job=$1 deadline=$((SECONDS + 60))
  while ((SECONDS < deadline)) && kill -0 "$job" 2>/dev/null; do
    (($(wal_size) > 262144)) && return 0
    sleep 0.005
  done
}

# Moments: a random one, mid-upload (the body trickles at 2 MB/s), and while the import
# writes its pages to the WAL.
for moment in random streaming writing; do
  bank=api-$moment
  api "$CURATOR" POST /v1/banks -H 'Content-Type: application/json' -d "{\"name\":\"$bank\"}"
  [[ $code == 201 ]] || fail "create $bank: HTTP $code"
  limit=()
  [[ $moment == streaming ]] && limit=(--limit-rate 2M)
  truncate_wal
  curl -s -o /dev/null "${limit[@]}" -H "Authorization: Bearer $CURATOR" -H 'Content-Type: text/csv' \
    --data-binary "@$WORK/big.csv" "http://127.0.0.1:$PORT/v1/banks/$bank/import" &
  upload=$!
  case $moment in
    random) sleep "$((RANDOM % 2)).$((RANDOM % 10))" ;;
    streaming) sleep 1 ;;
    writing) wait_for_wal_growth "$upload" ;;
  esac
  stop_server
  wait "$upload" 2>/dev/null
  check_all_or_none "$bank" "API import killed ($moment)"
  check_database "API import killed ($moment)"
  start_server
done

# The CLI importer, killed while writing.
run bank create cli-writing
truncate_wal
"$VIGIL" bank import cli-writing "$WORK/big.csv" >/dev/null 2>&1 &
importer=$!
wait_for_wal_growth "$importer"
kill -9 "$importer" 2>/dev/null
wait "$importer" 2>/dev/null
check_all_or_none cli-writing "CLI import killed (writing)"
check_database "CLI import killed (writing)"

# After all that the server serves: a whole import commits and is matched at once.
api "$CURATOR" POST /v1/banks -H 'Content-Type: application/json' -d '{"name":"api-whole"}'
api "$CURATOR" POST /v1/banks/api-whole/import -H 'Content-Type: text/csv' --data-binary "@$WORK/big.csv"
[[ $code == 200 ]] || fail "whole import: HTTP $code $(head -c 300 "$WORK/resp")"
[[ $(rows_of api-whole) == "$IMPORT_ROWS" ]] || fail "whole import: $(rows_of api-whole) rows"
api "$SUBMITTER" GET "/v1/match?signal_type=md5&signal=$probe"
grep -qF '"api-whole"' "$WORK/resp" || fail "the imported signal is not matched: $(head -c 300 "$WORK/resp")"
check_decisions_whole "at the end"
check_database "at the end"
stop_server
finish
