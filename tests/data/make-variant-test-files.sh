#!/usr/bin/env bash
# Makes tests/data/variants/: edited copies of the ThreatExchange bridge image
# (tests/data/pdq/bridge-mods/aaa-orig.jpg, BSD licence, see tests/data/pdq/LICENSE-ThreatExchange)
# that plain PDQ misses and vigil's query variants catch. Needs the `vips` command
# (libvips-tools). The files are committed; this script says how they were made.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out=$here/variants
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$out"
vips resize "$here/pdq/bridge-mods/aaa-orig.jpg" "$tmp/half.v" 0.5   # 800 x 502
# A 6% black border on every side: 48 columns left and right, 30 rows top and bottom.
vips embed "$tmp/half.v" "$out/bridge-border6.jpg[Q=80,strip]" 48 30 896 562 --extend black
# Turned a quarter clockwise.
vips rot "$tmp/half.v" "$out/bridge-rot90.jpg[Q=80,strip]" d90
