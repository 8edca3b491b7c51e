#!/usr/bin/env bash
# Videos through the real binary: `vigil hash` prints vPDQ and TMK+PDQF as bank-CSV rows, a
# bank made from one sample video matches other encodings of the same video (the vPDQ
# reference's own verdicts: chair-* match each other, pattern-* do not match them) with
# percentages, segments and TMK scores, bank export/import carries the video signals, and
# bad videos give their documented errors (docs/errors.md).
source "$(dirname "$0")/lib.sh"
VID=$ROOT/tests/data/video

run bank create clips
expect_rc 0 "bank create"

# The bank: the signals of one encoding, as `vigil hash` prints them minus the path column.
run hash "$VID/chair-20-sd-bar.mp4"
expect_rc 0 "hash chair-20"
grep -q '^vpdq,"\[""[0-9a-f]\{64\},[0-9]*,0.000""' "$WORK/out" || fail "hash prints a vpdq row"
grep -q '^tmk_pdqf,VE1LMUZWRUNQRFFG' "$WORK/out" || fail "hash prints a tmk_pdqf row (base64 of TMK1FVECPDQF...)"
{ echo "signal_type,signal"; sed 's/,[^,]*$//' "$WORK/out"; } >"$WORK/bank.csv"
run bank import clips "$WORK/bank.csv"
expect_rc 0 "import the video signals"

# Another encoding with a logo: both algorithms match it.
run scan --no-progress "$VID/chair-22-with-small-logo-bar.mp4"
expect_rc 1 "scan chair-22 (same video)"
expect_in out "bank=clips vpdq=#" "vpdq match line"
expect_in out "segments=" "vpdq match shows segments"
expect_in out "bank=clips tmk_pdqf=#" "tmk match line"
expect_in out "level2=" "tmk match shows level-2"
grep -Eq 'vpdq=#[0-9]+ query=[0-9.]+% bank=(8[0-9]|9[0-9]|100)\.[0-9]%' "$WORK/out" ||
  fail "the bank video is >= 80 % matched: $(cat "$WORK/out")"
run scan --no-progress --json "$VID/chair-22-sd-grey-bar.mp4"
expect_rc 1 "scan chair-22-sd-grey --json"
jq -e '.matches | map(select(.signal_type == "vpdq")) | .[0].segments | length > 0' \
  "$WORK/out" >/dev/null || fail "json segments: $(head -c 600 "$WORK/out")"
jq -e '.matches | map(select(.signal_type == "vpdq")) | .[0] | has("signal") | not' \
  "$WORK/out" >/dev/null || fail "json does not repeat the long vpdq text"

# Unrelated videos: no match.
for other in pattern-sd-grey-bar pattern-hd-no-bar; do
  run scan --no-progress "$VID/$other.mp4"
  expect_rc 0 "scan $other (unrelated)"
  [[ ! -s $WORK/out ]] || fail "$other matched: $(cat "$WORK/out")"
done

# Export -> import into another bank -> export: the same rows.
run bank export clips --format csv -o "$WORK/export.csv"
expect_rc 0 "export"
run bank create copy
run bank import copy "$WORK/export.csv"
expect_rc 0 "re-import the export"
run bank export copy --format jsonl -o "$WORK/copy.jsonl"
expect_rc 0 "export jsonl"
run bank create copy2
run bank import copy2 --format jsonl "$WORK/copy.jsonl"
expect_rc 0 "import jsonl"
run bank export copy2 --format csv -o "$WORK/copy2.csv"
cut -d, -f1-2 "$WORK/export.csv" >"$WORK/a"
cut -d, -f1-2 "$WORK/copy2.csv" >"$WORK/b"
cmp -s "$WORK/a" "$WORK/b" || fail "video signals changed through CSV -> JSON Lines -> CSV"

# Bad videos: file | exit code of `vigil hash` | flags | text its stderr must contain
head -c 4000 "$VID/doorknob-hd-no-bar.mp4" >"$WORK/cut-header.mp4"
head -c 300000 "$VID/doorknob-hd-no-bar.mp4" >"$WORK/cut-middle.mp4"
table=(
  "$WORK/cut-header.mp4|2||cut-header.mp4: corrupt or truncated MP4/MOV header"
  "$VID/doorknob-hd-no-bar.mp4|2|--video-max-duration 2|doorknob-hd-no-bar.mp4: the header gives a duration of 4 s, over the 2 s limit"
  "$VID/doorknob-hd-no-bar.mp4|2|--video-max-bytes 1000|doorknob-hd-no-bar.mp4: file is 479065 bytes, over the limit of 1000 bytes"
  "$WORK/cut-middle.mp4|0||cut-middle.mp4: damaged video, hashed the frames that decode: 1 packet(s) cut short"
)
for row in "${table[@]}"; do
  IFS='|' read -r file want_rc flags want_err <<<"$row"
  # shellcheck disable=SC2086  # flags are words
  run hash $flags "$file"
  expect_rc "$want_rc" "hash $(basename "$file") $flags"
  expect_in err "$want_err" "hash $(basename "$file") $flags"
done
run hash --json "$WORK/cut-middle.mp4"
jq -e '.video.partial == true' "$WORK/out" >/dev/null || fail "a damaged video is marked partial"

finish
