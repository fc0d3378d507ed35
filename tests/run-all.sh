#!/usr/bin/env bash
# The whole factlens test suite, from a fresh machine:
#   1. formatting and lints (cargo fmt --check, clippy -D warnings)
#   2. unit, property, protocol (real `factlens lsp` over stdio) and CLI tests
#   3. the accuracy scorers against ../shared/corpus (tables printed;
#      skipped with a message when the corpus is absent)
#   4. the editor end-to-end tests: headless Neovim and VS Code
#      (code-server + Chromium). Their dependencies are installed by
#      tests/editors/install.sh (apt + npm; needs root or sudo).
#      FACTLENS_SKIP_EDITORS=1 skips step 4.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
export FACTLENS_CORPUS="${FACTLENS_CORPUS:-$ROOT/../shared/corpus}"

step() { printf '\n==== %s ====\n' "$*"; }

step "cargo fmt --check"
cargo fmt --all -- --check

step "cargo clippy"
cargo clippy --workspace --all-targets -- -D warnings

step "cargo test (unit, property, protocol, CLI, scorers)"
cargo test --workspace

step "accuracy scorers (tables)"
for t in score_seeds score_matches; do
  if [ -f "server/tests/$t.rs" ]; then cargo test -q -p factlens --test "$t" -- --nocapture; fi
done
# Wrong matches over the 21k real articles: release build (a debug build
# skips it).
cargo test --release -q -p factlens --test score_wrong_matches -- --nocapture

if [ "${FACTLENS_SKIP_EDITORS:-0}" = 1 ]; then
  echo "editor tests: skipped (FACTLENS_SKIP_EDITORS=1)"
elif [ -f tests/editors/run.sh ]; then
  step "editor tests (install, then Neovim and VS Code)"
  bash tests/editors/install.sh
  bash tests/editors/run.sh
fi
echo "all tests passed"
