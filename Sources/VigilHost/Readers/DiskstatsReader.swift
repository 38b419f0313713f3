/// node_exporter 1.5's diskstats collector: /proc/diskstats per disk, plus the udev properties
/// behind node_disk_info and its companions.
final class DiskstatsReader: HostReader {
    let collector = HostCollector.diskstats

    /// Metric names and the factor each /proc/diskstats column is multiplied by, in column
    /// order: sectors become bytes (512-byte units), milliseconds become seconds. Discarded
    /// sectors stay sectors, as in node_exporter 1.5.
    static let columns: [(name: String, factor: Double)] = [
        ("node_disk_reads_completed_total", 1),
        ("node_disk_reads_merged_total", 1),
        ("node_disk_read_bytes_total", 512),
        ("node_disk_read_time_seconds_total", 0.001),
        ("node_disk_writes_completed_total", 1),
        ("node_disk_writes_merged_total", 1),
        ("node_disk_written_bytes_total", 512),
        ("node_disk_write_time_seconds_total", 0.001),
        ("node_disk_io_now", 1),
        ("node_disk_io_time_seconds_total", 0.001),
        ("node_disk_io_time_weighted_seconds_total", 0.001),
        ("node_disk_discards_completed_total", 1),
        ("node_disk_discards_merged_total", 1),
        ("node_disk_discarded_sectors_total", 1),
        ("node_disk_discard_time_seconds_total", 0.001),
        ("node_disk_flush_requests_total", 1),
        ("node_disk_flush_requests_time_seconds_total", 0.001),
    ]

    private struct Disk {
        let name: String
        /// Nil for a disk the device filter leaves out.
        var columns: [SeriesSlot]?
        /// node_disk_info and the other udev-derived series with their constant values; nil
        /// until built for the current device numbers and udev file.
        var properties: [(slot: SeriesSlot, value: Double)]?
        var numbers: (major: UInt64, minor: UInt64)?
        var udevPath: CPath?
        /// The udev file's stamp when `properties` were built (nil: there was no file).
        var udevStamp: FileStamp?
    }

    private let path: CPath
    private let udevData: String
    private let host: String
    private let exclude: HostFilterPattern?
    private var disks = NamedSlots<Disk>()
    private var seenThisTick: [(index: Int, major: UInt64, minor: UInt64)] = []

    init(procfs: String, udevData: String, host: String, exclude: HostFilterPattern?) {
        path = CPath(root: procfs, "diskstats")
        self.udevData = udevData
        self.host = host
        self.exclude = exclude
    }

    func read(into sink: inout SampleSink, files: FileReader, tick: UInt64) throws(HostReadError) -> ReadOutcome {
        let bytes = try files.read(path)
        // Work on local copies (moved out and back) so the per-line accesses need no
        // exclusivity checks on the class properties.
        var disks = NamedSlots<Disk>()
        swap(&disks, &self.disks)
        defer { swap(&disks, &self.disks) }
        var seenThisTick: [(index: Int, major: UInt64, minor: UInt64)] = []
        swap(&seenThisTick, &self.seenThisTick)
        defer { swap(&seenThisTick, &self.seenThisTick) }
        seenThisTick.removeAll(keepingCapacity: true)
        let host = host, exclude = exclude
        disks.beginPass()
        do {
            try DiskstatsParser.forEachDevice(in: bytes) { device in
                let found = disks.find(device.name) { name in
                    if let exclude, exclude.matches(name) { return Disk(name: name, columns: nil) }
                    return Disk(
                        name: name,
                        columns: DiskstatsReader.columns.map { SeriesSlot(name: $0.name, host: host, [("device", name)]) })
                }
                guard let index = found else { return }
                if DiskstatsReader.emitColumns(device.stats, of: &disks[index], into: &sink) {
                    seenThisTick.append((index, device.major, device.minor))
                }
            }
        } catch {
            throw HostReadError.malformed(path: path.text, error)
        }
        // Udev files are read after the parse, which needed the diskstats bytes in `files`.
        // node_exporter reads them on every scrape; here a stat(2) shows whether they changed.
        for disk in seenThisTick {
            if disks[disk.index].numbers == nil || disks[disk.index].numbers! != (disk.major, disk.minor) {
                disks[disk.index].numbers = (disk.major, disk.minor)
                disks[disk.index].udevPath = CPath(root: udevData, "b\(disk.major):\(disk.minor)")
                disks[disk.index].properties = nil
            }
            let stamp = FileStamp.of(disks[disk.index].udevPath!)
            if disks[disk.index].properties == nil || stamp != disks[disk.index].udevStamp {
                disks[disk.index].udevStamp = stamp
                disks[disk.index].properties = udevSeries(
                    major: disk.major, minor: disk.minor, device: disks[disk.index].name,
                    path: disks[disk.index].udevPath!, files: files)
            }
            DiskstatsReader.emitProperties(of: &disks[disk.index], into: &sink)
        }
        disks.endPass()
        return .collected
    }

    /// Emits a kept disk's columns; false for a disk the filter leaves out.
    private static func emitColumns(_ stats: UnsafeBufferPointer<UInt64>, of disk: inout Disk, into sink: inout SampleSink) -> Bool {
        guard disk.columns != nil else { return false }
        for column in 0..<stats.count {
            sink.emit(&disk.columns![column], Double(stats[column]) * DiskstatsReader.columns[column].factor)
        }
        return true
    }

    private static func emitProperties(of disk: inout Disk, into sink: inout SampleSink) {
        guard disk.properties != nil else { return }
        for index in disk.properties!.indices {
            sink.emit(&disk.properties![index].slot, disk.properties![index].value)
        }
    }

    /// node_disk_info (always) and, when udev knows them, node_disk_filesystem_info,
    /// node_disk_device_mapper_info and the ATA series, from the udev file at `path`.
    private func udevSeries(major: UInt64, minor: UInt64, device: String, path: CPath, files: FileReader) -> [(slot: SeriesSlot, value: Double)] {
        let properties = (try? files.read(path)).map(UdevPropertiesParser.parse) ?? [:]
        func property(_ key: String) -> String { properties[key] ?? "" }
        var series: [(slot: SeriesSlot, value: Double)] = []
        series.append((SeriesSlot(name: "node_disk_info", host: host, [
            ("device", device), ("major", String(major)), ("minor", String(minor)),
            ("path", property("ID_PATH")), ("wwn", property("ID_WWN")), ("model", property("ID_MODEL")),
            ("serial", property("ID_SERIAL_SHORT")), ("revision", property("ID_REVISION")),
        ]), 1))
        if !property("ID_FS_TYPE").isEmpty {
            series.append((SeriesSlot(name: "node_disk_filesystem_info", host: host, [
                ("device", device), ("type", property("ID_FS_TYPE")), ("usage", property("ID_FS_USAGE")),
                ("uuid", property("ID_FS_UUID")), ("version", property("ID_FS_VERSION")),
            ]), 1))
        }
        if !property("DM_NAME").isEmpty {
            series.append((SeriesSlot(name: "node_disk_device_mapper_info", host: host, [
                ("device", device), ("name", property("DM_NAME")), ("uuid", property("DM_UUID")),
                ("vg_name", property("DM_VG_NAME")), ("lv_name", property("DM_LV_NAME")),
                ("lv_layer", property("DM_LV_LAYER")),
            ]), 1))
        }
        if !property("ID_ATA").isEmpty {
            let ata = [
                ("ID_ATA_WRITE_CACHE", "node_disk_ata_write_cache"),
                ("ID_ATA_WRITE_CACHE_ENABLED", "node_disk_ata_write_cache_enabled"),
                ("ID_ATA_ROTATION_RATE_RPM", "node_disk_ata_rotation_rate_rpm"),
            ]
            for (key, name) in ata {
                guard let text = properties[key], let value = Double(text) else { continue }
                series.append((SeriesSlot(name: name, host: host, [("device", device)]), value))
            }
        }
        return series
    }
}
