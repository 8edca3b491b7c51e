#!/usr/bin/env bash
# Regenerates the small video files the media/content tests use, from FFmpeg's generated
# test pattern (no camera footage): tests/data/video-formats/ (one per container vigil
# reads besides MP4) and the crafted bad inputs in tests/data/bad/video-*.
# Usage: tests/data/make-video-test-files.sh   (needs ffmpeg with libx264 and libvpx)
set -euo pipefail
cd "$(dirname "$0")"
ff() { ffmpeg -v error -y -nostdin "$@"; }
src=(-f lavfi -i testsrc=size=64x48:rate=10:duration=1)

ff "${src[@]}" -c:v gif video-formats/testsrc.gif
ff "${src[@]}" -c:v libvpx -b:v 100k video-formats/testsrc.webm
ff "${src[@]}" -c:v libx264 -pix_fmt yuv420p video-formats/testsrc.mkv
ff "${src[@]}" -c:v mpeg4 -q:v 5 video-formats/testsrc.avi
ff "${src[@]}" -c:v libx264 -pix_fmt yuv420p video-formats/testsrc.mov

# Ten hours of grey at one frame an hour: 10 frames, under 2 kB, header duration 36000 s.
ff -f lavfi -i color=c=gray:size=32x32:rate=1/3600 -t 36000 -c:v libx264 -pix_fmt yuv420p \
  bad/video-10-hours.mp4

# An AVI whose headers (avih and the video stream's BITMAPINFOHEADER) claim 100000x100000.
ff "${src[@]}" -c:v mpeg4 -q:v 5 bad/video-100000x100000.avi
python3 - bad/video-100000x100000.avi <<'PY'
import struct, sys
path = sys.argv[1]
data = bytearray(open(path, "rb").read())
avih = data.index(b"avih") + 8          # MainAVIHeader: dwWidth at +32, dwHeight at +36
struct.pack_into("<II", data, avih + 32, 100000, 100000)
strf = data.index(b"strf", data.index(b"vids")) + 8  # BITMAPINFOHEADER: biWidth +4, biHeight +8
struct.pack_into("<ii", data, strf + 4, 100000, 100000)
open(path, "wb").write(data)
PY
# Refused for what they hold: no video stream; a codec outside the allow-list.
ff -f lavfi -i sine=frequency=440:duration=0.2 -c:a aac bad/video-audio-only.mp4
ff -f lavfi -i testsrc=size=16x16:rate=1:duration=1 -c:v huffyuv bad/video-huffyuv.avi

ls -l video-formats bad/video-*
