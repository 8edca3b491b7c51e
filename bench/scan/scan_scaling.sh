#!/usr/bin/env bash
# vigil scan on 1 job vs 2 jobs over the same 12-megapixel JPEGs, side by side, best of
# three runs each (this machine is noisy). Prints files/s for both and their ratio.
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
best() {  # best wall time in seconds of three scans with $1 jobs
  local best=999999
  for _ in 1 2 3; do
    local s e
    s=$(date +%s%N)
    "$vigil" scan --no-progress -j "$1" "$work" >/dev/null 2>&1 || true
    e=$(date +%s%N)
    best=$(awk -v a="$best" -v b="$(((e - s) / 1000))" 'BEGIN { print (b / 1e6 < a) ? b / 1e6 : a }')
  done
  echo "$best"
}
t1=$(best 1)
t2=$(best 2)
awk -v n="$n" -v t1="$t1" -v t2="$t2" 'BEGIN {
  printf "scan 1 job : %d files in %.2f s = %.2f files/s\n", n, t1, n / t1
  printf "scan 2 jobs: %d files in %.2f s = %.2f files/s\n", n, t2, n / t2
  printf "speed-up 2 jobs / 1 job: %.2fx\n", t1 / t2
}'
