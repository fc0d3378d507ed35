#!/usr/bin/env bash
# The whole test suite: unit, protocol and CLI tests, the accuracy scorer,
# and the editor end-to-end tests. Run from the repository root.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo test --workspace 2>&1
