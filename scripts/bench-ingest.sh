#!/usr/bin/env bash
# Measures the collector's ingest throughput through the real HTTP path with the WAL on
# (fsync = true, the default), for fleet shapes from live agents to agents catching up.
# Each shape gets a fresh release collector (own port, empty data directory, self monitor
# off), so series counts and memory are per shape. With victoriametrics in SYSTEMS, the same
# generated series and values (scripts/remote-write-load.py) then go to a fresh Debian
# VictoriaMetrics through its Prometheus remote-write endpoint, one request per host and tick
# as for Vigil, and its CPU is measured the same way. Figures and method: docs/benchmarks.md.
#
# Usage: scripts/bench-ingest.sh
# Environment:
#   SKIP_BUILD=1     use the binaries already in .build-release
#   CONNECTIONS=N    concurrent connections (default 4)
#   SHAPES="H:S:N:T ..."  hosts:series per host:samples per series per batch:batches per host
#                    (default "200:500:1:30 100:500:10:20")
#   SLICES=N         measure the append phase in N consecutive slices (does ingest slow as the store grows?)
#   SYSTEMS="vigil victoriametrics"   which servers to measure (default both; victoriametrics
#                    installs the Debian packages victoria-metrics and python3-snappy when missing)
#   FSYNC=false      acknowledge before the WAL is fsynced (default true, the collector's default),
#                    to see what the fsync costs
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
source "$root/scripts/lib-bench.sh"
release=$root/.build-release/release
connections=${CONNECTIONS:-4}
fsync=${FSYNC:-true}
shapes=${SHAPES:-"200:500:1:30 100:500:10:20"}
systems=${SYSTEMS:-"vigil victoriametrics"}

if [[ " $systems " == *" victoriametrics "* ]]; then
  if ! command -v victoria-metrics >/dev/null || ! /usr/bin/python3 -c 'import snappy' 2>/dev/null; then
    echo "installing victoria-metrics and python3-snappy (Debian packages)"
    ${SUDO:-$( ((EUID == 0)) || echo sudo)} apt-get install -y victoria-metrics python3-snappy >/dev/null
  fi
fi

if [[ " $systems " == *" vigil "* ]]; then build_release vigil-collector vigil-bench; fi
server_workdir ingest

machine_header
echo "data directory file system: $(df -T "$work" | awk 'NR == 2 { print $2 " on " $1 }'), fsync = $fsync"
rows=()
for shape in $shapes; do
  IFS=: read -r hosts series samples ticks <<<"$shape"
  [[ " $systems " == *" vigil "* ]] || continue
  port=$(free_port)
  rm -rf "$work/data"
  mkdir -p "$work/data"
  cat >"$work/collector.conf" <<EOF
listen = "127.0.0.1:$port"
data_dir = "$work/data"
[self_monitor]
enabled = false
[storage]
fsync = $fsync
[log]
level = "warning"
EOF
  "$release/vigil-collector" serve --config "$work/collector.conf" >"$work/collector.log" 2>&1 &
  collector_pid=$!
  wait_http "http://127.0.0.1:$port/metrics"
  echo
  "$release/vigil-bench" ingest --collector-pid "$collector_pid" --url "http://127.0.0.1:$port" \
    --hosts "$hosts" --series-per-host "$series" --samples-per-series "$samples" --ticks "$ticks" \
    --connections "$connections" --slices "${SLICES:-1}" | tee "$work/out.txt"
  while IFS= read -r row; do rows+=("$row"); done < <(grep '^| ' "$work/out.txt")
  kill "$collector_pid"
  wait "$collector_pid" || true
  collector_pid=
done

for shape in $shapes; do
  IFS=: read -r hosts series samples ticks <<<"$shape"
  [[ " $systems " == *" victoriametrics "* ]] || continue
  port=$(free_port)
  rm -rf "$work/vm"
  victoria-metrics -storageDataPath="$work/vm" -retentionPeriod=100y -httpListenAddr="127.0.0.1:$port" \
    -loggerLevel=ERROR >"$work/collector.log" 2>&1 &
  collector_pid=$!
  wait_http "http://127.0.0.1:$port/health"
  echo
  /usr/bin/python3 "$root/scripts/remote-write-load.py" --url "http://127.0.0.1:$port/api/v1/write" \
    --pid "$collector_pid" --system "VictoriaMetrics $(dpkg-query -W -f '${Version}' victoria-metrics 2>/dev/null)" \
    --hosts "$hosts" --series-per-host "$series" --samples-per-series "$samples" --ticks "$ticks" \
    --connections "$connections" | tee "$work/out.txt"
  while IFS= read -r row; do rows+=("$row"); done < <(grep '^| ' "$work/out.txt")
  kill "$collector_pid"
  wait "$collector_pid" || true
  collector_pid=
done

echo
echo "| shape | phase | batches | samples | wall s | samples/s | server CPU s | samples per CPU s | VmRSS MiB | VmHWM MiB | head series |"
echo "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"
printf '%s\n' "${rows[@]}"
echo
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
