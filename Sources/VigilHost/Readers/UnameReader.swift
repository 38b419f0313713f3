import Glibc

/// node_exporter 1.5's uname collector: node_uname_info, whose labels come from uname(2).
final class UnameReader: HostReader {
    let collector = HostCollector.uname

    private let host: String
    private var last = utsname()
    private var slot: SeriesSlot?

    init(host: String) {
        self.host = host
    }

    func read(into sink: inout SampleSink, files: FileReader, tick: UInt64) throws(HostReadError) -> ReadOutcome {
        var names = utsname()
        guard uname(&names) == 0 else {
            throw HostReadError.readFailed(path: "uname(2)", errno: errno)
        }
        let changed = withUnsafeBytes(of: &names) { current in
            withUnsafeBytes(of: &last) { known in memcmp(current.baseAddress!, known.baseAddress!, current.count) != 0 }
        }
        if changed || slot == nil {
            last = names
            slot = SeriesSlot(name: "node_uname_info", host: host, [
                ("sysname", UnameReader.text(&names.sysname)),
                ("release", UnameReader.text(&names.release)),
                ("version", UnameReader.text(&names.version)),
                ("machine", UnameReader.text(&names.machine)),
                ("nodename", UnameReader.text(&names.nodename)),
                ("domainname", UnameReader.text(&names.__domainname)),
            ])
        }
        sink.emit(&slot!, 1)
        return .collected
    }

    private static func text<T>(_ field: inout T) -> String {
        withUnsafeBytes(of: &field) { raw in
            String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
        }
    }
}
