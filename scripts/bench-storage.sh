#!/usr/bin/env bash
# Bytes per sample on disk and ingest CPU for Vigil, Prometheus (promtool backfill) and
# VictoriaMetrics (import API), on the same generated node_exporter-shaped data on this machine.
# Figures and method: docs/benchmarks.md, section 5.
#
# Usage: scripts/bench-storage.sh
# Environment:
#   HOSTS=N HOURS=H   scale of the generated data (default 10 hosts x 24 h at 10 s)
#   DATA=DIR          where the generated data is kept and reused (default /tmp/bench-storage-data/hHOSTSxHOURS)
#   SYSTEMS="vigil prometheus victoriametrics"   which systems to measure
#   SKIP_BUILD=1      use the vigil-collector already in .build-release
#   PARALLEL=N        concurrent import requests for Vigil and VictoriaMetrics (default 2)
# Needs: python3, curl, Debian packages prometheus (promtool) and victoria-metrics.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
source "$root/scripts/lib-bench.sh"
release=$root/.build-release/release
hosts=${HOSTS:-10}
hours=${HOURS:-24}
data=${DATA:-/tmp/bench-storage-data/h${hosts}x${hours}}
systems=${SYSTEMS:-"vigil prometheus victoriametrics"}
parallel=${PARALLEL:-2}
clk=$(getconf CLK_TCK)

if [[ "${SKIP_BUILD:-0}" != 1 && " $systems " == *" vigil "* ]]; then
  swift build -c release --scratch-path "$root/.build-release" --product vigil-collector
fi

work=$(mktemp -d /tmp/vigil-bench-storage.XXXXXX)
server_pid=
cleanup() {
  if [[ -n "$server_pid" ]]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

# CPU seconds (user + system) a running process has used so far.
cpu_seconds() { awk -v clk="$clk" '{ sub(/^.*\) /, ""); printf "%.2f\n", ($12 + $13) / clk }' "/proc/$1/stat"; }

# Waits until `du -sb` of the given paths stays the same for 10 s (background merges done).
wait_stable_size() {
  local last=-1 same=0 now
  for _ in $(seq 600); do
    now=$(du -sbc "$@" | tail -n 1 | cut -f1)
    if [[ "$now" == "$last" ]]; then same=$((same + 1)); else same=0; last=$now; fi
    ((same >= 10)) && { echo "$now"; return; }
    sleep 1
  done
  echo "$now"
}

# POSTs every import chunk to URL with PARALLEL requests at a time; stops at the first refusal.
post_chunks() {
  local url=$1; shift
  find "$data/chunks" -name '*.prom.gz' | sort | xargs -P "$parallel" -I{} sh -c '
    code=$(curl -sS -o "$0.answer.$$" -w "%{http_code}" -X POST "$@" -H "Content-Encoding: gzip" --data-binary @"{}" "'"$url"'")
    case $code in 2??) rm -f "$0.answer.$$" ;; *) echo "import of {} answered HTTP $code: $(cat "$0.answer.$$")" >&2; exit 255 ;; esac
  ' "$work/post" "$@"
}

echo "commit: $(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)$(git -C "$root" diff --quiet HEAD 2>/dev/null || echo ' (with uncommitted changes)')"
echo "machine: $(nproc) CPUs, $(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo), kernel $(uname -r)"
echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"

if [[ ! -s "$data/counts" ]]; then
  rm -rf "$data"; mkdir -p "$data"
  python3 "$root/scripts/bench-storage-gen.py" --hosts "$hosts" --hours "$hours" --out "$data" >"$data/counts"
  echo "$hosts hosts x $hours h at 10 s" >"$data/scale"
fi
read -r _ series _ samples _ chunks <"$data/counts"
echo "data: $(cat "$data/scale" 2>/dev/null || echo "$data"): $series series, $samples samples, $chunks import chunks ($(du -sb "$data/chunks" | cut -f1) bytes gzip), OpenMetrics $(stat -c %s "$data/data.om") bytes"

results=()
record() { # system bytes cpu
  results+=("$(awk -v s="$1" -v n="$samples" -v b="$2" -v c="$3" 'BEGIN { printf "| %s | %d | %d | %.3f | %.1f | %.2f M |", s, n, b, b / n, c, (c > 0 ? n / c / 1e6 : 0) }')")
}

for system in $systems; do
  case $system in
  vigil)
    port=$(free_port)
    mkdir -p "$work/vigil"
    cat >"$work/vigil.conf" <<EOF
listen = "127.0.0.1:$port"
data_dir = "$work/vigil/data"
[auth]
ingest_tokens = ["bench"]
read_tokens = ["bench"]
admin_tokens = ["bench"]
[self_monitor]
enabled = false
[storage]
retention = "0s"
[ingest]
max_body_size = "16MiB"
max_inflated_size = "64MiB"
EOF
    "$release/vigil-collector" serve --config "$work/vigil.conf" >"$work/vigil.log" 2>&1 &
    server_pid=$!
    wait_http "http://127.0.0.1:$port/-/healthy"
    sleep 1
    cpu0=$(cpu_seconds "$server_pid")
    start=$(date +%s.%N)
    post_chunks "http://127.0.0.1:$port/api/v1/import/prometheus" -H "Authorization: Bearer bench"
    curl -fsS -X POST -H "Authorization: Bearer bench" "http://127.0.0.1:$port/api/v1/admin/flush" >/dev/null
    cpu1=$(cpu_seconds "$server_pid")
    wall=$(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
    bytes=$(wait_stable_size "$work/vigil/data")
    cpu2=$(cpu_seconds "$server_pid")
    echo "vigil: import + flush ${wall} s wall, CPU ${cpu0} -> ${cpu1} s (after background work: ${cpu2} s), RSS $(awk '/VmRSS/ { print $2, $3 }' "/proc/$server_pid/status")"
    "$release/vigil-collector" tsdb stats --url "http://127.0.0.1:$port" --token bench || true
    ingest_cpu=$(awk -v a="$cpu0" -v b="$cpu2" 'BEGIN { print b - a }')
    record "Vigil, flushed (2 h blocks cut and compacted by the flush)" "$bytes" "$ingest_cpu"
    # The flush requests a maintenance pass, so the flushed figure is already compacted; a
    # restart (another pass at start-up) checks that nothing is left to merge.
    kill "$server_pid"; wait "$server_pid" 2>/dev/null || true
    "$release/vigil-collector" serve --config "$work/vigil.conf" >>"$work/vigil.log" 2>&1 &
    server_pid=$!
    wait_http "http://127.0.0.1:$port/-/healthy"
    bytes=$(wait_stable_size "$work/vigil/data")
    cpu3=$(cpu_seconds "$server_pid")
    echo "vigil: after a restart (start-up maintenance pass): CPU ${cpu3} s, RSS $(awk '/VmRSS/ { print $2, $3 }' "/proc/$server_pid/status")"
    "$release/vigil-collector" tsdb stats --url "http://127.0.0.1:$port" --token bench || true
    (cd "$work/vigil/data" && find . -maxdepth 3 -type d | sort | head -n 40 && du -sb -- * | sort -k2)
    echo "vigil: bytes by block file kind (all blocks):"
    (cd "$work/vigil/data/tsdb/blocks" && find . -type f -printf '%f %s\n' | awk '{ sum[$1] += $2 } END { for (k in sum) printf "  %-12s %d\n", k, sum[k] }' | sort)
    grep -v 'imported samples' "$work/vigil.log" | tail -n 20
    record "Vigil, compacted (after restart)" "$bytes" "$(awk -v a="$ingest_cpu" -v b="$cpu3" 'BEGIN { print a + b }')"
    kill "$server_pid"; wait "$server_pid" 2>/dev/null || true; server_pid=
    rm -rf "$work/vigil"
    ;;
  prometheus)
    mkdir -p "$work/prom"
    # 24 h blocks directly (the compacted shape); the data starts on a day boundary.
    read -r cpu wall < <(python3 - "$data/data.om" "$work/prom" <<'PY'
import resource, subprocess, sys, time
t = time.time()
subprocess.run(["promtool", "tsdb", "create-blocks-from", "openmetrics", "--max-block-duration=24h", sys.argv[1], sys.argv[2]],
               check=True, stdout=subprocess.DEVNULL)
r = resource.getrusage(resource.RUSAGE_CHILDREN)
print(f"{r.ru_utime + r.ru_stime:.2f} {time.time() - t:.1f}")
PY
)
    bytes=$(du -sb "$work/prom" | cut -f1)
    echo "prometheus: promtool create-blocks-from openmetrics ${wall} s wall, ${cpu} CPU s"
    (cd "$work/prom" && for b in */; do du -sb "$b"*; done)
    record "Prometheus $(dpkg-query -W -f '${Version}' prometheus 2>/dev/null)" "$bytes" "$cpu"
    rm -rf "$work/prom"
    ;;
  victoriametrics)
    port=$(free_port)
    mkdir -p "$work/vm"
    victoria-metrics -storageDataPath="$work/vm" -retentionPeriod=100y -httpListenAddr="127.0.0.1:$port" >"$work/vm.log" 2>&1 &
    server_pid=$!
    wait_http "http://127.0.0.1:$port/health"
    sleep 1
    cpu0=$(cpu_seconds "$server_pid")
    start=$(date +%s.%N)
    post_chunks "http://127.0.0.1:$port/api/v1/import/prometheus"
    curl -sS -o /dev/null "http://127.0.0.1:$port/internal/force_flush" || true
    cpu1=$(cpu_seconds "$server_pid")
    wall=$(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
    wait_stable_size "$work/vm/data" "$work/vm/indexdb" >/dev/null
    cpu2=$(cpu_seconds "$server_pid")
    curl -sS -o /dev/null "http://127.0.0.1:$port/internal/force_merge" || true
    bytes=$(wait_stable_size "$work/vm/data" "$work/vm/indexdb")
    echo "victoriametrics: import ${wall} s wall, CPU ${cpu0} -> ${cpu1} s (after background merges, before force_merge: ${cpu2} s), RSS $(awk '/VmRSS/ { print $2, $3 }' "/proc/$server_pid/status")"
    curl -sS "http://127.0.0.1:$port/metrics" | grep -E '^vm_rows\{type="(storage/big|storage/small|indexdb)"\}|^vm_data_size_bytes' || true
    (cd "$work/vm" && du -sb -- * | sort -k2)
    record "VictoriaMetrics $(dpkg-query -W -f '${Version}' victoria-metrics 2>/dev/null)" "$bytes" "$(awk -v a="$cpu0" -v b="$cpu2" 'BEGIN { print b - a }')"
    kill "$server_pid"; wait "$server_pid" 2>/dev/null || true; server_pid=
    rm -rf "$work/vm"
    ;;
  *) echo "unknown system $system (vigil, prometheus, victoriametrics)" >&2; exit 2 ;;
  esac
done

echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
echo
echo "| system | samples | bytes on disk | bytes/sample | ingest CPU s | samples per CPU s |"
echo "|---|---:|---:|---:|---:|---:|"
printf '%s\n' "${results[@]}"
