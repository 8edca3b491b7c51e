# Shared helpers for the end-to-end suites: run the real binary, check exit codes and
# output, and report every failure before failing (so one run shows all that is wrong).
set -uo pipefail
VIGIL=${1:?usage: suite.sh path/to/vigil repo-root}
ROOT=${2:?usage: suite.sh path/to/vigil repo-root}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
export VIGIL_DB=$WORK/vigil.db
failures=0

fail() {
  echo "FAIL: $*" >&2
  failures=$((failures + 1))
}

# run CMD...: runs vigil, leaving stdout in $WORK/out, stderr in $WORK/err, code in $rc.
run() {
  "$VIGIL" "$@" >"$WORK/out" 2>"$WORK/err"
  rc=$?
}

# expect_rc WANT DESCRIPTION
expect_rc() {
  if [[ $rc != "$1" ]]; then
    fail "$2: exit code $rc, want $1; stderr: $(head -c 600 "$WORK/err")"
  fi
}

# expect_in FILE TEXT DESCRIPTION: FILE (out or err) contains TEXT literally.
expect_in() {
  if ! grep -qF -- "$2" "$WORK/$1"; then
    fail "$3: $1 lacks '$2'; it has: $(head -c 600 "$WORK/$1")"
  fi
}

finish() {
  if ((failures > 0)); then
    echo "$failures check(s) failed" >&2
    exit 1
  fi
  echo "all checks passed"
}
