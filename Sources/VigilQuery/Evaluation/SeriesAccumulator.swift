import VigilModel

/// Collects per-step results of a range query into series, in first-seen order.
struct SeriesAccumulator: Sendable {
    private var index: [LabelsKey: Int] = [:]
    private var series: [SeriesSamples] = []
    private(set) var pointCount = 0

    mutating func add(_ value: StepValue, at time: Int64) {
        switch value {
        case .scalar(let scalar):
            add(Labels(presorted: []), Sample(timestamp: time, value: scalar))
        case .vector(let elements):
            for element in elements { add(element.labels, Sample(timestamp: time, value: element.value)) }
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

    private mutating func add(_ labels: Labels, _ sample: Sample) {
        pointCount += 1
        let key = LabelsKey(labels)
        if let position = index[key] {
            series[position].samples.append(sample)
        } else {
            index[key] = series.count
            series.append(SeriesSamples(labels: labels, samples: [sample]))
        }
    }
}
