#!/usr/bin/env bash
# Writes N distinct ~100 kB JPEGs (benign photos from the repository, cropped and scaled
# differently, quality tuned per file to land as near 100 kB as JPEG's quality steps
# allow; the mean is printed) into OUTDIR.
# Usage: bench/http/make_uploads.sh OUTDIR [N=24]
set -euo pipefail
out=${1:?usage: make_uploads.sh OUTDIR [N]}
n=${2:-24}
root=$(cd "$(dirname "$0")/../.." && pwd)
mkdir -p "$out"
sources=("$root"/demo/known/bridge.jpg "$root"/demo/known/pen-and-coaster.jpg
         "$root"/tests/data/pdq/misc-images/c.png "$root"/tests/data/pdq/reg-test-input/pen-and-coaster.png
         "$root"/tests/data/pdq/reg-test-input/labelme-subset/*)
target=102400
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# Bisects the JPEG quality for the size nearest the target.
encode_near_target() {  # in.v out.jpg
  local lo=20 hi=98 q size below above
  while ((hi - lo > 1)); do
    q=$(((lo + hi) / 2))
    vips jpegsave "$1" "$tmp/try.jpg" --Q "$q" --strip
    size=$(stat -c %s "$tmp/try.jpg")
    if ((size > target)); then hi=$q; else lo=$q; fi
  done
  vips jpegsave "$1" "$tmp/lo.jpg" --Q "$lo" --strip
  vips jpegsave "$1" "$tmp/hi.jpg" --Q "$hi" --strip
  below=$((target - $(stat -c %s "$tmp/lo.jpg"))); above=$(($(stat -c %s "$tmp/hi.jpg") - target))
  if ((above < below)); then mv "$tmp/hi.jpg" "$2"; else mv "$tmp/lo.jpg" "$2"; fi
}

for ((i = 0; i < n; i++)); do
  src=${sources[i % ${#sources[@]}]}
  w=$(vipsheader -f width "$src"); h=$(vipsheader -f height "$src")
  # Variant i: drop a different margin (up to 12%) from each side, then scale to 640-960 px.
  m=$((i / ${#sources[@]} + 1))
  cw=$((w - w * m * 4 / 100)); ch=$((h - h * m * 3 / 100))
  vips crop "$src" "$tmp/crop.v" $((w * m * 2 / 100)) $((h * m / 100)) "$cw" "$ch"
  vips thumbnail "$tmp/crop.v" "$tmp/scaled.v" $((640 + (i * 53) % 320)) --size force \
    --height $(((640 + (i * 53) % 320) * ch / cw))
  encode_near_target "$tmp/scaled.v" "$out/upload-$i.jpg"
done
ls -l "$out" | awk 'NR > 1 { s += $5; n++; if (min == "" || $5 < min) min = $5; if ($5 > max) max = $5 }
  END { printf "%d uploads, mean %.0f kB (%.0f-%.0f kB)\n", n, s / n / 1024, min / 1024, max / 1024 }'
