#!/usr/bin/python3
"""Sends the node-shaped synthetic fleet of `vigil-bench ingest` (same series, labels and
values as Sources/vigil-bench/SyntheticHost.swift) to a Prometheus remote-write endpoint,
such as VictoriaMetrics' /api/v1/write, and prints the server's CPU per phase in the rows
`vigil-bench ingest` prints, so scripts/bench-ingest.sh can put both side by side.

One request per host and tick, holding `samples-per-series` consecutive samples of each of
its series (snappy-compressed protobuf WriteRequest, remote-write 0.1.0), over
`connections` keep-alive connections. Every request body is built before the clock starts:
only the server's CPU (utime + stime of --pid) is measured.

Needs Debian's python3-snappy (run with /usr/bin/python3).
"""
import argparse
import http.client
import os
import struct
import threading
import time
import urllib.parse

import snappy

NAMES = ["node_network_receive_bytes_total", "node_cpu_seconds_total", "node_memory_Active_bytes",
         "node_filesystem_size_bytes"]
SPACING_MS = 10_000


def varint(n):
    out = bytearray()
    while n >= 0x80:
        out.append(n & 0x7F | 0x80)
        n >>= 7
    out.append(n)
    return bytes(out)


def field(number, payload):
    return varint(number << 3 | 2) + varint(len(payload)) + payload


def label(name, value):
    return field(1, field(1, name.encode()) + field(2, value.encode()))


def value_of(host, index, n):
    """The value SyntheticHost.batch gives series `index` of `host` at sample number `n`."""
    kind = index % 4
    seed = float((host * 31 + index * 17 + n * 7) % 97)
    if kind == 0:
        return float(n * 15_000 + int(seed) * 100)
    if kind == 1:
        return n * 9.87 + seed / 100
    if kind == 2:
        return 2_000_000_000 + float(n % 50) * 4096
    return 52_000_000_000.0


def request_body(host, series, tick, per_series, start):
    parts = []
    host_label = label("host", f"synthetic-{host}")
    for index in range(series):
        labels = label("__name__", NAMES[index % 4]) + host_label + label("id", str(index))
        samples = b""
        for step in range(per_series):
            n = tick * per_series + step
            sample = b"\x09" + struct.pack("<d", value_of(host, index, n)) + b"\x10" + varint(start + n * SPACING_MS)
            samples += field(2, sample)
        parts.append(field(1, labels + samples))
    return snappy.compress(b"".join(parts))


def process_cpu(pid):
    fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def memory_mib(pid):
    status = dict(line.split(":", 1) for line in open(f"/proc/{pid}/status"))
    return tuple(int(status[key].split()[0]) // 1024 for key in ("VmRSS", "VmHWM"))


def send(url, bodies, failures):
    connection = http.client.HTTPConnection(url.hostname, url.port)
    headers = {"Content-Encoding": "snappy", "Content-Type": "application/x-protobuf",
               "X-Prometheus-Remote-Write-Version": "0.1.0"}
    for body in bodies:
        connection.request("POST", url.path, body, headers)
        response = connection.getresponse()
        response.read()
        if response.status // 100 != 2:
            failures.append(f"HTTP {response.status}")
            return


def phase(args, url, bodies):
    failures = []
    threads = [threading.Thread(target=send, args=(url, bodies[i::args.connections], failures))
               for i in range(args.connections)]
    cpu_before, wall_before = process_cpu(args.pid), time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if failures:
        raise SystemExit(f"remote write failed: {failures[0]}")
    return process_cpu(args.pid) - cpu_before, time.monotonic() - wall_before


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", required=True, help="remote-write URL, e.g. http://127.0.0.1:8428/api/v1/write")
    parser.add_argument("--pid", type=int, required=True, help="the server's process id (its CPU is measured)")
    parser.add_argument("--system", default="VictoriaMetrics", help="name printed in the rows")
    parser.add_argument("--hosts", type=int, default=200)
    parser.add_argument("--series-per-host", type=int, default=500)
    parser.add_argument("--samples-per-series", type=int, default=1)
    parser.add_argument("--ticks", type=int, default=30, help="requests per host")
    parser.add_argument("--connections", type=int, default=4)
    args = parser.parse_args()
    url = urllib.parse.urlsplit(args.url)
    total_ms = args.ticks * args.samples_per_series * SPACING_MS
    start = (int(time.time() * 1000) - total_ms - 3_600_000) // SPACING_MS * SPACING_MS
    print(f"building {args.hosts * args.ticks} request bodies...", flush=True)
    ticks = [[request_body(host, args.series_per_host, tick, args.samples_per_series, start)
              for host in range(args.hosts)] for tick in range(args.ticks)]
    shape = (f"{args.system}: {args.hosts} hosts × {args.series_per_host} series × "
             f"{args.samples_per_series} sample{'s' if args.samples_per_series > 1 else ''}")
    per_request = args.series_per_host * args.samples_per_series
    for title, bodies in (("first batch per host (creates series)", ticks[0]),
                          ("later batches (append only)", [body for tick in ticks[1:] for body in tick])):
        if not bodies:
            continue
        cpu, wall = phase(args, url, bodies)
        samples = len(bodies) * per_request
        rss, hwm = memory_mib(args.pid)
        print(f"| {shape} | {title} | {len(bodies)} | {samples} | {wall:.2f} | {samples / wall:.0f} | {cpu:.2f} | "
              f"{samples / cpu if cpu > 0 else 0:.0f} | {rss} | {hwm} | — |", flush=True)


if __name__ == "__main__":
    main()
