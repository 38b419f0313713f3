/// The collectors that `HostSampler` implements; the raw value is the collector's name in
/// `node_scrape_collector_success{collector}` and, for node_exporter 1.5's, in `--collector.<name>`.
///
/// `allCases` lists node_exporter's collectors only (the default set, and what node_exporter can
/// be compared with); `vigilCases` lists Vigil's own, which are opt-in; `everyCase` is both.
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
    /// Vigil's own: cgroup v2 CPU, memory, I/O and pressure per service and container
    /// (`vigil_cgroup_*`); not part of `allCases`.
    case cgroup

    /// node_exporter 1.5's collectors, in sampling order.
    public static let allCases: [HostCollector] = [
        .cpu, .stat, .meminfo, .loadavg, .diskstats, .netdev, .vmstat, .pressure, .filesystem, .time, .uname,
    ]

    /// Vigil's own collectors, sampled after node_exporter's.
    public static let vigilCases: [HostCollector] = [.cgroup]

    /// Every collector, in sampling order.
    public static let everyCase: [HostCollector] = allCases + vigilCases
}
