import VigilModel

/// Collects per-step results of a range query into series, in first-seen order.
///
/// Consecutive steps usually list the same series in the same order, often sharing the very
/// label storage, so each element is first checked against the series at its position in
/// the previous step (an identity check when the storage is shared) before any hashing.
struct SeriesAccumulator: Sendable {
    private var index: [LabelsKey: Int] = [:]
    private var series: [SeriesSamples] = []
    /// The series position of each element of the previous step's vector.
    private var previousStep: [Int] = []
    private(set) var pointCount = 0

    mutating func add(_ value: StepValue, at time: Int64) {
        switch value {
        case .scalar(let scalar):
            add(Labels(presorted: []), Sample(timestamp: time, value: scalar), hint: nil)
        case .vector(let elements):
            var positions: [Int] = []
            positions.reserveCapacity(elements.count)
            for (offset, element) in elements.enumerated() {
                let hint = offset < previousStep.count ? previousStep[offset] : nil
                positions.append(add(element.labels, Sample(timestamp: time, value: element.value), hint: hint))
            }
            previousStep = positions
        case .string, .matrix:
            break
        }
    }

    /// Appends a later chunk of steps: its samples follow this one's in time.
    mutating func append(_ other: SeriesAccumulator) {
        for entry in other.series {
            let key = LabelsKey(entry.labels)
            if let position = index[key] {
                series[position].samples.append(contentsOf: entry.samples)
            } else {
                index[key] = series.count
                series.append(entry)
            }
        }
        pointCount += other.pointCount
    }

    func sortedSeries() -> [SeriesSamples] {
        series.sorted { Labels.ordered($0.labels, $1.labels) }
    }

    /// Adds one point and returns the position of its series; `hint` is where it likely is.
    @discardableResult
    private mutating func add(_ labels: Labels, _ sample: Sample, hint: Int?) -> Int {
        pointCount += 1
        if let hint, series[hint].labels == labels {
            series[hint].samples.append(sample)
            return hint
        }
        let key = LabelsKey(labels)
        if let position = index[key] {
            series[position].samples.append(sample)
            return position
        }
        index[key] = series.count
        series.append(SeriesSamples(labels: labels, samples: [sample]))
        return series.count - 1
    }
}
