#!/usr/bin/env python3
"""Deterministic node_exporter-shaped data for the storage benchmark (scripts/bench-storage.sh).

For HOSTS hosts sampled every STEP seconds over HOURS hours it writes the same samples twice:
  - OUT_DIR/chunks/NNNN.prom.gz: Prometheus text, millisecond timestamps, gzip, each chunk at
    most --chunk-bytes of text before compression and split on series boundaries (a series'
    samples are all in one chunk, in time order), for Vigil's and VictoriaMetrics' import APIs;
  - OUT_DIR/data.om: OpenMetrics, second timestamps, ending in "# EOF", for
    `promtool tsdb create-blocks-from openmetrics`.
It prints "series N samples M" on stdout.

Series per host (about 300), shaped like node_exporter's:
  - node_cpu_seconds_total per cpu and mode: float counters in 0.01 s steps, noisy rates;
  - network and disk counters of integer bytes and operations, bursty rates;
  - node_memory_*_bytes, filesystem free/avail, load averages: slowly drifting gauges;
  - constants: filesystem sizes, boot time, MTU, speed, cpu frequency limits, info series.
The same --seed gives byte-identical output.
"""
import argparse
import calendar
import gzip
import os
import random
import time

CPUS = 8
CPU_MODES = ["user", "system", "idle", "iowait", "irq", "softirq", "steal", "nice"]
NET_DEVICES = ["eth0", "eth1", "lo", "docker0"]
NET_COUNTERS = ["receive_bytes", "transmit_bytes", "receive_packets", "transmit_packets",
                "receive_errs", "transmit_errs", "receive_drop", "transmit_drop"]
DISK_DEVICES = ["sda", "sdb", "nvme0n1", "dm-0"]
DISK_COUNTERS = [("reads_completed_total", 1), ("writes_completed_total", 1), ("read_bytes_total", 4096),
                 ("written_bytes_total", 4096), ("reads_merged_total", 1), ("writes_merged_total", 1)]
DISK_SECONDS = ["io_time_seconds_total", "read_time_seconds_total", "write_time_seconds_total"]
MEMORY = ["MemTotal", "MemFree", "MemAvailable", "Buffers", "Cached", "SwapCached", "Active", "Inactive",
          "Active_anon", "Inactive_anon", "Active_file", "Inactive_file", "Unevictable", "Mlocked",
          "SwapTotal", "SwapFree", "Dirty", "Writeback", "AnonPages", "Mapped", "Shmem", "KReclaimable",
          "Slab", "SReclaimable", "SUnreclaim", "KernelStack", "PageTables", "NFS_Unstable", "Bounce",
          "WritebackTmp", "CommitLimit", "Committed_AS", "VmallocTotal", "VmallocUsed", "VmallocChunk",
          "Percpu", "HardwareCorrupted", "AnonHugePages", "ShmemHugePages", "HugePages_Total",
          "HugePages_Free", "Hugepagesize", "DirectMap4k", "DirectMap2M", "DirectMap1G"]
MOUNTS = [("/", "/dev/sda1", "ext4"), ("/boot", "/dev/sda2", "ext4"), ("/var", "/dev/sdb1", "xfs"),
          ("/home", "/dev/nvme0n1p1", "ext4"), ("/run", "tmpfs", "tmpfs"), ("/dev/shm", "tmpfs", "tmpfs")]
VMSTAT = ["pgpgin", "pgpgout", "pswpin", "pswpout", "pgfault", "pgmajfault", "oom_kill"]
NETSTAT = ["Tcp_ActiveOpens", "Tcp_PassiveOpens", "Tcp_CurrEstab", "Tcp_InSegs", "Tcp_OutSegs",
           "Tcp_RetransSegs", "Tcp_InErrs", "Tcp_OutRsts", "Udp_InDatagrams", "Udp_OutDatagrams",
           "Udp_InErrors", "Udp_NoPorts", "Ip_Forwarding", "Icmp_InMsgs", "Icmp_OutMsgs",
           "TcpExt_ListenDrops", "TcpExt_ListenOverflows", "TcpExt_SyncookiesSent", "TcpExt_TCPTimeouts",
           "IpExt_InOctets", "IpExt_OutOctets"]
SOCKSTAT = ["sockets_used", "TCP_inuse", "TCP_orphan", "TCP_tw", "TCP_alloc", "TCP_mem", "UDP_inuse",
            "UDP_mem", "FRAG_inuse", "RAW_inuse"]


def counter(rng, n, start, mean, burst=0.0, integer=True):
    """n values of a counter with random increments around `mean` per step."""
    out = []
    v = start
    for _ in range(n):
        inc = rng.expovariate(1.0 / mean) if mean > 0 else 0.0
        if burst and rng.random() < 0.02:
            inc *= burst
        v += int(inc) if integer else inc
        out.append(v)
    return out


def gauge(rng, n, start, step, lo, hi, quantum=1):
    """n values of a slowly drifting gauge: a random walk in multiples of `quantum`,
    which changes only now and then."""
    out = []
    v = start
    for _ in range(n):
        if rng.random() < 0.3:
            v += int(rng.gauss(0, step)) * quantum
            v = min(max(v, lo), hi)
        out.append(v)
    return out


def host_series(h, n, rng):
    """(metric name, labels, values, kind) for every series of host h; kind is 'i' (integer),
    'c' (centi: integer hundredths printed as a float) or 'f' (float printed as is)."""
    host = f"host-{h:04d}"
    inst = f'instance="{host}:9100",job="node"'
    out = []
    ncpu_busy = rng.uniform(0.05, 0.6)
    for cpu in range(CPUS):
        for mode in CPU_MODES:
            share = {"user": ncpu_busy * 0.7, "system": ncpu_busy * 0.25, "idle": 1 - ncpu_busy,
                     "iowait": 0.01, "irq": 0.002, "softirq": 0.01, "steal": 0.0, "nice": 0.001}[mode]
            # hundredths of a second per 10 s step: share * 1000, noisy
            vals = []
            v = rng.randint(10_000, 50_000_000)
            mean = share * 1000
            for _ in range(n):
                if mean > 0:
                    v += max(0, int(rng.gauss(mean, mean * 0.3 + 1)))
                vals.append(v)
            out.append(("node_cpu_seconds_total", f'cpu="{cpu}",{inst},mode="{mode}"', vals, "c"))
    for dev in NET_DEVICES:
        rate = {"eth0": 2e6, "eth1": 2e5, "lo": 5e4, "docker0": 1e4}[dev] * rng.uniform(0.2, 2)
        for c in NET_COUNTERS:
            if c.endswith("bytes"):
                mean = rate
            elif c.endswith("packets"):
                mean = rate / 900
            else:
                mean = 0.0005 if rng.random() < 0.5 else 0
            vals = counter(rng, n, rng.randint(0, 10**10) if mean > 1 else 0, mean, burst=8)
            out.append((f"node_network_{c}_total", f'device="{dev}",{inst}', vals, "i"))
        out.append(("node_network_mtu_bytes", f'device="{dev}",{inst}', [1500 if dev != "lo" else 65536] * n, "i"))
        out.append(("node_network_speed_bytes", f'device="{dev}",{inst}', [125000000] * n, "i"))
        out.append(("node_network_up", f'device="{dev}",{inst}', [1] * n, "i"))
        out.append(("node_network_carrier", f'device="{dev}",{inst}', [1] * n, "i"))
    for dev in DISK_DEVICES:
        ops = rng.uniform(1, 200)
        for c, unit in DISK_COUNTERS:
            mean = ops * unit * (8 if "bytes" in c else 1) * (0.1 if "merged" in c else 1)
            out.append((f"node_disk_{c}", f'device="{dev}",{inst}', counter(rng, n, rng.randint(0, 10**8) * unit, mean, burst=10), "i"))
        for c in DISK_SECONDS:
            # milliseconds from /proc/diskstats printed as seconds with three decimals
            vals = counter(rng, n, rng.randint(0, 10**9), ops * 2, burst=5)
            out.append((f"node_disk_{c}", f'device="{dev}",{inst}', [v / 1000 for v in vals], "f"))
        out.append(("node_disk_io_now", f'device="{dev}",{inst}', gauge(rng, n, 0, 1, 0, 20), "i"))
    total = rng.choice([8, 16, 32, 64, 128]) * 2**30
    for m in MEMORY:
        if m in ("MemTotal", "SwapTotal", "VmallocTotal", "Hugepagesize", "HugePages_Total", "DirectMap1G",
                 "HardwareCorrupted", "NFS_Unstable", "Bounce", "WritebackTmp", "CommitLimit", "VmallocChunk"):
            v = total if m == "MemTotal" else rng.choice([0, 2097152, total // 2, 35184372087808])
            vals = [v] * n
        else:
            start = rng.randint(0, total // 4096 // 2) * 4096
            vals = gauge(rng, n, start, 50, 0, total, 4096)
        out.append((f"node_memory_{m}_bytes", inst, vals, "i"))
    load = rng.uniform(0.1, 4)
    for name, smooth in (("node_load1", 0.3), ("node_load5", 0.08), ("node_load15", 0.03)):
        vals = []
        v = load
        for _ in range(n):
            v = max(0.0, v + rng.gauss(0, smooth))
            vals.append(int(v * 100))
        out.append((name, inst, vals, "c"))
    for mnt, dev, fs in MOUNTS:
        lbl = f'device="{dev}",fstype="{fs}",{inst},mountpoint="{mnt}"'
        size = rng.randint(1, 2000) * 2**30
        free = rng.randint(size // 10, size)
        free_vals = gauge(rng, n, free // 4096 * 4096, 30, 0, size, 4096)
        out.append(("node_filesystem_size_bytes", lbl, [size] * n, "i"))
        out.append(("node_filesystem_free_bytes", lbl, free_vals, "i"))
        out.append(("node_filesystem_avail_bytes", lbl, [max(0, v - size // 20) for v in free_vals], "i"))
        files = size // 16384
        out.append(("node_filesystem_files", lbl, [files] * n, "i"))
        out.append(("node_filesystem_files_free", lbl, gauge(rng, n, files - rng.randint(0, files // 2), 20, 0, files), "i"))
        out.append(("node_filesystem_readonly", lbl, [0] * n, "i"))
        out.append(("node_filesystem_device_error", lbl, [0] * n, "i"))
    for cpu in range(CPUS):
        out.append(("node_cpu_scaling_frequency_max_hertz", f'cpu="{cpu}",{inst}', [3600000000] * n, "i"))
        out.append(("node_cpu_scaling_frequency_min_hertz", f'cpu="{cpu}",{inst}', [800000000] * n, "i"))
        out.append(("node_cpu_scaling_frequency_hertz", f'cpu="{cpu}",{inst}', gauge(rng, n, 2400000, 200, 800000, 3600000, 1000), "i"))
    for m in VMSTAT:
        out.append((f"node_vmstat_{m}", inst, counter(rng, n, rng.randint(0, 10**9), rng.uniform(0, 5000) if "swp" not in m and m != "oom_kill" else 0), "i"))
    for m in NETSTAT:
        if m in ("Tcp_CurrEstab", "Ip_Forwarding"):
            out.append((f"node_netstat_{m}", inst, gauge(rng, n, rng.randint(1, 300), 3, 0, 10000), "i"))
        else:
            out.append((f"node_netstat_{m}", inst, counter(rng, n, rng.randint(0, 10**8), rng.uniform(0, 3000)), "i"))
    for m in SOCKSTAT:
        out.append((f"node_sockstat_{m}", inst, gauge(rng, n, rng.randint(0, 1000), 3, 0, 100000), "i"))
    for m, mean in (("node_context_switches_total", 40000), ("node_intr_total", 30000), ("node_forks_total", 50)):
        out.append((m, inst, counter(rng, n, rng.randint(0, 10**10), mean), "i"))
    for m in ("node_procs_running", "node_procs_blocked", "node_filefd_allocated", "node_entropy_available_bits"):
        out.append((m, inst, gauge(rng, n, rng.randint(1, 3000), 2, 0, 100000), "i"))
    boot = 1_700_000_000 + rng.randint(0, 10**7)
    out.append(("node_boot_time_seconds", inst, [boot] * n, "i"))
    out.append(("node_filefd_maximum", inst, [9223372036854775807] * n, "i"))
    out.append(("node_uname_info", f'domainname="(none)",{inst},machine="x86_64",nodename="{host}",release="6.1.0-13-amd64",sysname="Linux",version="#1 SMP PREEMPT_DYNAMIC Debian 6.1.55-1 (2023-09-29)"', [1] * n, "i"))
    out.append(("node_os_info", f'id="debian",{inst},name="Debian GNU/Linux",version_id="12"', [1] * n, "i"))
    out.append(("node_exporter_build_info", f'branch="debian/sid",goversion="go1.19.8",{inst},revision="1.5.0-1+b6",version="1.5.0"', [1] * n, "i"))
    out.append(("node_time_zone_offset_seconds", f'{inst},time_zone="UTC"', [0] * n, "i"))
    for t in ("node_textfile_scrape_error", "node_nf_conntrack_entries_limit", "node_timex_status",
              "node_timex_sync_status", "node_timex_tai_offset_seconds"):
        out.append((t, inst, [rng.choice([0, 1, 262144])] * n, "i"))
    return out


def fmt(kind):
    if kind == "i":
        return str
    if kind == "c":
        return lambda v: repr(v / 100)
    return repr


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--hosts", type=int, default=10)
    p.add_argument("--hours", type=float, default=24)
    p.add_argument("--step", type=int, default=10, help="seconds between samples")
    p.add_argument("--start", default="2026-11-01T00:00:00Z", help="UTC start, aligned to a day for whole blocks")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--chunk-bytes", type=int, default=48 << 20, help="text bytes per import chunk before gzip")
    p.add_argument("--out", required=True)
    a = p.parse_args()
    start = calendar.timegm(time.strptime(a.start, "%Y-%m-%dT%H:%M:%SZ"))
    n = int(a.hours * 3600 // a.step)
    ts_s = [str(start + i * a.step) for i in range(n)]
    ts_ms = [s + "000" for s in ts_s]
    os.makedirs(os.path.join(a.out, "chunks"), exist_ok=True)
    om = open(os.path.join(a.out, "data.om"), "w")
    chunk_no = 0
    pending = []
    pending_bytes = 0
    series = samples = 0

    def flush_chunk():
        nonlocal chunk_no, pending, pending_bytes
        if not pending:
            return
        with gzip.open(os.path.join(a.out, "chunks", f"{chunk_no:04d}.prom.gz"), "wt", compresslevel=1) as f:
            f.write("".join(pending))
        chunk_no += 1
        pending = []
        pending_bytes = 0

    for h in range(a.hosts):
        rng = random.Random(a.seed * 1_000_003 + h)
        for name, labels, vals, kind in host_series(h, n, rng):
            f = fmt(kind)
            strs = [f(v) for v in vals]
            prefix = f"{name}{{{labels}}} "
            text = "".join([f"{prefix}{v} {t}\n" for v, t in zip(strs, ts_ms)])
            om.write("".join([f"{prefix}{v} {t}\n" for v, t in zip(strs, ts_s)]))
            if pending_bytes + len(text) > a.chunk_bytes:
                flush_chunk()
            pending.append(text)
            pending_bytes += len(text)
            series += 1
            samples += n
    flush_chunk()
    om.write("# EOF\n")
    om.close()
    print(f"series {series} samples {samples} chunks {chunk_no}")


if __name__ == "__main__":
    main()
