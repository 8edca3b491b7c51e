#!/usr/bin/env bash
# vigil scan on 1 job vs 2 jobs over the same 12-megapixel JPEGs, side by side: five
# interleaved runs of each, best time of each kept (the machine is shared and noisy, and
# noise only ever adds time). Prints files/s for both and their ratio.
set -euo pipefail
vigil=${1:?usage: scan_scaling.sh path/to/vigil}
root=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export VIGIL_DB=$work/vigil.db
"$vigil" bank create bench >/dev/null
"$vigil" bank import bench "$root/demo/bank.csv" >/dev/null 2>&1
# 24 files: the four 12 MP test photos, six times each (copies, so no page-cache sharing
# tricks between names).
for i in 1 2 3 4 5 6; do
  for f in "$root"/tests/data/pdq/reg-test-input/exif-rotn/*.jpg; do
    cp "$f" "$work/$i-$(basename "$f")"
  done
done
n=$(ls "$work"/*.jpg | wc -l)
seconds() {  # wall time of one scan with $1 jobs
  local s e
  s=$(date +%s%N)
  "$vigil" scan --no-progress -j "$1" "$work" >/dev/null 2>&1 || true
  e=$(date +%s%N)
  awk -v us="$(((e - s) / 1000))" 'BEGIN { print us / 1e6 }'
}
t1=999999
t2=999999
for _ in 1 2 3 4 5; do
  t1=$(awk -v a="$t1" -v b="$(seconds 1)" 'BEGIN { print (b < a) ? b : a }')
  t2=$(awk -v a="$t2" -v b="$(seconds 2)" 'BEGIN { print (b < a) ? b : a }')
done
awk -v n="$n" -v t1="$t1" -v t2="$t2" 'BEGIN {
  printf "scan 1 job : %d files in %.2f s = %.2f files/s\n", n, t1, n / t1
  printf "scan 2 jobs: %d files in %.2f s = %.2f files/s\n", n, t2, n / t2
  printf "speed-up 2 jobs / 1 job: %.2fx\n", t1 / t2
}'
