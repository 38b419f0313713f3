import VigilModel

/// A series a reader emits tick after tick: its labels, built once, and a one-sample array
/// that each tick overwrites in place. Once the caller has let go of the previous tick's
/// result, emitting through a slot allocates nothing.
struct SeriesSlot {
    let labels: Labels
    /// Written only through `SampleSink.emit`.
    var samples: [Sample]

    init(_ labels: Labels) {
        self.labels = labels
        samples = [Sample(timestamp: 0, value: 0)]
    }

    /// A slot for `name` with the `host` label and `labels`.
    init(name: String, host: String, _ labels: [(String, String)] = []) {
        self.init(Labels(name: name, [("host", host)] + labels))
    }
}
