/// node_exporter 1.5's meminfo collector: every /proc/meminfo field as `node_memory_<Field>[_bytes]`.
final class MeminfoReader: HostReader {
    let collector = HostCollector.meminfo

    private let path: CPath
    private let host: String
    private var slots = NamedSlots<SeriesSlot>()

    init(procfs: String, host: String) {
        path = CPath(root: procfs, "meminfo")
        self.host = host
    }

    func read(into sink: inout SampleSink, files: FileReader, tick: UInt64) throws(HostReadError) -> ReadOutcome {
        let bytes = try files.read(path)
        // Work on a local copy (moved out and back) so the per-line accesses need no
        // exclusivity checks on the class property.
        var slots = NamedSlots<SeriesSlot>()
        swap(&slots, &self.slots)
        defer { swap(&slots, &self.slots) }
        let host = host
        slots.beginPass()
        do {
            try MeminfoParser.forEachField(in: bytes) { field in
                let found = slots.find(field.key) { key in
                    SeriesSlot(name: MeminfoParser.metricName(key: key, hasUnit: field.hasUnit), host: host)
                }
                guard let index = found else { return }
                sink.emit(&slots[index], field.value)
            }
        } catch {
            throw HostReadError.malformed(path: path.text, error)
        }
        slots.endPass()
        return .collected
    }
}
