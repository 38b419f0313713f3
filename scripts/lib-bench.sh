# Helpers shared by the scripts/bench-*.sh benchmarks; source it after `cd` to the repository.
# Expects $root (the repository) to be set by the caller.

# A TCP port on 127.0.0.1 that nothing listens on now.
free_port() {
  local port
  while :; do
    port=$((20000 + RANDOM % 40000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then echo "$port"; return; fi
  done
}

# Waits up to SECONDS (default 30) for URL to answer: wait_http URL [SECONDS].
wait_http() {
  local seconds=${2:-30}
  for _ in $(seq $((seconds * 10))); do
    curl -fsS -o /dev/null "$1" 2>/dev/null && return 0
    sleep 0.1
  done
  echo "no answer from $1 after $seconds s" >&2
  return 1
}

# utime+stime of PID in clock ticks (fields 14 and 15 of /proc/PID/stat, counted after the
# command name, which may hold spaces).
stat_ticks() {
  local rest
  rest=$(sed 's/.*) //' "/proc/$1/stat")
  awk '{ print $12 + $13 }' <<<"$rest"
}

# Run time of every thread of PID in ns (/proc/PID/task/*/schedstat, first field).
run_ns() {
  cat /proc/"$1"/task/*/schedstat | awk '{ sum += $1 } END { printf "%d\n", sum }'
}

# A field of /proc/PID/status in KiB: status_kib PID VmRSS.
status_kib() { awk -v key="$2:" '$1 == key { print $2 }' "/proc/$1/status"; }

# What and where: commit, machine, load (CPU times are inflated when other work shares the cores).
machine_header() {
  echo "commit: $(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)$(git -C "$root" diff --quiet HEAD 2>/dev/null || echo ' (with uncommitted changes)')"
  echo "machine: $(nproc) CPUs, $(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo), kernel $(uname -r), $(awk '/^MemTotal/ { printf "%.0f GiB RAM", $2 / 1048576 }' /proc/meminfo)"
  echo "swift: $(swift --version 2>/dev/null | head -n 1)"
  echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
}

# Builds these products in release mode into $root/.build-release, unless SKIP_BUILD=1:
# build_release PRODUCT...
build_release() {
  [[ "${SKIP_BUILD:-0}" == 1 ]] && return 0
  local product
  for product in "$@"; do swift build -c release --scratch-path "$root/.build-release" --product "$product"; done
}

# For benchmarks that run one server at a time: makes the temporary directory $work and,
# at exit, stops the server $collector_pid (set it when starting one, clear it once stopped),
# shows the tail of $work/collector.log if the script failed, and removes $work.
# server_workdir NAME
server_workdir() {
  work=$(mktemp -d "/tmp/vigil-bench-$1.XXXXXX")
  collector_pid=
  trap server_workdir_cleanup EXIT
}

server_workdir_cleanup() {
  if (($? != 0)) && [[ -s "$work/collector.log" ]]; then echo "last lines of the server's log:" >&2; tail -n 20 "$work/collector.log" >&2; fi
  if [[ -n "$collector_pid" ]]; then kill "$collector_pid" 2>/dev/null || true; wait "$collector_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
