#!/usr/bin/env bash
# The table of bad inputs: each gives its documented error (docs/errors.md), the process
# stays up, the other files of the run are still processed, and a failed import leaves
# the database exactly as it was.
source "$(dirname "$0")/lib.sh"
BAD=$ROOT/tests/data/bad
good=$ROOT/demo/known/bridge.jpg

head -c 20000 "$good" >"$WORK/truncated.jpg"
: >"$WORK/zero-bytes.jpg"
echo "this is a text file, not a JPEG" >"$WORK/text.jpg"
head -c 3000 /dev/urandom >"$WORK/random.png"

# file | exit code of `vigil hash` | text its stderr must contain
table=(
  "$WORK/truncated.jpg|2|truncated.jpg: corrupt or truncated JPEG data: VipsJpeg: Premature end of input file"
  "$WORK/zero-bytes.jpg|2|zero-bytes.jpg: empty file (0 bytes)"
  "$WORK/text.jpg|2|text.jpg: not an image: the bytes are text"
  "$WORK/random.png|2|random.png: not a supported image format (JPEG, PNG, WebP, GIF, TIFF, HEIF/AVIF)"
  "$BAD/bomb-60000x60000.png|2|bomb-60000x60000.png: 60000x60000 is 3600000000 pixels, over the 100000000-pixel limit"
)
# Each bad input is refused (or hashed) within 10 s; the sanitizer build scales that
# (VIGIL_TIME_SCALE, set by tests/e2e/CMakeLists.txt).
max_ms=$((10000 * ${VIGIL_TIME_SCALE:-1}))
for row in "${table[@]}"; do
  IFS='|' read -r file want_rc want_err <<<"$row"
  start=$(date +%s%N)
  run hash "$file" "$good"
  ms=$((($(date +%s%N) - start) / 1000000))
  expect_rc "$want_rc" "hash $(basename "$file")"
  expect_in err "$want_err" "hash $(basename "$file")"
  # The good file after the bad one is still hashed.
  expect_in out "bridge.jpg" "hash continues after $(basename "$file")"
  ((ms < max_ms)) || fail "$(basename "$file") took $ms ms (limit $max_ms)"
done

# A GIF with 5000 frames: the image path decodes its first frame only; as an animated GIF it
# is hashed as a video too (vPDQ at 1 s, TMK), under the video limits, in about a second.
start=$(date +%s%N)
run hash "$BAD/frames-5000.gif"
ms=$((($(date +%s%N) - start) / 1000000))
expect_rc 0 "5000-frame GIF"
grep -qE '^[0-9a-f]{64},[0-9]+,.*frames-5000.gif$' "$WORK/out" || fail "5000-frame GIF hashed"
((ms < max_ms)) || fail "5000-frame GIF took $ms ms (limit $max_ms)"

# A file over --max-bytes and an image over --max-pixels.
run hash --max-bytes 1000 "$good"
expect_rc 2 "over --max-bytes"
expect_in err "over the limit of 1000 bytes" "over --max-bytes"
run hash --max-pixels 1000 "$good"
expect_rc 2 "over --max-pixels"
expect_in err "bridge.jpg: 800x502 is 401600 pixels, over the 1000-pixel limit" "over --max-pixels"

# --- imports: a bad row anywhere rejects the whole file; the database is unchanged.
run bank create b
run bank import b "$ROOT/demo/bank.csv"
expect_rc 0 "good import"
counts() { sqlite3 "$VIGIL_DB" "SELECT count(*) FROM signals; SELECT count(*) FROM banks;" | tr '\n' ' '; }
before=$(counts)
{
  echo "signal_type,signal,labels"
  for i in $(seq 1 9999); do printf 'pdq,%064x,gen\n' "$((i * 7919))"; done
  echo "pdq,$(printf '%065x' 1),bad"
} >"$WORK/bad-last-row.csv"
pdq_ok=$(head -2 "$ROOT/demo/bank.csv" | tail -1 | cut -d, -f2)
printf 'signal_type,signal\npdq,%s\npdq,"unterminated\n' "$pdq_ok" >"$WORK/bad-quote.csv"
printf 'signal_type,signal,colour\npdq,%s,red\n' "$pdq_ok" >"$WORK/bad-column.csv"
printf 'signal_type,signal,quality\npdq,%s,30\n' "$pdq_ok" >"$WORK/low-quality.csv"
printf 'signal_type,signal\npdq,%s,extra\n' "$pdq_ok" >"$WORK/bad-field-count.csv"
printf '{"signal_type":"pdq","signal":"%s"}\n{"signal_type":"pdq",\n' "$pdq_ok" >"$WORK/bad-json.jsonl"
printf 'signal_type,signal\nphash,%s\n' "$pdq_ok" >"$WORK/bad-type.csv"

# file | text stderr must contain (FILE:LINE: message)
imports=(
  "bad-last-row.csv|bad-last-row.csv:10001: signal: a pdq signal must be 64 hex digits, got 65 characters"
  "bad-quote.csv|bad-quote.csv:3: field 2: quoted field is not terminated"
  "bad-column.csv|bad-column.csv:1: unknown column 'colour' in the header; known columns: signal_type, signal, labels, quality, source, added_at, opinion, disabled"
  "low-quality.csv|low-quality.csv:2: quality 30 is below 50: PDQ hashes this weak are not matched"
  "bad-field-count.csv|bad-field-count.csv:2: expected 2 fields as in the header, got 3"
  "bad-json.jsonl|bad-json.jsonl:2: invalid JSON at column 22: syntax error while parsing object key - unexpected end of input; expected string literal"
  "bad-type.csv|bad-type.csv:2: signal_type must be one of pdq, md5, sha256, vpdq, tmk_pdqf, got 'phash'"
)
for row in "${imports[@]}"; do
  IFS='|' read -r file want_err <<<"$row"
  run bank import b "$WORK/$file"
  expect_rc 4 "import $file"
  expect_in err "$want_err" "import $file"
  expect_in err "nothing imported" "import $file says nothing was imported"
  [[ $(counts) == "$before" ]] || fail "import $file changed the database: $(counts) vs $before"
done
[[ $(sqlite3 "$VIGIL_DB" "PRAGMA integrity_check") == ok ]] || fail "integrity_check after failed imports"

finish
