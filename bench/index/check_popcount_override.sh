#!/bin/sh
# Checks that bench_index's __popcountdi2 is the POPCNT override (not libgcc's table
# loop) and that FAISS's IndexBinaryMultiHash code calls it.
set -eu
bin="$1"
dis=$(objdump -d --no-show-raw-insn -C "$bin")
body=$(printf '%s\n' "$dis" | awk '/<__popcountdi2>:$/{on=1;next} on&&/^$/{exit} on{print}')
if ! printf '%s\n' "$body" | grep -q popcnt; then
  echo "check_popcount_override: __popcountdi2 in $bin does not use POPCNT" >&2
  exit 1
fi
calls=$(printf '%s\n' "$dis" | awk '/^[0-9a-f]+ <.*>:$/{fn=$0} /call.*<__popcountdi2>/ && fn ~ /faiss/ {n++} END{print n+0}')
if [ "$calls" -eq 0 ]; then
  echo "check_popcount_override: no FAISS function calls __popcountdi2" >&2
  exit 1
fi
echo "check_popcount_override: __popcountdi2 uses POPCNT; $calls call sites in FAISS code"
