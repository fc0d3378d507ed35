#!/usr/bin/env bash
# VS Code end-to-end test: installs the built .vsix into code-server 4.100.3
# (VS Code 1.100.3), opens the fixture workspace in Debian's chromium driven
# by playwright-core, and checks what a user sees. Screenshots and logs go to
# tests/artifacts/vscode/.
# Env: FACTLENS_BIN (default target/debug/factlens), FACTLENS_VSIX (default
#      editors/vscode/factlens.vsix), CODE_SERVER, CHROMIUM.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../../.." && pwd)"
BIN="${FACTLENS_BIN:-$ROOT/target/debug/factlens}"
VSIX="${FACTLENS_VSIX:-$ROOT/editors/vscode/factlens.vsix}"
ART="$ROOT/tests/artifacts/vscode"
export CODE_SERVER="${CODE_SERVER:-$ROOT/tests/editors/vscode/node_modules/.bin/code-server}"
export CHROMIUM="${CHROMIUM:-/usr/bin/chromium}"
[ -x "$BIN" ] || { echo "vscode e2e: FAIL: factlens binary not found at $BIN (cargo build)"; exit 1; }
[ -f "$VSIX" ] || { echo "vscode e2e: FAIL: $VSIX not built (cd editors/vscode && npm run package)"; exit 1; }
[ -x "$CODE_SERVER" ] || { echo "vscode e2e: FAIL: code-server not found (run tests/editors/install.sh)"; exit 1; }
[ -x "$CHROMIUM" ] || { echo "vscode e2e: FAIL: chromium not found at $CHROMIUM (run tests/editors/install.sh)"; exit 1; }
[ -d "$ROOT/tests/editors/vscode/node_modules/playwright-core" ] || { echo "vscode e2e: FAIL: playwright-core missing (run tests/editors/install.sh)"; exit 1; }

TMP="$(mktemp -d /tmp/factlens-vscode.XXXXXX)"
PGID=""
cleanup() {
  # the driver's group, then code-server's (started detached by the driver)
  for g in "$PGID" "$(cat "$TMP/code-server.pid" 2>/dev/null || true)"; do
    [ -n "$g" ] && kill -TERM -- "-$g" 2>/dev/null || true
  done
  sleep 0.5
  for g in "$PGID" "$(cat "$TMP/code-server.pid" 2>/dev/null || true)"; do
    [ -n "$g" ] && kill -KILL -- "-$g" 2>/dev/null || true
  done
  rm -rf "$TMP"
}
trap cleanup EXIT INT TERM

rm -rf "$ART"; mkdir -p "$ART"
cp -r "$ROOT/tests/editors/fixtures/workspace" "$TMP/ws"
WS="$(cd "$TMP/ws" && pwd -P)"

t0=$(date +%s.%N)
set +e
env FACTLENS_BIN="$BIN" FACTLENS_VSIX="$VSIX" FACTLENS_WS="$WS" FACTLENS_TMP="$TMP" FACTLENS_ART="$ART" \
  HOME="$TMP/home" \
  setsid timeout -k 5 300 node "$ROOT/tests/editors/vscode/e2e.js" </dev/null >"$TMP/out.json" 2>"$TMP/err.log" &
PGID=$!
wait "$PGID"
rc=$?
set -e
t1=$(date +%s.%N)
cat "$TMP/err.log" >&2 || true
cp "$TMP/out.json" "$ART/result.json" 2>/dev/null || true
# the extension host's log (the factlens output channel) for post-mortems
find "$TMP/user-data/logs" -name '*factlens*' -exec cp {} "$ART/" \; 2>/dev/null || true
secs=$(awk "BEGIN{print $t1 - $t0}")
if [ "$rc" = 124 ] || [ "$rc" = 137 ]; then
  echo "vscode e2e: FAIL: the driver did not exit within 300 s (killed)"; exit 1
fi
if ! python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$TMP/out.json" 2>/dev/null; then
  echo "vscode e2e: FAIL (exit $rc): no JSON result on stdout; stderr above; code-server log in $ART/code-server.log"
  exit 1
fi
python3 - "$TMP/out.json" "$secs" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
n = {"pass": 0, "FAIL": 0, "skip": 0}
for c in r["checks"]:
    n[c["status"]] += 1
    if c["status"] != "pass":
        print(f'  {c["status"]}: {c["name"]}: {json.dumps(c.get("detail"), ensure_ascii=False)[:1500]}')
print(f'vscode e2e ({r["editor"]}): {n["pass"]} passed, {n["FAIL"]} failed, {n["skip"]} skipped in {float(sys.argv[2]):.1f} s; screenshots in tests/artifacts/vscode/')
PY
[ "$rc" = 0 ] && python3 -c 'import json,sys; sys.exit(0 if json.load(open(sys.argv[1]))["ok"] else 1)' "$TMP/out.json"
