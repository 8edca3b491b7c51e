#!/usr/bin/env bash
# End to end: API tokens and the audit log through the real binary. Tokens are created,
# listed (never with their secret) and revoked; every change lands in the audit log;
# `audit verify` passes on an intact log and, after the file is edited behind vigil's back,
# fails with exit code 4 naming the first bad event.
source "$(dirname "$0")/lib.sh"

# --- tokens
run token create --role reviewer --name alice
expect_rc 0 "token create"
secret=$(cat "$WORK/out")
[[ $secret =~ ^vgl_[A-Za-z0-9_-]{43}$ ]] || fail "token secret shape: '$secret'"
expect_in err "shown once" "token create says the secret is shown once"
run token create --role nosuch --name bob
expect_rc 64 "token create with an unknown role"
expect_in err "unknown role 'nosuch'" "unknown role is named"
run token create --role admin --name alice
expect_rc 4 "token create with a live name"
expect_in err "alice" "duplicate token name is named"
run token list
expect_rc 0 "token list"
expect_in out "alice" "token list shows the name"
expect_in out "reviewer" "token list shows the role"
grep -qF -- "$secret" "$WORK/out" && fail "token list must not show secrets"
sqlite3 "$VIGIL_DB" "SELECT count(*) FROM api_tokens WHERE CAST(secret_sha256 AS TEXT) LIKE '%vgl_%'" \
  | grep -qx 0 || fail "the secret is stored"
run token revoke alice
expect_rc 0 "token revoke"
run token revoke alice
expect_rc 4 "token revoke twice"

# --- the audit log records each change, newest first
run bank create demo
run audit list
expect_rc 0 "audit list"
expect_in out "token.create token:1" "audit has the token creation"
expect_in out "token.revoke token:1" "audit has the revocation"
expect_in out "bank.create bank:demo" "audit has the bank creation"
head -1 "$WORK/out" | grep -qF "bank.create" || fail "audit list is newest first"
run audit list --limit 1
[[ $(wc -l <"$WORK/out") == 1 ]] || fail "audit list --limit 1 prints one event"
run audit verify
expect_rc 0 "audit verify on an intact log"
expect_in out "audit chain intact: 3 events" "audit verify counts the events"

# --- tampering is found: an edited row, then a deleted one
sqlite3 "$VIGIL_DB" "UPDATE audit_events SET detail = '{}' WHERE id = 2"
run audit verify
expect_rc 4 "audit verify after an edit"
expect_in err "audit chain broken at event 2" "the edited event is named"
sqlite3 "$VIGIL_DB" "DELETE FROM audit_events WHERE id = 2"
run audit verify
expect_rc 4 "audit verify after a deletion"
expect_in err "event 2 is missing (deleted)" "the deleted event is named"

finish
