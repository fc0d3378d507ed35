#!/usr/bin/env bash
# Editor end-to-end tests: builds the server (debug) and the VS Code .vsix,
# then runs the Neovim, Emacs (eglot) and VS Code tests, printing timings.
# Needs what tests/editors/install.sh installs. Exit non-zero on any failure.
# Env: FACTLENS_BIN to test another server binary (skips cargo build).
set -uo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$ROOT"
fail=0
now() { date +%s.%N; }
el() { awk -v a="$1" -v b="$(now)" 'BEGIN{printf "%.1f", b - a}'; }

t=$(now)
if [ -z "${FACTLENS_BIN:-}" ]; then
  cargo build -q --bin factlens || { echo "editors: FAIL: cargo build"; exit 1; }
  export FACTLENS_BIN="$ROOT/target/debug/factlens"
fi
echo "editors: server binary $FACTLENS_BIN ($(el "$t") s)"

t=$(now)
( cd editors/vscode &&
  npm run -s typecheck &&
  npm run -s package >/dev/null ) || { echo "editors: FAIL: building the .vsix (run tests/editors/install.sh first)"; exit 1; }
echo "editors: built editors/vscode/factlens.vsix ($(du -k editors/vscode/factlens.vsix | cut -f1) KB) in $(el "$t") s"

t=$(now)
if bash tests/editors/nvim/run.sh; then r=ok; else r=FAIL; fail=1; fi
echo "editors: Neovim test $r in $(el "$t") s"

NVIM_NEW="$ROOT/tests/editors/nvim/.venv/bin/nvim"
if [ -x "$NVIM_NEW" ]; then
  t=$(now)
  if NVIM="$NVIM_NEW" bash tests/editors/nvim/run.sh; then r=ok; else r=FAIL; fail=1; fi
  echo "editors: Neovim $("$NVIM_NEW" --version | head -1 | cut -d' ' -f2) test (vim.lsp.start path) $r in $(el "$t") s"
else
  echo "editors: newer Neovim not installed (tests/editors/install.sh): its test skipped"
fi

t=$(now)
if bash tests/editors/emacs/run.sh; then r=ok; else r=FAIL; fail=1; fi
echo "editors: Emacs eglot test $r in $(el "$t") s"

t=$(now)
if bash tests/editors/vscode/run.sh; then r=ok; else r=FAIL; fail=1; fi
echo "editors: VS Code test $r in $(el "$t") s (screenshots: tests/artifacts/vscode/*.png)"

exit "$fail"
