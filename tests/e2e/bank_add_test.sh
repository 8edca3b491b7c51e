#!/usr/bin/env bash
# End to end: `vigil bank add` hashes files into a bank in one import, with and without
# PDQ crop variants; a centre-cropped copy matches a bank with crops and not one without.
source "$(dirname "$0")/lib.sh"

IMG=$ROOT/tests/data/pdq/bridge-mods/aaa-orig.jpg
VIDEO=$ROOT/tests/data/video/doorknob-hd-no-bar.mp4

# A copy with 8% of each dimension cut off, 4% per side (between the c94 and c91
# variants), re-encoded as a JPEG as an upload would be.
width=$(vipsheader -f width "$IMG")
height=$(vipsheader -f height "$IMG")
vips crop "$IMG" "$WORK/cropped.jpg[Q=90]" $((width * 4 / 100)) $((height * 4 / 100)) \
  $((width * 92 / 100)) $((height * 92 / 100)) || fail "vips crop could not make the cropped copy"

# --- with the default crop set: the original's rows and five variants, one import.
run bank create crops
run bank add crops "$IMG" --crops default --labels "entity:test;kind:crop" --source bridge
expect_rc 0 "bank add with crops"
expect_in out "added $IMG: md5 sha256 pdq, crops c97 c94 c91 c88 c85" "bank add lists what it added"
expect_in err "bank crops: 1 files, 1 added, 0 not added; 8 rows: 8 new, 0 already in the bank" \
  "bank add summary"
run bank export crops --format csv
expect_in out ",entity:test;kind:crop,100,bridge," "the original's pdq row keeps the source"
expect_in out ",bridge#crop=c91," "a crop variant's source says which crop"
[[ $(grep -c '^pdq,' "$WORK/out") == 6 ]] || fail "6 pdq rows (original + 5 crops): $(cat "$WORK/out")"
run audit list --limit 1
expect_in out "import" "bank add is one import in the audit log"

run scan --no-progress --bank crops "$WORK/cropped.jpg"
expect_rc 1 "a cropped copy matches a crop variant"
expect_in out "bank=crops" "the match names the bank"

# Adding the same file again: every row is a duplicate, which is not an error.
run bank add crops "$IMG" --crops default --labels "entity:test;kind:crop" --source bridge
expect_rc 0 "bank add again"
expect_in err "8 rows: 0 new, 8 already in the bank" "re-adding de-duplicates"

# --- without crops the cropped copy is not matched.
run bank create plain
run bank add plain "$IMG" --crops none
expect_rc 0 "bank add without crops"
expect_in out "added $IMG: md5 sha256 pdq" "bank add without crops lists its rows"
expect_in err "3 rows: 3 new" "three rows without crops"
run bank export plain --format csv
expect_in out ",$IMG," "the source defaults to the file's path"
run scan --no-progress --bank plain "$WORK/cropped.jpg"
expect_rc 0 "a cropped copy does not match the original alone"

# --- a file that does not decode adds nothing; the others are still added (exit 2).
printf 'not an image' >"$WORK/broken.jpg"
run bank create mixed
run bank add mixed "$WORK/broken.jpg" "$IMG" --crops c90
expect_rc 2 "bank add with one undecodable file"
expect_in err "$WORK/broken.jpg: not added" "the undecodable file is named"
expect_in out "added $IMG: md5 sha256 pdq, crops c90" "the good file is added"
expect_in err "2 files, 1 added, 1 not added; 4 rows: 4 new" "mixed summary"

# Nothing to add: no import, so no audit event either.
run audit list --limit 1
head -1 "$WORK/out" >"$WORK/audit.before"
run bank add mixed "$WORK/broken.jpg"
expect_rc 2 "bank add of only an undecodable file"
expect_in err "1 files, 0 added, 1 not added; 0 rows: 0 new" "nothing added"
run audit list --limit 1
head -1 "$WORK/out" | cmp -s - "$WORK/audit.before" || fail "an add of nothing wrote an audit event"

# --- a video: its exact hashes and vPDQ (TMK skipped to keep the test quick); no crops.
run bank add mixed "$VIDEO" --no-tmk --crops default
expect_rc 0 "bank add a video"
expect_in out "added $VIDEO: md5 sha256 vpdq" "a video's rows"

# --- flags are checked before anything is hashed.
run bank add mixed "$IMG" --crops x90
expect_rc 64 "a bad crop name"
expect_in err "--crops: crop 'x90': unknown anchor 'x'" "the bad crop is named"
run bank add mixed "$IMG" --crops c90,c90
expect_rc 64 "a repeated crop"
run bank add mixed "$IMG" --labels $'a\tb'
expect_rc 64 "a bad label"
expect_in err "--labels" "the bad label's flag is named"
run bank add nosuch "$IMG"
expect_rc 4 "bank add to a missing bank"
expect_in err "nosuch" "the missing bank is named"

finish
