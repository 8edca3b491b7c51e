# The README's five-minute walk-through, step by step, against the real demo: `make run`'s
# script (demo bank, demo uploads posted to /v1/scan), the stand-in webhook receiver, a
# removal by one reviewer, an appeal upheld by another, and the audit chain verified.
# If the README's commands change, change them here too.
source "$(dirname "$0")/lib.sh"
cd "$ROOT"
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
port=$(free_port)
hook_port=$(free_port)
base=http://127.0.0.1:$port
secret=walkthrough-secret-0123456789
pids=()
trap 'kill "${pids[@]}" 2>/dev/null; wait 2>/dev/null; rm -rf "$WORK"' EXIT

# wait_for DESCRIPTION SECONDS COMMAND...: retries COMMAND every 0.1 s until it succeeds.
wait_for() {
  local what=$1 tenths=$(($2 * 10)); shift 2
  for ((i = 0; i < tenths; i++)); do "$@" && return 0; sleep 0.1; done
  fail "timed out waiting for $what"
  return 1
}

# api TOKEN METHOD PATH [JSON]: the answer's body in $WORK/body, its status in $status.
api() {
  local args=(-s -o "$WORK/body" -w '%{http_code}' -X "$2" -H "Authorization: Bearer $1")
  [[ $# -ge 4 ]] && args+=(-H 'Content-Type: application/json' --data "$4")
  status=$(curl "${args[@]}" "$base$3")
}

# Step 1: make run (here its script, on a temporary database and a free port).
VIGIL_DB=$WORK/vigil.db VIGIL_PORT=$port scripts/run-demo "$VIGIL" >"$WORK/demo.log" 2>&1 &
pids+=($!)
wait_for "the demo to print its admin token" 120 grep -q 'admin token:' "$WORK/demo.log" ||
  { cat "$WORK/demo.log" >&2; finish; }
admin=$(sed -n 's/.*(admin token: \([^)]*\)).*/\1/p' "$WORK/demo.log")
grep -qF "$base/ui/" "$WORK/demo.log" || fail "the demo does not print the UI's URL"

# Step 2: the platform's webhook endpoint, and vigil told where it is.
scripts/webhook-receiver --port "$hook_port" --secret "$secret" --log "$WORK/hooks.jsonl" \
  >"$WORK/receiver.log" 2>&1 &
pids+=($!)
wait_for "the receiver" 10 grep -qs "webhook receiver on" "$WORK/receiver.log"
api "$admin" PUT /v1/settings/webhook "{\"url\":\"http://127.0.0.1:$hook_port/\",\"secret\":\"$secret\"}"
[[ $status == 200 ]] || fail "PUT /v1/settings/webhook: $status $(cat "$WORK/body")"

# Step 3: two reviewers and the platform's appeal channel get tokens.
for who in alice:reviewer bob:reviewer appeals:submitter; do
  api "$admin" POST /v1/tokens "{\"name\":\"${who%%:*}\",\"role\":\"${who##*:}\"}"
  [[ $status == 201 ]] || fail "create token $who: $status $(cat "$WORK/body")"
  declare "token_${who%%:*}=$(jq -r .secret "$WORK/body")"
done

# Step 4: the queue has the demo's matches; alice removes the oldest.
api "$token_alice" GET "/v1/cases?status=open"
open_cases=$(jq '.cases | length' "$WORK/body")
((open_cases >= 3)) || fail "the demo opened $open_cases cases, want at least 3: $(cat "$WORK/body")"
case_id=$(jq '.cases | min_by(.id) | .id' "$WORK/body")
api "$token_alice" POST "/v1/cases/$case_id/decision" \
  '{"decision":"remove","reason":"matches a known item of the list","ground_type":"terms","ground":"Terms of service 4.2"}'
[[ $status == 201 ]] || fail "remove case $case_id: $status $(cat "$WORK/body")"

# Step 5: the receiver gets a signed removal with a statement of reasons.
hook_has() { [[ -f $WORK/hooks.jsonl ]] && grep -q "\"event\": \"$1\"" "$WORK/hooks.jsonl"; }
wait_for "the removal webhook" 20 hook_has remove
if hook_has remove; then
  jq -e 'select(.event == "remove") | .ok' "$WORK/hooks.jsonl" >/dev/null ||
    fail "the removal webhook's signature did not verify"
  jq -r 'select(.event == "remove") | .body' "$WORK/hooks.jsonl" |
    jq -e '.statement_of_reasons.ground.reference == "Terms of service 4.2"' >/dev/null ||
    fail "the statement of reasons lacks the ground"
fi
api "$token_alice" GET "/v1/cases/$case_id"
jq -e '.deliveries[0].status == "delivered"' "$WORK/body" >/dev/null ||
  fail "the case does not show the delivery: $(jq -c .deliveries "$WORK/body")"

# Step 6: the uploader complains; alice may not judge her own decision, bob upholds it.
api "$token_appeals" POST "/v1/cases/$case_id/appeal" '{"text":"this is my own holiday photo"}'
[[ $status == 201 ]] || fail "appeal: $status $(cat "$WORK/body")"
api "$token_alice" POST "/v1/cases/$case_id/appeal/decision" '{"outcome":"upheld","reason":"second look"}'
[[ $status == 409 ]] || fail "the deciding reviewer judged the appeal: $status"
api "$token_bob" POST "/v1/cases/$case_id/appeal/decision" \
  '{"outcome":"upheld","reason":"a different bridge","dispute_signal":true}'
[[ $status == 200 ]] || fail "appeal decision by bob: $status $(cat "$WORK/body")"
wait_for "the reinstatement webhook" 20 hook_has reinstate

# Step 7: the audit chain holds every step.
api "$admin" GET /v1/audit/verify
jq -e .ok "$WORK/body" >/dev/null || fail "audit verify over HTTP: $(cat "$WORK/body")"
run audit verify  # VIGIL_DB is the demo's database (lib.sh)
expect_rc 0 "vigil audit verify"
finish
