#!/usr/bin/env bash
# TMK+PDQF hashing speed of a 720p H.264 file on one core, as a multiple of real time,
# side by side with plain FFmpeg decoding of the same file (`ffmpeg -threads 1 -i F -f
# null -`) and with vigil's decoder alone. Best of RUNS each.
#   bench/video/tmk_bench.sh [BUILD_DIR] [VIDEO]
# BUILD_DIR: an optimised build with VIGIL_BENCH=ON (default build-release). VIDEO: default
# a 60 s 1280x720 30 fps H.264 clip made once from ffmpeg's testsrc2 pattern in BUILD_DIR.
set -euo pipefail
build=${1:-build-release}
video=${2:-}
runs=${RUNS:-3}
bench="$build/bench/video/tmk_bench"
[ -x "$bench" ] || { echo "no $bench: cmake --build $build --target tmk_bench" >&2; exit 1; }
if [ -z "$video" ]; then
  video="$build/bench/video/testsrc2-720p30-60s.mp4"
  if [ ! -f "$video" ]; then
    ffmpeg -loglevel error -nostdin -f lavfi -i testsrc2=s=1280x720:r=30:d=60 \
      -c:v libx264 -preset medium -pix_fmt yuv420p "$video"
  fi
fi
# taskset keeps every run on one core (ffmpeg would otherwise also use filter threads).
pin="taskset -c 0"
command -v taskset >/dev/null || pin=""
length=$(ffprobe -v error -select_streams v:0 -show_entries format=duration -of csv=p=0 "$video")
best=""
for _ in $(seq "$runs"); do
  start=$(date +%s.%N)
  $pin ffmpeg -loglevel error -nostdin -threads 1 -i "$video" -f null -
  t=$(echo "$(date +%s.%N) - $start" | bc -l)
  if [ -z "$best" ] || [ "$(echo "$t < $best" | bc -l)" = 1 ]; then best=$t; fi
done
printf 'ffmpeg -threads 1 -f null: %7.3f s  %6.1fx real time\n' "$best" "$(echo "$length / $best" | bc -l)"
$pin "$bench" "$video" "$runs"
