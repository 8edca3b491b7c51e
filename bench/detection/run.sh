#!/usr/bin/env bash
# The detection evaluation of issue 5 end to end: installs the freely licensed image
# packages it draws on (idempotent; needs root or sudo for apt), lists originals and
# distractors from them, and runs detection_bench, which applies the rules of README.md
# ("Data hygiene") and prints recall per transform and false positives for plain PDQ and
# vigil side by side. Nothing it gathers is written into the repository.
#
# Usage: bench/detection/run.sh path/to/build-dir-or/detection_bench [extra bench flags]
#   e.g. bench/detection/run.sh build --outcomes /tmp/outcomes.tsv
# Environment: DETECTION_MAX_DISTRACTORS (default 5000), DETECTION_WORK (the list folder;
# default a temporary one, removed at exit).
set -euo pipefail
target=${1:?usage: run.sh path/to/build-dir-or/detection_bench [bench flags]}
shift
root=$(cd "$(dirname "$0")/../.." && pwd)
if [[ -d $target ]]; then
  cmake --build "$target" --target detection_bench -j"$(nproc)" >/dev/null
  bench=$target/bench/detection/detection_bench
else
  bench=$target
fi

# Originals: photos and artwork made as desktop wallpapers. Distractors: game art, clip
# art and textures from unrelated packages (never the same source files).
original_pkgs=(gnome-backgrounds plasma-workspace-wallpapers mate-backgrounds desktop-base
  ukui-wallpapers lomiri-wallpapers lomiri-wallpapers-16.04 lomiri-wallpapers-20.04)
distractor_pkgs=(wesnoth-1.16-data supertuxkart-data openclipart-png)
missing=()
for p in "${original_pkgs[@]}" "${distractor_pkgs[@]}" fonts-dejavu-core; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
if ((${#missing[@]})); then
  sudo=()
  ((EUID == 0)) || sudo=(sudo)
  "${sudo[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends \
    "${missing[@]}" >/dev/null
fi

work=${DETECTION_WORK:-}
if [[ -z $work ]]; then
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
fi
images() { dpkg -L "$@" | grep -Ei '\.(jpe?g|png|webp)$' | sort -u; }

# One file per artwork where a package ships several renderings of it: Plasma's largest
# file in each images/ and images_dark/ folder (not the screenshot), desktop-base's 16:9
# boot background of each theme; every other wallpaper file as it is. The same picture at
# two sizes left after this is dropped by the near-duplicate rule (README.md).
{
  images plasma-workspace-wallpapers | grep -E '/contents/images(_dark)?/' |
    while read -r f; do printf '%s\t%s\n' "$(dirname "$f")" "$f"; done |
    while IFS=$'\t' read -r dir f; do printf '%s\t%s\t%s\n' "$dir" "$(stat -c %s "$f")" "$f"; done |
    sort -t$'\t' -k1,1 -k2,2nr | awk -F'\t' '!seen[$1]++ { print $3 }'
  images desktop-base | grep '/grub/grub-16x9\.png$'
  images gnome-backgrounds mate-backgrounds ukui-wallpapers lomiri-wallpapers \
    lomiri-wallpapers-16.04 lomiri-wallpapers-20.04
} | sort -u >"$work/originals.txt"
images "${distractor_pkgs[@]}" >"$work/distractors.txt"
echo "listed: $(wc -l <"$work/originals.txt") original files, $(wc -l <"$work/distractors.txt") distractor files"

"$bench" --originals "$work/originals.txt" --distractors "$work/distractors.txt" \
  --max-distractors "${DETECTION_MAX_DISTRACTORS:-5000}" "$@"
echo "vigil commit: $(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)"
