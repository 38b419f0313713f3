#if canImport(Glibc)
import Glibc
#endif
import VigilModel

/// A range result as a terminal chart: one line per series with its labels, a sparkline of
/// its values over the range (gaps left blank) and its min, max and last value.
public enum SparklineChart {
    static let bars: [Character] = ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"]

    public static func render(_ series: [SeriesSamples], width: Int) -> String {
        if series.isEmpty { return "no series matched\n" }
        let start = series.compactMap { $0.samples.first?.timestamp }.min() ?? 0
        let end = series.compactMap { $0.samples.last?.timestamp }.max() ?? 0
        let nameWidth = min(60, series.map(\.labels.description.count).max() ?? 0)
        let statsWidth = 3 * 12
        let columns = max(10, min(120, width - nameWidth - statsWidth - 4))
        var table = TextTable(["SERIES", "GRAPH", "MIN", "MAX", "LAST"])
        for item in series {
            let values = item.samples.map(\.value).filter { $0.isFinite }
            let low = values.min() ?? 0
            let high = values.max() ?? 0
            table.add([
                String(item.labels.description.prefix(nameWidth)),
                sparkline(item.samples, start: start, end: end, columns: columns, low: low, high: high),
                PrometheusNumber.value(low), PrometheusNumber.value(high),
                item.samples.last.map { PrometheusNumber.value($0.value) } ?? "-",
            ])
        }
        return table.render()
    }

    /// Buckets the time range into `columns` cells; each cell shows the last value in it.
    static func sparkline(_ samples: [Sample], start: Int64, end: Int64, columns: Int, low: Double, high: Double) -> String {
        var cells = [Double?](repeating: nil, count: columns)
        let span = max(1, end - start)
        for sample in samples where sample.value.isFinite {
            let cell = min(columns - 1, Int((sample.timestamp - start) * Int64(columns - 1) / span))
            cells[cell] = sample.value
        }
        return String(cells.map { value -> Character in
            guard let value else { return " " }
            guard high > low else { return bars[bars.count / 2] }
            let level = Int(((value - low) / (high - low) * Double(bars.count - 1)).rounded())
            return bars[max(0, min(bars.count - 1, level))]
        })
    }
}

/// The terminal's width, from $COLUMNS or the tty, 100 when unknown.
public enum TerminalSize {
    public static func columns() -> Int {
        if let text = getenvString("COLUMNS"), let value = Int(text), value > 20 { return value }
        var size = winsize()
        if ioctl(1, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 20 { return Int(size.ws_col) }
        return 100
    }

    private static func getenvString(_ name: String) -> String? {
        getenv(name).map { String(cString: $0) }
    }
}
