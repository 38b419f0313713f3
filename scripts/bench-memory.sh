#!/usr/bin/env bash
# Measures the collector's resident memory per active series (issue 3: at most 1 KiB; 1 million
# active series under 1 GiB) for head shapes from freshly created series to a full head.
# Each shape gets a fresh release collector (empty data directory, WAL and fsync on, self
# monitor off, block_range "6h" so no block is cut during the run whatever the time of day),
# fed by `vigil-bench ingest` through the real HTTP path. Afterwards it prints VmRSS, RssAnon
# and RssFile of the collector, the head bytes /api/v1/status/tsdb counts, and KiB per series
# (VmRSS ÷ series, and net of the idle collector's VmRSS). Figures: docs/benchmarks.md.
#
# Usage: scripts/bench-memory.sh
# Environment:
#   SKIP_BUILD=1   use the binaries already in .build-release
#   SHAPES="H:S:N:T ..."  hosts:series per host:samples per series per batch:batches per host
#                  (default "200:500:10:72 2000:500:1:6": 100,000 series × 720 samples, the
#                  2 h a head holds before a cut at 10 s, and 1,000,000 series × 6 samples;
#                  "2000:500:10:72" is the full head of 1 M series: about 25 minutes, 4 GB disk)
#   CONNECTIONS=N  concurrent connections (default 4)
#   RESTART=0      skip the restart: by default each shape ends with a SIGKILL and a restart, timed
#                  until the collector answers, which is the WAL replay of every head series
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
source "$root/scripts/lib-bench.sh"
release=$root/.build-release/release
connections=${CONNECTIONS:-4}
shapes=${SHAPES:-"200:500:10:72 2000:500:1:6"}

build_release vigil-collector vigil-bench
server_workdir memory

machine_header
rows=()
restarts=()
for shape in $shapes; do
  IFS=: read -r hosts series samples ticks <<<"$shape"
  port=$(free_port)
  rm -rf "$work/data"
  mkdir -p "$work/data"
  cat >"$work/collector.conf" <<EOF
listen = "127.0.0.1:$port"
data_dir = "$work/data"
[self_monitor]
enabled = false
[storage]
block_range = "6h"
[log]
level = "warning"
EOF
  "$release/vigil-collector" serve --config "$work/collector.conf" >"$work/collector.log" 2>&1 &
  collector_pid=$!
  wait_http "http://127.0.0.1:$port/metrics"
  idle_kib=$(status_kib "$collector_pid" VmRSS)
  echo
  echo "shape $shape: $((hosts * series)) series × $((samples * ticks)) samples (idle VmRSS $((idle_kib / 1024)) MiB)"
  "$release/vigil-bench" ingest --collector-pid "$collector_pid" --url "http://127.0.0.1:$port" \
    --hosts "$hosts" --series-per-host "$series" --samples-per-series "$samples" --ticks "$ticks" \
    --connections "$connections" | grep '^| ' || true
  sleep 2
  rss=$(status_kib "$collector_pid" VmRSS)
  anon=$(status_kib "$collector_pid" RssAnon)
  file=$(status_kib "$collector_pid" RssFile)
  tsdb=$(curl -fsS "http://127.0.0.1:$port/api/v1/status/tsdb")
  head_series=$(grep -o '"headSeries":[0-9]*' <<<"$tsdb" | cut -d: -f2)
  head_bytes=$(grep -o '"headBytes":[0-9]*' <<<"$tsdb" | cut -d: -f2)
  head_samples=$(grep -o '"headSamples":[0-9]*' <<<"$tsdb" | cut -d: -f2)
  rows+=("$(awk -v shape="$((hosts * series)) series × $((samples * ticks)) samples" -v s="$head_series" -v n="$head_samples" \
    -v rss="$rss" -v anon="$anon" -v file="$file" -v idle="$idle_kib" -v hb="$head_bytes" 'BEGIN {
      printf "| %s | %d | %d | %.1f | %.1f | %.1f | %.1f | %.0f | %.2f | %.2f |", shape, s, n, rss / 1024, anon / 1024,
        file / 1024, hb / 1048576, hb / s, rss / s, (rss - idle) / s }')")
  echo "${rows[-1]}"
  if [[ "${RESTART:-1}" == 1 ]]; then
    kill -KILL "$collector_pid"
    wait "$collector_pid" 2>/dev/null || true
    started=$(date +%s.%N)
    "$release/vigil-collector" serve --config "$work/collector.conf" >>"$work/collector.log" 2>&1 &
    collector_pid=$!
    wait_http "http://127.0.0.1:$port/metrics" 600
    replay=$(awk -v a="$started" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
    replayed=$(curl -fsS "http://127.0.0.1:$port/api/v1/status/tsdb" | grep -o '"headSeries":[0-9]*' | cut -d: -f2)
    restarts+=("| $((hosts * series)) series × $((samples * ticks)) samples | $replayed | $replay | $(($(status_kib "$collector_pid" VmRSS) / 1024)) |")
    echo "after SIGKILL: restart (WAL replay) took $replay s, $replayed head series"
  fi
  kill "$collector_pid"
  wait "$collector_pid" || true
  collector_pid=
done

echo
echo "| shape | head series | head samples | VmRSS MiB | RssAnon MiB | RssFile MiB | head MiB (status/tsdb) | head bytes per series | KiB per series | net KiB per series |"
echo "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"
printf '%s\n' "${rows[@]}"
if ((${#restarts[@]} > 0)); then
  echo
  echo "| shape | head series after replay | restart s (kill -9, start until answering) | VmRSS MiB after replay |"
  echo "| --- | --- | --- | --- |"
  printf '%s\n' "${restarts[@]}"
fi
echo
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
