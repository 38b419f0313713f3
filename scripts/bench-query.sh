#!/usr/bin/env bash
# Times PromQL queries on a release collector beside Debian's Prometheus 2.42 on the same
# machine and the same node-shaped data (100 hosts × 42 series × 24 h at 10 s by default),
# and checks that both give the same answers. Figures and method: docs/benchmarks.md.
#
# Prometheus gets the data as OpenMetrics text through `promtool tsdb create-blocks-from
# openmetrics`; the collector gets it through POST /api/v1/ingest, one batch per host and
# hour, and cuts and compacts blocks itself in the background. Both run on 127.0.0.1 with
# random free ports and temporary data directories, removed afterwards.
#
# Usage: scripts/bench-query.sh
# Environment:
#   SKIP_BUILD=1   use the binaries already in .build-release
#   HOSTS=N        hosts (default 100; 3,200 CPU series)
#   HOURS=N        hours of data (default 24)
#   RUNS=N         timed runs per query and server after the first (default 5)
#   FLUSH=1        after loading, restart the collector with an admin token and persist its
#                  head to blocks too (POST /api/v1/admin/flush), so that it answers from
#                  blocks only, as Prometheus does here; by default its newest 2 h stay in
#                  the head, as in a live collector
#   DATA=DIR       where both loaded stores are kept and reused by later runs with the same
#                  HOSTS and HOURS (default /tmp/bench-query-data/hHOSTSxHOURS, about 250 MB
#                  at 100 × 24); each run works on a copy, so the kept stores never change
#   FRESH=1        generate and load the data again even when DATA holds it
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
source "$root/scripts/lib-bench.sh"
release=$root/.build-release/release
hosts=${HOSTS:-100}
hours=${HOURS:-24}
runs=${RUNS:-5}
flush=${FLUSH:-0}
data=${DATA:-/tmp/bench-query-data/h${hosts}x${hours}}
admin_token=bench-query-admin
prometheus=${PROMETHEUS:-/usr/bin/prometheus}
promtool=${PROMTOOL:-/usr/bin/promtool}

for tool in "$prometheus" "$promtool"; do
  [[ -x "$tool" ]] || { echo "$tool not found: install Debian's prometheus package (apt-get install prometheus)" >&2; exit 1; }
done

if [[ "${SKIP_BUILD:-0}" != 1 ]]; then
  swift build -c release --scratch-path "$root/.build-release" --product vigil-collector
  swift build -c release --scratch-path "$root/.build-release" --product vigil-bench
fi

work=$(mktemp -d /tmp/vigil-bench-query.XXXXXX)
collector_pid=
prometheus_pid=
load_pid=
cleanup() {
  local status=$?
  if ((status != 0)); then
    for log in collector prometheus promtool; do
      if [[ -s "$work/$log.log" ]]; then echo "last lines of $log.log:" >&2; tail -n 20 "$work/$log.log" >&2; fi
    done
  fi
  for pid in "$load_pid" "$collector_pid" "$prometheus_pid"; do
    if [[ -n "$pid" ]]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
  done
  rm -rf "$work"
}
trap cleanup EXIT

now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }
status_mib() { awk -v key="$2:" '$1 == key { printf "%.0f", $2 / 1024 }' "/proc/$1/status"; }

echo "commit: $(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)$(git -C "$root" diff --quiet HEAD 2>/dev/null || echo ' (with uncommitted changes)')"
echo "machine: $(nproc) CPUs, $(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo), kernel $(uname -r), $(awk '/^MemTotal/ { printf "%.0f GiB RAM", $2 / 1048576 }' /proc/meminfo)"
echo "swift: $(swift --version 2>/dev/null | head -n 1)"
echo "prometheus: $("$prometheus" --version 2>&1 | head -n 1)"
echo "fleet: $hosts hosts × 42 series × $hours h at 10 s; $runs timed runs per query; flush $flush"
echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
started=$(now)

# The collector: WAL without fsync (loading is not what is measured), no self monitor.
vigil_port=$(free_port)
mkdir -p "$work/vigil"
cat >"$work/collector.conf" <<EOF
listen = "127.0.0.1:$vigil_port"
data_dir = "$work/vigil"
[self_monitor]
enabled = false
[storage]
fsync = false
[log]
level = "warning"
EOF
start_collector() {
  "$release/vigil-collector" serve --config "$work/collector.conf" >>"$work/collector.log" 2>&1 &
  collector_pid=$!
  wait_http "http://127.0.0.1:$vigil_port/metrics" 60
}
if [[ "${FRESH:-0}" == 1 || ! -f "$data/complete" ]]; then
  rm -rf "$data"
  mkdir -p "$data"
  start_collector

  # Loading Vigil runs beside writing the text and promtool, one core each.
  "$release/vigil-bench" query load --hosts "$hosts" --hours "$hours" --url "http://127.0.0.1:$vigil_port" \
    --collector-pid "$collector_pid" >"$work/load.out" 2>&1 &
  load_pid=$!

  "$release/vigil-bench" query openmetrics --hosts "$hosts" --hours "$hours" --output "$work/fleet.om"
  phase=$(now)
  "$promtool" tsdb create-blocks-from --max-block-duration=24h openmetrics "$work/fleet.om" "$data/prometheus" >"$work/promtool.log" 2>&1
  echo "promtool built Prometheus' blocks in $(since "$phase") s:"
  sed 's/^/  /' "$work/promtool.log"
  rm -f "$work/fleet.om"

  if ! wait "$load_pid"; then load_pid=; cat "$work/load.out" >&2; exit 1; fi
  load_pid=
  echo "Vigil load:"
  sed 's/^/  /' "$work/load.out"
  # Stopping keeps the head in the WAL (no flush), so the kept store starts with the same
  # blocks and head as the live collector had.
  kill "$collector_pid"
  wait "$collector_pid" || true
  collector_pid=
  cp -a "$work/vigil" "$data/vigil"
  touch "$data/complete"
else
  echo "reusing the stores loaded in $data (FRESH=1 loads them again)"
  rm -rf "$work/vigil"
  cp -a "$data/vigil" "$work/vigil"
fi
cp -a "$data/prometheus" "$work/prometheus"
start_collector
token_options=()
auth_header=()
if [[ "$flush" == 1 ]]; then
  # Flushing needs an admin token, and with one configured every request needs a token.
  kill "$collector_pid"
  wait "$collector_pid" || true
  collector_pid=
  printf '[auth]\nadmin_tokens = ["%s"]\n' "$admin_token" >>"$work/collector.conf"
  start_collector
  phase=$(now)
  auth_header=(-H "Authorization: Bearer $admin_token")
  curl -fsS -X POST "${auth_header[@]}" "http://127.0.0.1:$vigil_port/api/v1/admin/flush"
  echo "Vigil restarted and its head flushed to blocks in $(since "$phase") s (compaction follows; compare waits for it)"
  token_options=(--vigil-token "$admin_token")
fi
echo "Vigil blocks: $(find "$work/vigil/tsdb/blocks" -mindepth 1 -maxdepth 1 -type d | wc -l), $(du -sm "$work/vigil/tsdb/blocks" | cut -f1) MiB; WAL $(du -sm "$work/vigil/tsdb/wal" 2>/dev/null | cut -f1) MiB"
echo "Prometheus blocks: $(find "$work/prometheus" -mindepth 1 -maxdepth 1 -type d | wc -l), $(du -sm "$work/prometheus" | cut -f1) MiB"

prometheus_port=$(free_port)
printf 'global:\n  scrape_interval: 1m\n  evaluation_interval: 1m\nscrape_configs: []\n' >"$work/prometheus.yml"
"$prometheus" --config.file="$work/prometheus.yml" --storage.tsdb.path="$work/prometheus" \
  --storage.tsdb.retention.time=100y --web.listen-address="127.0.0.1:$prometheus_port" --log.level=warn \
  >"$work/prometheus.log" 2>&1 &
prometheus_pid=$!
wait_http "http://127.0.0.1:$prometheus_port/-/ready" 60
echo "data loaded and both servers up after $(since "$started") s"

"$release/vigil-bench" query compare --hosts "$hosts" --hours "$hours" --runs "$runs" \
  --vigil-url "http://127.0.0.1:$vigil_port" --vigil-pid "$collector_pid" \
  --prometheus-url "http://127.0.0.1:$prometheus_port" --prometheus-pid "$prometheus_pid" "${token_options[@]}"
echo "Vigil's store when measured (/api/v1/status/tsdb): $(curl -fsS "${auth_header[@]}" "http://127.0.0.1:$vigil_port/api/v1/status/tsdb")"

echo
echo "| server | VmRSS MiB | VmHWM MiB | threads |"
echo "| --- | --- | --- | --- |"
echo "| Vigil | $(status_mib "$collector_pid" VmRSS) | $(status_mib "$collector_pid" VmHWM) | $(awk '/^Threads:/ { print $2 }' "/proc/$collector_pid/status") |"
echo "| Prometheus | $(status_mib "$prometheus_pid" VmRSS) | $(status_mib "$prometheus_pid" VmHWM) | $(awk '/^Threads:/ { print $2 }' "/proc/$prometheus_pid/status") |"
echo
echo "total $(since "$started") s; load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
