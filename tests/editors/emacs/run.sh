#!/usr/bin/env bash
# Emacs + eglot end-to-end test: the eglot snippet of editors/README.md,
# headless (emacs --batch), with `factlens` on PATH. Debian: emacs-nox
# elpa-eglot. Keeps HOME and Debian's site-start (see the editor notes).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../../.." && pwd)"
BIN="${FACTLENS_BIN:-$ROOT/target/debug/factlens}"
ART="$ROOT/tests/artifacts/emacs"
[ -x "$BIN" ] || { echo "emacs e2e: FAIL: factlens binary not found at $BIN"; exit 1; }
command -v emacs >/dev/null || { echo "emacs e2e: FAIL: emacs not found (run tests/editors/install.sh)"; exit 1; }
TMP="$(mktemp -d /tmp/factlens-emacs.XXXXXX)"
PGID=""
cleanup() {
  [ -n "$PGID" ] && kill -KILL -- "-$PGID" 2>/dev/null || true
  rm -rf "$TMP"
}
trap cleanup EXIT INT TERM
cp -r "$ROOT/tests/editors/fixtures/workspace" "$TMP/ws"
mkdir -p "$TMP/bin" "$ART"
ln -s "$BIN" "$TMP/bin/factlens"
t0=$(date +%s.%N)
set +e
env PATH="$TMP/bin:$PATH" FACTLENS_WS="$(cd "$TMP/ws" && pwd -P)" \
  setsid timeout -k 5 120 emacs --batch -l "$ROOT/tests/editors/emacs/test.el" </dev/null >"$TMP/out.json" 2>"$TMP/err.log" &
PGID=$!
wait "$PGID"
rc=$?
set -e
secs=$(awk "BEGIN{print $(date +%s.%N) - $t0}")
cat "$TMP/err.log" >&2
cp "$TMP/out.json" "$ART/result.json" 2>/dev/null || true
if [ "$rc" = 0 ]; then
  printf 'emacs e2e (eglot): ok in %.1f s\n' "$secs"
else
  printf 'emacs e2e (eglot): FAIL (exit %s) in %.1f s\n' "$rc" "$secs"
  exit 1
fi
