#!/usr/bin/env bash
# End to end: bank life cycle, import/export round trip, hash, scan and match on the demo
# bank, exit codes and output shapes.
source "$(dirname "$0")/lib.sh"

# --- banks
run bank create demo --label demo -d "demo bank"
expect_rc 0 "bank create"
run bank create demo
expect_rc 4 "bank create twice"
expect_in err "already exists" "bank create twice"
run bank import demo "$ROOT/demo/bank.csv"
expect_rc 0 "bank import"
expect_in err "6 rows read, 6 imported, 0 duplicates, 0 invalid" "bank import summary"
run bank import demo "$ROOT/demo/bank.csv"
expect_rc 0 "bank import again"
expect_in err "6 rows read, 0 imported, 6 duplicates" "re-import de-duplicates"
run bank list
expect_rc 0 "bank list"
expect_in out "demo" "bank list shows the bank"
run bank show demo
expect_in out "signals:     6 (6 enabled)" "bank show counts"
run bank show nosuch
expect_rc 4 "bank show missing"
expect_in err "nosuch" "missing bank is named"

# --- export round trip: CSV out, into a second bank, out again: same signals.
run bank export demo -o "$WORK/demo.csv"
expect_rc 0 "bank export csv"
run bank create copy
run bank import copy "$WORK/demo.csv"
expect_rc 0 "import of an export"
run bank export copy --format csv
cut -d, -f1,2 "$WORK/out" | sort >"$WORK/copy.sigs"
cut -d, -f1,2 "$WORK/demo.csv" | sort >"$WORK/demo.sigs"
cmp -s "$WORK/copy.sigs" "$WORK/demo.sigs" || fail "export round trip changed the signals"
run bank export demo -o "$WORK/demo.jsonl"
run bank create copy2
run bank import copy2 "$WORK/demo.jsonl"
expect_rc 0 "import of a JSON Lines export"
expect_in err "6 imported" "JSON Lines round trip"
run bank delete copy
run bank delete copy2
expect_rc 0 "bank delete"

# --- hash: the reference's CSV shape, JSON with exact hashes, dihedral.
run hash "$ROOT/demo/known/bridge.jpg"
expect_rc 0 "hash"
grep -qE '^[0-9a-f]{64},[0-9]+,.*bridge.jpg$' "$WORK/out" || fail "hash output shape: $(cat "$WORK/out")"
run hash --json "$ROOT/demo/known/street.jpg"
expect_in out "\"md5\":\"$(md5sum "$ROOT/demo/known/street.jpg" | cut -d' ' -f1)\"" "hash --json md5"
expect_in out "\"sha256\":\"$(sha256sum "$ROOT/demo/known/street.jpg" | cut -d' ' -f1)\"" "hash --json sha256"
run hash --dihedral "$ROOT/demo/known/bridge.jpg"
[[ $(tr ',' '\n' <"$WORK/out" | grep -cE '^[0-9a-f]{64}$') == 8 ]] || fail "hash --dihedral gives 8 hashes"
run hash "$ROOT/demo/known"
expect_rc 0 "hash of a folder"
[[ $(wc -l <"$WORK/out") == 5 ]] || fail "hash of a folder: one line per file"

# --- scan: the demo uploads. Variants of known photos match; unrelated ones do not.
run scan --no-progress "$ROOT/demo/uploads"
expect_rc 1 "scan with matches"
for f in bridge-repost bridge-greyscale building-small landscape-reencoded pen-thumb street-exact-copy; do
  expect_in out "uploads/$f" "scan finds $f"
done
grep -q "unrelated" "$WORK/out" && fail "scan matched an unrelated photo: $(grep unrelated "$WORK/out")"
expect_in out "md5=" "exact copy matched by MD5"
expect_in err "scanned 11 files" "scan summary"
# Same results on one thread and on two (output order is input order).
run scan --no-progress -j 1 "$ROOT/demo/uploads"
cp "$WORK/out" "$WORK/scan1"
run scan --no-progress -j 2 "$ROOT/demo/uploads"
cmp -s "$WORK/scan1" "$WORK/out" || fail "scan output differs between 1 and 2 jobs"
run scan --no-progress --json "$ROOT/demo/uploads/bridge-repost.jpg"
expect_in out '"bank":"demo"' "scan --json"
run scan --no-progress --bank nosuch "$ROOT/demo/uploads"
expect_rc 4 "scan of a missing bank"
run scan --no-progress --distance 0 "$ROOT/demo/uploads/unrelated-1.jpg"
expect_rc 0 "scan without matches"

# --- match one signal
pdq=$(cut -d, -f1 < <("$VIGIL" hash "$ROOT/demo/known/bridge.jpg"))
run match "$pdq"
expect_rc 1 "match a known hash"
expect_in out "bank=demo" "match names the bank"
run match 0000000000000000000000000000000000000000000000000000000000000000
expect_rc 0 "match an unknown hash"
run match "${pdq}0"
expect_rc 64 "match a 65-character hash"

finish
