#!/usr/bin/env bash
# Neovim end-to-end test: the plugin from editors/nvim in headless Neovim
# (0.7.2 from Debian), on a throwaway copy of the fixture workspace.
# Env: FACTLENS_BIN (default target/debug/factlens), NVIM (default nvim),
#      FACTLENS_TIMEOUT_MS (per wait, default 15000).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../../.." && pwd)"
BIN="${FACTLENS_BIN:-$ROOT/target/debug/factlens}"
NVIM="${NVIM:-nvim}"
[ -x "$BIN" ] || { echo "nvim e2e: FAIL: factlens binary not found at $BIN (cargo build)"; exit 1; }
command -v "$NVIM" >/dev/null || { echo "nvim e2e: FAIL: $NVIM not found (run tests/editors/install.sh)"; exit 1; }
ART="$ROOT/tests/artifacts/nvim-$("$NVIM" --version | head -1 | awk '{print $2}')"

TMP="$(mktemp -d /tmp/factlens-nvim.XXXXXX)"
PGID=""
cleanup() {
  if [ -n "$PGID" ]; then kill -TERM -- "-$PGID" 2>/dev/null || true; sleep 0.2; kill -KILL -- "-$PGID" 2>/dev/null || true; fi
  rm -rf "$TMP"
}
trap cleanup EXIT INT TERM

cp -r "$ROOT/tests/editors/fixtures/workspace" "$TMP/ws"
WS="$(cd "$TMP/ws" && pwd -P)"
mkdir -p "$TMP"/{config,data,state,cache} "$ART"

t0=$(date +%s.%N)
# Its own process group (setsid), so that everything it started can be
# killed at the end; a hard time limit on top of the test's own.
set +e
env XDG_CONFIG_HOME="$TMP/config" XDG_DATA_HOME="$TMP/data" XDG_STATE_HOME="$TMP/state" \
  XDG_CACHE_HOME="$TMP/cache" NVIM_LOG_FILE="$TMP/cache/nvim.log" \
  FACTLENS_BIN="$BIN" FACTLENS_WS="$WS" FACTLENS_PLUGIN="$ROOT/editors/nvim" \
  setsid timeout -k 5 240 "$NVIM" --headless --clean -n -i NONE \
  -c "luafile $ROOT/tests/editors/nvim/test.lua" </dev/null >"$TMP/out.json" 2>"$TMP/err.log" &
PGID=$!
wait "$PGID"
rc=$?
set -e
t1=$(date +%s.%N)

cat "$TMP/err.log" >&2 || true
cp "$TMP/out.json" "$ART/result.json" 2>/dev/null || true
# the LSP log (server stderr included): under the cache dir up to 0.9,
# under the state dir from 0.10
for l in "$TMP/state/nvim/lsp.log" "$TMP/cache/nvim/lsp.log"; do
  [ -f "$l" ] && cp "$l" "$ART/lsp.log" && break
done
secs=$(awk "BEGIN{print $t1 - $t0}")
if [ "$rc" != 0 ] && [ -f "$ART/lsp.log" ]; then
  echo "nvim e2e: the last lines of the LSP log:"; tail -n 30 "$ART/lsp.log" | cut -c1-400
fi
if [ "$rc" = 124 ] || [ "$rc" = 137 ]; then
  echo "nvim e2e: FAIL: Neovim did not exit within 240 s (killed)"; exit 1
fi
if ! python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$TMP/out.json" 2>/dev/null; then
  echo "nvim e2e: FAIL (exit $rc): no JSON result on stdout; stderr above; LSP log in $ART/lsp.log"
  exit 1
fi
python3 - "$TMP/out.json" "$secs" <<'EOF'
import json, sys
r = json.load(open(sys.argv[1]))
n = {"pass": 0, "FAIL": 0, "skip": 0}
for c in r["checks"]:
    n[c["status"]] += 1
    if c["status"] != "pass":
        print(f'  {c["status"]}: {c["name"]}: {json.dumps(c.get("detail"), ensure_ascii=False)[:1500]}')
print(f'nvim e2e (Neovim {r["version"]}): {n["pass"]} passed, {n["FAIL"]} failed, {n["skip"]} skipped in {float(sys.argv[2]):.1f} s')
EOF
[ "$rc" = 0 ] && python3 -c 'import json,sys; sys.exit(0 if json.load(open(sys.argv[1]))["ok"] else 1)' "$TMP/out.json"
