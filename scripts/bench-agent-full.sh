#!/usr/bin/env bash
# The agent with everything on, at a 1 s interval: all 11 /proc collectors, the cgroup v2
# collector, one log counter tailing an nginx access log written at LINES_PER_SECOND, the
# disk spool with fsync per batch, the /metrics listener scraped once a second, and HTTPS with
# a client certificate to a collector that requires one (TLS=0 uses plain HTTP). Next to it,
# in the same window, the same agent without the log counter and without cgroups, so each
# feature's cost is the difference. Then the spool's own throughput (vigil-bench spool).
# Targets (issue 5): RSS under 12 MiB with all of it on; tailing 10,000 lines/s under 5% of
# one core. Figures and method: docs/benchmarks.md, section 6.
#
# Usage: scripts/bench-agent-full.sh [SECONDS]   (default 60, after a 5 s warm-up)
# Environment: SKIP_BUILD=1 reuses .build-agent-static and .build-release;
#              LINES_PER_SECOND (default 10000); TLS=0 for plain HTTP (default 1: HTTPS with
#              a client certificate, certificates made here with openssl).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
duration=${1:-60}
warmup=5
rate=${LINES_PER_SECOND:-10000}
tls=${TLS:-1}
release=$root/.build-release/release
static=$root/.build-agent-static/release
source "$root/scripts/lib-bench.sh"

if [[ "${SKIP_BUILD:-0}" != 1 ]]; then
  swift build -c release --scratch-path "$root/.build-agent-static" --product vigil-agent -Xswiftc -static-executable
  swift build -c release --scratch-path "$root/.build-release" --product vigil-collector
  swift build -c release --scratch-path "$root/.build-release" --product vigil-bench
fi

work=$(mktemp -d /tmp/vigil-bench-agent-full.XXXXXX)
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
machine_header
echo "cgroup v2 groups on this host: $(find /sys/fs/cgroup -mindepth 1 -maxdepth 4 -type d 2>/dev/null | wc -l)"

agent_bin=$work/vigil-agent
cp "$static/vigil-agent" "$agent_bin"
strip "$agent_bin"

collector_port=$(free_port)
collector_tls=""
agent_tls=""
curl_tls=()
scheme=http
if [[ "$tls" == 1 ]]; then
  # A CA, a certificate for 127.0.0.1 and one client certificate (docs/tls.md).
  (
    cd "$work"
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 -keyout ca.key -out ca.crt \
      -subj "/CN=bench CA" -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign" 2>/dev/null
    for name in server client; do
      openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout $name.key -out $name.csr -subj "/CN=$name" 2>/dev/null
    done
    printf 'subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n' >server.ext
    printf 'extendedKeyUsage=clientAuth\n' >client.ext
    for name in server client; do
      openssl x509 -req -in $name.csr -CA ca.crt -CAkey ca.key -CAcreateserial -days 2 -extfile $name.ext -out $name.crt 2>/dev/null
    done
  )
  collector_tls=$(printf '[tls]\ncert_file = "%s"\nkey_file = "%s"\nclient_ca_file = "%s"\n' "$work/server.crt" "$work/server.key" "$work/ca.crt")
  agent_tls=$(printf 'ca_file = "%s"\ncert_file = "%s"\nkey_file = "%s"\n' "$work/ca.crt" "$work/client.crt" "$work/client.key")
  curl_tls=(--cacert "$work/ca.crt" --cert "$work/client.crt" --key "$work/client.key")
  scheme=https
fi
url=$scheme://127.0.0.1:$collector_port
cat >"$work/collector.conf" <<CONF
listen = "127.0.0.1:$collector_port"
data_dir = "$work/collector-data"
[self_monitor]
enabled = false
[log]
level = "warning"
$collector_tls
CONF
"$release/vigil-collector" serve --config "$work/collector.conf" >"$work/collector.log" 2>&1 &
pids+=($!)
for _ in $(seq 300); do curl -fsS -o /dev/null "${curl_tls[@]}" "$url/metrics" 2>/dev/null && break; sleep 0.1; done
echo "collector: $url$([[ "$tls" == 1 ]] && echo ' (TLS, client certificates required)')"

# The log: nginx combined format, statuses and paths varied as a web server's are.
log=$work/access.log
: >"$log"
python3 - "$log" "$rate" >"$work/writer.log" 2>&1 <<'PY' &
import random, sys, time
path, rate = sys.argv[1], int(sys.argv[2])
paths = ["/", "/api/users", "/api/orders", "/static/app.js", "/login", "/api/search?q=x", "/health"]
statuses = ["200"] * 90 + ["304"] * 4 + ["404"] * 3 + ["500", "502", "503"]
methods = ["GET"] * 8 + ["POST", "PUT"]
lines = [
    f'10.0.{i % 250}.{i % 199} - - [21/Nov/2026:10:00:00 +0000] "{random.choice(methods)} {random.choice(paths)} HTTP/1.1" '
    f'{random.choice(statuses)} {random.randint(100, 90000)} "-" "Mozilla/5.0 (X11; Linux x86_64) bench"\n'
    for i in range(5000)
]
slices_per_second = 100
per_slice = rate // slices_per_second
with open(path, "a", buffering=1 << 16) as out:
    start, n, k = time.monotonic(), 0, 0
    while True:
        for _ in range(per_slice):
            out.write(lines[k]); k = (k + 1) % len(lines)
        out.flush()
        n += 1
        delay = start + n / slices_per_second - time.monotonic()
        if delay > 0:
            time.sleep(delay)
PY
writer_pid=$!
pids+=("$writer_pid")

collectors11='["cpu", "stat", "meminfo", "loadavg", "diskstats", "netdev", "vmstat", "pressure", "filesystem", "time", "uname"]'
collectors12='["cpu", "stat", "meminfo", "loadavg", "diskstats", "netdev", "vmstat", "pressure", "filesystem", "time", "uname", "cgroup"]'
counter=$(cat <<CONF
[[log_counter]]
file = "$log"
metric = "http_requests_total"
pattern = '^\S++ \S++ \S++ \[[^\]]*+\] "(?<method>[A-Z]++) (?<path>[^ "?]*+)[^"]*+" (?<status>\d{3}) '
labels = ["status", "method"]
CONF
)
start_agent() { # label collectors extra-config; prints the PID
  mkdir -p "$work/state-$1"
  cat >"$work/agent-$1.conf" <<CONF
state_dir = "$work/state-$1"
collectors = $2
[collector]
url = "$url"
$agent_tls
[metrics]
listen = "127.0.0.1:0"
[log]
level = "info"
$3
CONF
  "$agent_bin" --config "$work/agent-$1.conf" --interval 1s --host "bench-$1" >"$work/agent-$1.log" 2>&1 &
  echo $!
}
agent_full=$(start_agent full "$collectors12" "$counter")
agent_nologs=$(start_agent nologs "$collectors12" "")
agent_base=$(start_agent base "$collectors11" "")
pids+=("$agent_full" "$agent_nologs" "$agent_base")
measured=("$agent_full" "$agent_nologs" "$agent_base" "$writer_pid")
sleep 1
metrics_urls=()
for label in full nologs base; do
  address=$(grep -o 'metrics on http://[0-9.:]*' "$work/agent-$label.log" | head -1 | sed 's/metrics on //')
  metrics_urls+=("$address/metrics")
done

paced_wait() { # seconds: scrape every agent's /metrics once a second, as Prometheus would
  local seconds=$1 i start now
  start=$(date +%s%N)
  for ((i = 1; i <= seconds; i++)); do
    for metrics in "${metrics_urls[@]}"; do curl -fsS -o /dev/null "$metrics"; done
    now=$(date +%s%N)
    sleep "$(awk -v s="$start" -v now="$now" -v i="$i" 'BEGIN { d = (s + i * 1e9 - now) / 1e9; printf "%.3f", (d > 0 ? d : 0) }')"
  done
}

paced_wait "$warmup"
lines0=$(wc -l <"$log")
declare -A n0
for pid in "${measured[@]}"; do n0[$pid]=$(run_ns "$pid"); done
paced_wait "$duration"
lines=$(($(wc -l <"$log") - lines0))
declare -A cpu
echo
echo "== ${duration} s after a ${warmup} s warm-up, 1 s interval, spool fsync per batch, /metrics scraped every second, $scheme"
echo "log lines written in the window: $lines ($((lines / duration)) per second)"
echo "| agent | CPU % of one core | CPU ms per tick | VmRSS MiB | VmHWM MiB | threads |"
echo "| --- | --- | --- | --- | --- | --- |"
row() { # label pid
  local ns=$(($(run_ns "$2") - n0[$2]))
  cpu[$1]=$ns
  awk -v label="$1" -v ns="$ns" -v d="$duration" -v rss="$(status_kib "$2" VmRSS)" -v hwm="$(status_kib "$2" VmHWM)" \
    -v th="$(status_kib "$2" Threads)" 'BEGIN { printf "| %s | %.2f | %.3f | %.2f | %.2f | %d |\n", label, ns / d / 1e7, ns / d / 1e6, rss / 1024, hwm / 1024, th }'
}
row "all on: 11 collectors + cgroup + log counter + /metrics" "$agent_full"
row "without the log counter" "$agent_nologs"
row "11 collectors + /metrics (no cgroup, no log counter)" "$agent_base"
awk -v a="${cpu[all on: 11 collectors + cgroup + log counter + /metrics]}" -v b="${cpu[without the log counter]}" \
  -v c="${cpu[11 collectors + /metrics (no cgroup, no log counter)]}" -v d="$duration" -v l="$lines" 'BEGIN {
  printf "log tailing and matching: %.2f%% of one core for %d lines/s (%.2f µs per line)\n", (a - b) / d / 1e7, l / d, (a - b) / l / 1e3
  printf "cgroup collector: %.3f ms per tick\n", (b - c) / d / 1e6
}'
matched=$(curl -fsS "${curl_tls[@]}" "$url/api/v1/query" --data-urlencode 'query=sum(vigil_agent_log_matched_lines_total{host="bench-full"})' | grep -o '"value":\[[^]]*\]')
echo "matched lines reported by the agent (collector query): $matched"
for pid in "$agent_full" "$agent_nologs" "$agent_base"; do kill "$pid"; done

echo
echo "== spool throughput (vigil-bench spool, 8 KiB batches, on $(df --output=source "$work" | tail -1))"
for mode in always interval never; do "$release/vigil-bench" spool --batches 3000 --fsync "$mode" --directory "$work"; done
echo
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
