#!/usr/bin/env bash
# Measures what vigil-agent costs its host at a 1 s interval, whole process, next to Debian's
# node_exporter doing comparable work in the same time window; the static binary's size; then
# the in-process stage breakdown (vigil-bench agent-tick). Figures and method: docs/benchmarks.md.
#
# Usage: scripts/bench-agent.sh [SECONDS]      (default 60: the measured window, after a 5 s warm-up)
# Environment:
#   SKIP_BUILD=1        use the binaries already in .build-agent-static and .build-release
#   AGENT_TICKS=N       ticks for vigil-bench agent-tick (default 2000)
#   NODE_EXPORTER=PATH  node_exporter binary (default /usr/bin/prometheus-node-exporter; "" skips it)
#
# CPU comes from two sources per process, read at the start and end of the measured window:
#   utime+stime from /proc/PID/stat (clock ticks, 10 ms resolution: ±10 ms over the window), and
#   the first field of /proc/PID/task/*/schedstat summed over threads (run time in ns, exact).
# RSS is VmRSS and VmHWM from /proc/PID/status at the end.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
duration=${1:-60}
warmup=5
agent_ticks=${AGENT_TICKS:-2000}
node_exporter=${NODE_EXPORTER-/usr/bin/prometheus-node-exporter}
release=$root/.build-release/release
static=$root/.build-agent-static/release

if [[ "${SKIP_BUILD:-0}" != 1 ]]; then
  swift build -c release --scratch-path "$root/.build-agent-static" --product vigil-agent -Xswiftc -static-executable
  swift build -c release --scratch-path "$root/.build-release" --product vigil-collector
  swift build -c release --scratch-path "$root/.build-release" --product vigil-bench
fi

work=$(mktemp -d /tmp/vigil-bench-agent.XXXXXX)
pids=()
cleanup() {
  if (($? != 0)); then
    for log in "$work"/*.log; do [[ -s "$log" ]] && { echo "last lines of $(basename "$log"):" >&2; tail -n 20 "$log" >&2; }; done
  fi
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

source "$root/scripts/lib-bench.sh"

clk_tck=$(getconf CLK_TCK)

machine_header

# ---- binary ----
agent_bin=$work/vigil-agent
cp "$static/vigil-agent" "$agent_bin"
strip "$agent_bin"
echo "== static agent binary (stripped)"
echo "size: $(stat -c %s "$agent_bin") bytes (unstripped $(stat -c %s "$static/vigil-agent"))"
file -b "$agent_bin"
ldd "$agent_bin" 2>&1 || true

# ---- collector ----
collector_port=$(free_port)
url=http://127.0.0.1:$collector_port
mkdir -p "$work/collector-data"
cat >"$work/collector.conf" <<EOF
listen = "127.0.0.1:$collector_port"
data_dir = "$work/collector-data"
[self_monitor]
enabled = false
[log]
level = "warning"
EOF
"$release/vigil-collector" serve --config "$work/collector.conf" >"$work/collector.log" 2>&1 &
collector_pid=$!
pids+=("$collector_pid")
wait_http "$url/metrics"

# ---- the measured programs, all in one window so they see the same background load ----
# Each takes well under 1% of a core, so they do not disturb one another.
start_agent() { # label collectors (a TOML list); prints the PID
  mkdir -p "$work/state-$1"
  cat >"$work/agent-$1.conf" <<EOF
state_dir = "$work/state-$1"
collectors = $2
[log]
level = "warning"
EOF
  "$agent_bin" --config "$work/agent-$1.conf" --interval 1s --collector "$url" --host "bench-$1" \
    >"$work/agent-$1.log" 2>&1 &
  echo $!
}
agent_all=$(start_agent all '["cpu", "stat", "meminfo", "loadavg", "diskstats", "netdev", "vmstat", "pressure", "filesystem", "time", "uname"]')
pids+=("$agent_all")
agent_six=$(start_agent six '["cpu", "meminfo", "loadavg", "diskstats", "netdev", "filesystem"]')
pids+=("$agent_six")
measured=("$agent_all" "$agent_six")

if [[ -n "$node_exporter" ]]; then
  ne_port=$(free_port)
  ne_url=http://127.0.0.1:$ne_port/metrics
  "$node_exporter" --web.listen-address="127.0.0.1:$ne_port" --collector.disable-defaults \
    --collector.cpu --collector.meminfo --collector.diskstats --collector.netdev \
    --collector.filesystem --collector.loadavg >"$work/node_exporter.log" 2>&1 &
  ne_pid=$!
  pids+=("$ne_pid")
  measured+=("$ne_pid")
  wait_http "$ne_url"
fi

# Waits SECONDS on a fixed 1 s grid, scraping node_exporter (if any) at the start of each
# second as Prometheus would: SECONDS scrapes, and SECONDS agent ticks in the same time.
paced_wait() {
  local seconds=$1 i start now
  start=$(date +%s%N)
  for ((i = 1; i <= seconds; i++)); do
    if [[ -n "$node_exporter" ]]; then curl -fsS -o "$work/scrape.txt" "$ne_url"; fi
    now=$(date +%s%N)
    sleep "$(awk -v s="$start" -v now="$now" -v i="$i" 'BEGIN { d = (s + i * 1e9 - now) / 1e9; printf "%.3f", (d > 0 ? d : 0) }')"
  done
}

paced_wait "$warmup"
declare -A t0 n0
for pid in "${measured[@]}"; do t0[$pid]=$(stat_ticks "$pid"); n0[$pid]=$(run_ns "$pid"); done
paced_wait "$duration"
ticks=$duration
row() { # label pid collections
  local pid=$2
  awk -v label="$1" -v st=$(($(stat_ticks "$pid") - t0[$pid])) -v ns=$(($(run_ns "$pid") - n0[$pid])) \
    -v rss="$(status_kib "$pid" VmRSS)" -v hwm="$(status_kib "$pid" VmHWM)" -v th="$(status_kib "$pid" Threads)" \
    -v n="$3" -v hz="$clk_tck" 'BEGIN {
    printf "| %s | %d | %.3f | %.2f | %.2f | %.2f | %d |\n", label, n, ns / n / 1e6, st * 1000 / hz / n, rss / 1024, hwm / 1024, th
  }'
}
# The agents tick on their own 1 s grid, so the window holds as many of their collections.
rows=()
rows+=("$(row "vigil-agent, all 11 collectors (default)" "$agent_all" "$ticks")")
rows+=("$(row "vigil-agent, node_exporter's 6 collectors" "$agent_six" "$ticks")")
if [[ -n "$node_exporter" ]]; then
  rows+=("$(row "node_exporter $("$node_exporter" --version 2>&1 | awk 'NR == 1 { print $3 }'), 6 collectors, 1 scrape/s" "$ne_pid" "$ticks")")
  ne_series=$(grep -c '^node_' "$work/scrape.txt" || true)
fi
echo
echo "== whole-process cost, ${duration} s after a ${warmup} s warm-up, 1 s interval, all in the same window"
echo "| program | collections | CPU ms/collection (schedstat) | CPU ms/collection (stat) | VmRSS MiB | VmHWM MiB | threads |"
echo "| --- | --- | --- | --- | --- | --- | --- |"
printf '%s\n' "${rows[@]}"
for pid in "${measured[@]}"; do kill "$pid"; done
echo "series per collection: $(curl -fsS "$url/api/v1/hosts" | grep -o '"host":"bench-[a-z]*"[^}]*"series":[0-9]*' | sed 's/"host":"\([^"]*\)".*"series":\([0-9]*\)/\1 \2/' | paste -sd, - | sed 's/,/, /g') (each with the agent's 2 metadata series)${ne_series:+; node_* series in one node_exporter scrape: $ne_series}"

echo
echo "== in-process stage breakdown (vigil-bench agent-tick, $agent_ticks ticks back to back, POST to the same collector)"
"$release/vigil-bench" agent-tick --ticks "$agent_ticks" --url "$url"
echo
echo "== the same at zlib level 6 (the agent uses 1), to show what the level costs"
"$release/vigil-bench" agent-tick --ticks "$agent_ticks" --url "$url" --level 6
echo
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
