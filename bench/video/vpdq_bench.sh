#!/usr/bin/env bash
# vPDQ hashing speed of a 60 s 720p H.264 file at 1 s sampling on one core, as a multiple
# of real time, side by side with plain FFmpeg decoding of the same file on one thread
# (`ffmpeg -threads 1 -i F -f null -`), which bounds what any decoder-based hasher can do.
# Best of three interleaved runs of each. Usage: vpdq_bench.sh path/to/bench_vpdq
set -euo pipefail
bench=${1:?usage: vpdq_bench.sh path/to/bench_vpdq}
root=$(cd "$(dirname "$0")/../.." && pwd)
# The file takes minutes to encode; it is kept between runs.
video=${VIGIL_BENCH_720P:-${TMPDIR:-/tmp}/vigil-bench-720p-60s.mp4}
# Camera footage, not a synthetic pattern (which compresses unrealistically well): the
# 720x1280 sample turned to 1280x720 and looped to 60 s, re-encoded at a typical quality.
encoders=$(ffmpeg -hide_banner -encoders 2>/dev/null)
if grep -q libx264 <<<"$encoders"; then
  codec=(-c:v libx264 -preset medium -crf 21 -pix_fmt yuv420p)
else
  codec=(-c:v mpeg4 -q:v 3)
fi
if [ ! -s "$video" ]; then
  ffmpeg -v error -nostdin -y -stream_loop -1 -i "$root/tests/data/video/pattern-hd-no-bar.mp4" \
    -t 60 -an -vf transpose=1 "${codec[@]}" "$video.tmp.mp4"
  mv "$video.tmp.mp4" "$video"
fi
ffprobe -v error -select_streams v:0 -show_entries stream=codec_name,width,height,avg_frame_rate,bit_rate \
  -of default=nw=1 "$video" | paste -sd' '
taskset_cmd=()
command -v taskset >/dev/null && taskset_cmd=(taskset -c 0)
# ffmpeg's own -benchmark line gives its CPU time (user + system) beside the wall time.
ffmpeg_wall=999999
ffmpeg_cpu=999999
for _ in 1 2 3; do
  line=$("${taskset_cmd[@]}" ffmpeg -hide_banner -nostats -v info -nostdin -benchmark -threads 1 \
    -i "$video" -f null - 2>&1 | grep '^bench: utime')
  read -r wall cpu < <(awk '{ for (i = 1; i <= NF; ++i) { split($i, kv, "="); sub("s$", "", kv[2]); v[kv[1]] = kv[2] } print v["rtime"], v["utime"] + v["stime"] }' <<<"$line")
  ffmpeg_wall=$(awk -v a="$ffmpeg_wall" -v b="$wall" 'BEGIN { print (b < a) ? b : a }')
  ffmpeg_cpu=$(awk -v a="$ffmpeg_cpu" -v b="$cpu" 'BEGIN { print (b < a) ? b : a }')
done
out=$("${taskset_cmd[@]}" "$bench" --rounds 3 "$video")
echo "$out"
read -r vigil_wall vigil_cpu < <(awk '/^vigil vPDQ/ { for (i = 1; i <= NF; ++i) { if ($i == "wall,") w = $(i - 2); if ($i == "CPU") c = $(i - 2) } print w, c }' <<<"$out")
awk -v fw="$ffmpeg_wall" -v fc="$ffmpeg_cpu" -v vw="$vigil_wall" -v vc="$vigil_cpu" 'BEGIN {
  printf "ffmpeg -threads 1 -f null: %6.2f s wall, %6.2f s CPU = %6.1fx real time (%.1fx by CPU time)\n", fw, fc, 60 / fw, 60 / fc
  printf "vigil vPDQ at 1 s        : %6.2f s wall, %6.2f s CPU = %6.1fx real time (%.1fx by CPU time)\n", vw, vc, 60 / vw, 60 / vc
  printf "vigil vPDQ / ffmpeg decode speed: %.2f by wall time, %.2f by CPU time\n", fw / vw, fc / vc
}'
