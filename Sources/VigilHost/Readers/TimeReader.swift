import Glibc

/// node_exporter 1.5's time collector: wall clock, local time zone offset and the clock sources
/// in sysfs.
final class TimeReader: HostReader {
    let collector = HostCollector.time

    private struct ClockSource {
        let available: CPath
        let current: CPath
        let device: String
        var lastAvailable: [UInt8] = []
        var lastCurrent: [UInt8] = []
        var availableSlots: [SeriesSlot] = []
        var currentSlot: SeriesSlot?
    }

    private let host: String
    private let clockSourceRoot: String
    private var now: SeriesSlot
    private var zone: (name: String, slot: SeriesSlot)?
    private var clockSources: [ClockSource]?

    init(sysfs: String, host: String) {
        self.host = host
        clockSourceRoot = CPath(root: sysfs, "devices/system/clocksource").text
        now = SeriesSlot(name: "node_time_seconds", host: host)
        tzset()
    }

    func read(into sink: inout SampleSink, files: FileReader, tick: UInt64) throws(HostReadError) -> ReadOutcome {
        var clock = timespec()
        clock_gettime(CLOCK_REALTIME, &clock)
        let nanoseconds = Int64(clock.tv_sec) * 1_000_000_000 + Int64(clock.tv_nsec)
        sink.emit(&now, Double(nanoseconds) / 1e9)
        emitZone(seconds: clock.tv_sec, into: &sink)
        try emitClockSources(into: &sink, files: files)
        return .collected
    }

    private func emitZone(seconds: time_t, into sink: inout SampleSink) {
        var seconds = seconds
        var local = tm()
        guard localtime_r(&seconds, &local) != nil else { return }
        let name = local.tm_zone.map { String(cString: $0) } ?? "UTC"
        if zone?.name != name {
            zone = (name, SeriesSlot(name: "node_time_zone_offset_seconds", host: host, [("time_zone", name)]))
        }
        sink.emit(&zone!.slot, Double(local.tm_gmtoff))
    }

    private func emitClockSources(into sink: inout SampleSink, files: FileReader) throws(HostReadError) {
        if clockSources == nil {
            let names = DirectoryListing.names(in: clockSourceRoot).filter { DirectoryListing.isNumbered($0, prefix: "clocksource") }
            clockSources = names.enumerated().map { index, name in
                ClockSource(
                    available: CPath(clockSourceRoot + "/" + name + "/available_clocksource"),
                    current: CPath(clockSourceRoot + "/" + name + "/current_clocksource"),
                    device: String(index))
            }
        }
        for index in clockSources!.indices {
            let available = try files.read(clockSources![index].available)
            if !TimeReader.same(clockSources![index].lastAvailable, available) {
                clockSources![index].lastAvailable = Array(available)
                clockSources![index].availableSlots = TimeReader.words(available).map {
                    SeriesSlot(name: "node_time_clocksource_available_info", host: host, [("device", clockSources![index].device), ("clocksource", $0)])
                }
            }
            for slot in clockSources![index].availableSlots.indices {
                sink.emit(&clockSources![index].availableSlots[slot], 1)
            }
            let current = try files.read(clockSources![index].current)
            if !TimeReader.same(clockSources![index].lastCurrent, current) {
                clockSources![index].lastCurrent = Array(current)
                clockSources![index].currentSlot = TimeReader.words(current).first.map {
                    SeriesSlot(name: "node_time_clocksource_current_info", host: host, [("device", clockSources![index].device), ("clocksource", $0)])
                }
            }
            sink.emit(&clockSources![index].currentSlot, 1)
        }
    }

    private static func words(_ bytes: UnsafeRawBufferPointer) -> [String] {
        var lines = ByteLines(bytes)
        var words: [String] = []
        while var line = lines.next() {
            while let word = line.nextField() { words.append(word.text) }
        }
        return words
    }

    private static func same(_ known: [UInt8], _ bytes: UnsafeRawBufferPointer) -> Bool {
        known.elementsEqual(bytes)
    }
}
