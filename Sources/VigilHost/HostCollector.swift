/// The node_exporter 1.5 collectors that `HostSampler` implements; the raw value is the
/// collector's name in node_exporter (`--collector.<name>`, `node_scrape_collector_success{collector}`).
public enum HostCollector: String, CaseIterable, Sendable {
    /// /proc/stat per-CPU times (`node_cpu_seconds_total`, `node_cpu_guest_seconds_total`) and,
    /// where sysfs has them, thermal throttle counts and isolated CPUs.
    case cpu
    /// /proc/stat totals: boot time, context switches, forks, interrupts, running and blocked processes.
    case stat
    /// /proc/meminfo (`node_memory_<Field>_bytes`).
    case meminfo
    /// /proc/loadavg (`node_load1`, `node_load5`, `node_load15`).
    case loadavg
    /// /proc/diskstats (`node_disk_*`) and udev properties (`node_disk_info`).
    case diskstats
    /// /proc/net/dev (`node_network_*_total`) and sysfs `rx_nohandler`.
    case netdev
    /// /proc/vmstat fields matching `HostSamplerOptions.vmstatFields` (`node_vmstat_<field>`).
    case vmstat
    /// /proc/pressure/{cpu,io,memory} (`node_pressure_*_seconds_total`).
    case pressure
    /// Mounted filesystems' statfs(2) (`node_filesystem_*`).
    case filesystem
    /// Wall clock, time zone and clock sources (`node_time_*`).
    case time
    /// uname(2) (`node_uname_info`).
    case uname
}
