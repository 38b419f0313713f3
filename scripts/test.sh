#!/usr/bin/env bash
# Runs Vigil's whole test suite on a fresh Debian machine with Swift:
# installs what the tests need (zlib, node_exporter to compare against), builds, tests.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh --test
swift build
swift test
