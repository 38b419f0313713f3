/// node_exporter 1.5's vmstat collector: /proc/vmstat fields whose names match the field pattern.
final class VmstatReader: HostReader {
    let collector = HostCollector.vmstat

    private let path: CPath
    private let host: String
    private let fields: HostFilterPattern
    /// Nil for a field the pattern leaves out; the decision is made once per name.
    private var slots = NamedSlots<SeriesSlot?>()

    init(procfs: String, host: String, fields: HostFilterPattern) {
        path = CPath(root: procfs, "vmstat")
        self.host = host
        self.fields = fields
    }

    func read(into sink: inout SampleSink, files: FileReader, tick: UInt64) throws(HostReadError) -> ReadOutcome {
        let bytes = try files.read(path)
        // Work on a local copy (moved out and back) so the per-line accesses need no
        // exclusivity checks on the class property.
        var slots = NamedSlots<SeriesSlot?>()
        swap(&slots, &self.slots)
        defer { swap(&slots, &self.slots) }
        let fields = fields, host = host
        slots.beginPass()
        do {
            try VmstatParser.forEachField(in: bytes) { name, value in
                let found = slots.find(name) { name in
                    fields.matches(name) ? SeriesSlot(name: "node_vmstat_" + name, host: host) : nil
                }
                guard let index = found else { return }
                sink.emit(&slots[index], value)
            }
        } catch {
            throw HostReadError.malformed(path: path.text, error)
        }
        slots.endPass()
        return .collected
    }
}
