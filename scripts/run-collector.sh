#!/usr/bin/env bash
# Builds the collector (release) and runs it on embedded defaults: listens on
# 127.0.0.1:9470, keeps data in ./vigil-data, samples this host. Extra arguments go to `serve`.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
swift build -c release --product vigil-collector
exec .build/release/vigil-collector serve "$@"
