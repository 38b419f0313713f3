/// Where `HostSampler` reads from, what it labels series with and which collectors run.
/// The defaults reproduce node_exporter 1.5's defaults; Vigil's own collectors
/// (`HostCollector.vigilCases`) are off unless `collectors` names them.
public struct HostSamplerOptions: Sendable {
    /// The proc file system (node_exporter's `--path.procfs`).
    public var procfs: String
    /// The sys file system (`--path.sysfs`).
    public var sysfs: String
    /// The root of the host's file system tree for statfs(2) of mount points (`--path.rootfs`).
    public var rootfs: String
    /// The udev database (`--path.udev.data`); absolute, not under `rootfs`, as in node_exporter.
    public var udevData: String = "/run/udev/data"
    /// The value of the `host` label on every series.
    public var host: String
    public var collectors: Set<HostCollector>
    /// Disks to leave out (`--collector.diskstats.device-exclude`); nil keeps every disk.
    public var diskstatsDeviceExclude: HostFilterPattern? = .diskstatsDeviceExcludeDefault
    /// Network devices to leave out (`--collector.netdev.device-exclude`); nil keeps every device.
    public var netdevDeviceExclude: HostFilterPattern?
    /// Mount points to leave out (`--collector.filesystem.mount-points-exclude`).
    public var mountPointsExclude: HostFilterPattern = .mountPointsExcludeDefault
    /// File system types to leave out (`--collector.filesystem.fs-types-exclude`).
    public var fsTypesExclude: HostFilterPattern = .fsTypesExcludeDefault
    /// Seconds to wait for statfs(2) of a network or FUSE mount before reporting it stuck
    /// (`device_error` 1) until the call returns (`--collector.filesystem.mount-timeout`).
    public var mountTimeout: Double = 5
    /// /proc/vmstat fields to export (`--collector.vmstat.fields`).
    public var vmstatFields: HostFilterPattern = .vmstatFieldsDefault
    /// Cgroup paths (relative to the cgroup v2 root, "/system.slice/nginx.service") to sample
    /// with the `cgroup` collector; nil samples every group within `cgroupMaxDepth`.
    public var cgroupInclude: HostFilterPattern? = .cgroupIncludeDefault
    /// Cgroup paths to leave out even when `cgroupInclude` matches; nil leaves none out.
    public var cgroupExclude: HostFilterPattern?
    /// The most cgroups sampled per call (13 series each at most); the walk stops at this many.
    public var cgroupMaxCount: Int = 500
    /// How many directory levels below the cgroup root the walk descends (1: only the root's
    /// children; 4 reaches Kubernetes containers under kubepods.slice).
    public var cgroupMaxDepth: Int = 4

    public init(
        host: String,
        procfs: String = "/proc",
        sysfs: String = "/sys",
        rootfs: String = "/",
        collectors: Set<HostCollector> = Set(HostCollector.allCases)
    ) {
        self.host = host
        self.procfs = procfs
        self.sysfs = sysfs
        self.rootfs = rootfs
        self.collectors = collectors
    }
}
