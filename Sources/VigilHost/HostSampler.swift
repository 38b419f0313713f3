import VigilModel

/// Samples the host's /proc and /sys into series named as node_exporter 1.5 names them, each
/// with a `host` label, plus `node_scrape_collector_success{collector}` per enabled collector.
///
/// Not thread-safe: one owner calls `sample(at:)`. Files are read into one reused buffer and
/// each series' labels and sample storage are built once, so a steady-state call allocates
/// only the returned array, provided the caller has let go of the previous call's result.
/// The sampler keeps no reference to that array, so the caller may append to it without a copy.
public final class HostSampler {
    /// Collectors that produced no series in the last `sample(at:)` call, in collector order.
    /// A collector whose data the kernel does not offer (no pressure stall information) is
    /// reported unsuccessful in `node_scrape_collector_success` but is not listed here.
    public private(set) var lastFailures: [HostReaderFailure] = []

    private let files = FileReader()
    private let readers: [any HostReader]
    private var successSlots: [SeriesSlot]
    /// The previous call's series count, to size the next result.
    private var lastCount = 0
    private var tick: UInt64 = 0

    public init(options: HostSamplerOptions) {
        let host = options.host
        let procStat = ProcStatSource(procfs: options.procfs)
        var readers: [any HostReader] = []
        for collector in HostCollector.everyCase where options.collectors.contains(collector) {
            switch collector {
            case .cpu:
                readers.append(CPUReader(source: procStat, sysfs: options.sysfs, host: host))
            case .stat:
                readers.append(StatReader(source: procStat, host: host))
            case .meminfo:
                readers.append(MeminfoReader(procfs: options.procfs, host: host))
            case .loadavg:
                readers.append(LoadavgReader(procfs: options.procfs, host: host))
            case .diskstats:
                readers.append(DiskstatsReader(procfs: options.procfs, udevData: options.udevData, host: host, exclude: options.diskstatsDeviceExclude))
            case .netdev:
                readers.append(NetDevReader(procfs: options.procfs, sysfs: options.sysfs, host: host, exclude: options.netdevDeviceExclude))
            case .vmstat:
                readers.append(VmstatReader(procfs: options.procfs, host: host, fields: options.vmstatFields))
            case .pressure:
                readers.append(PressureReader(procfs: options.procfs, host: host))
            case .filesystem:
                readers.append(FilesystemReader(
                    procfs: options.procfs, rootfs: options.rootfs, host: host,
                    mountPointsExclude: options.mountPointsExclude, fsTypesExclude: options.fsTypesExclude,
                    mountTimeout: options.mountTimeout))
            case .time:
                readers.append(TimeReader(sysfs: options.sysfs, host: host))
            case .uname:
                readers.append(UnameReader(host: host))
            case .cgroup:
                readers.append(CgroupReader(
                    sysfs: options.sysfs, host: host, include: options.cgroupInclude, exclude: options.cgroupExclude,
                    maxCount: options.cgroupMaxCount, maxDepth: options.cgroupMaxDepth))
            }
        }
        self.readers = readers
        successSlots = readers.map {
            SeriesSlot(name: "node_scrape_collector_success", host: host, [("collector", $0.collector.rawValue)])
        }
    }

    /// Reads every enabled collector once and returns one sample per series, stamped
    /// `timestamp` (milliseconds since the Unix epoch). A collector that fails contributes no
    /// series except its `node_scrape_collector_success` of 0, and is listed in `lastFailures`.
    public func sample(at timestamp: Int64) -> [SeriesSamples] {
        tick &+= 1
        if !lastFailures.isEmpty { lastFailures.removeAll() }
        // Room for this call's series and a few the caller may append (agent metadata).
        var sink = SampleSink(timestamp: timestamp, capacity: lastCount + 16)
        for (index, reader) in readers.enumerated() {
            let start = sink.series.count
            var success = 0.0
            do {
                if try reader.read(into: &sink, files: files, tick: tick) == .collected {
                    success = 1
                }
            } catch {
                sink.truncate(to: start)
                lastFailures.append(HostReaderFailure(collector: reader.collector, error: error))
            }
            sink.emit(&successSlots[index], success)
        }
        lastCount = sink.series.count
        return sink.series
    }
}
