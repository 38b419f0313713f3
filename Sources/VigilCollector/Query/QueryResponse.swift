import Hummingbird
import VigilModel
import VigilQuery

/// Query results in Prometheus' JSON shapes. Writing a large matrix is blocking work on all
/// processors: call `render` off Swift's cooperative pool (`BlockingQueryExecutor`).
enum QueryResponse {
    static func render(_ value: QueryValue) -> Response {
        APIResponse.success { json in
            json.raw("{\"resultType\":")
            json.string(value.resultType)
            json.raw(",\"result\":")
            switch value {
            case .vector(let elements):
                json.raw("[")
                for (index, element) in elements.enumerated() {
                    if index > 0 { json.raw(",") }
                    json.raw("{\"metric\":")
                    json.labels(element.labels.map { ($0.name, $0.value) })
                    json.raw(",\"value\":")
                    writePair(element.sample, into: &json)
                    json.raw("}")
                }
                json.raw("]")
            case .matrix(let series):
                json.raw("[")
                MatrixJSON.write(series, into: &json)
                json.raw("]")
            case .scalar(let sample):
                writePair(sample, into: &json)
            case .string(let text, let timestamp):
                json.raw("[")
                json.timestamp(timestamp)
                json.raw(",")
                json.string(text)
                json.raw("]")
            }
            json.raw("}")
        }
    }

    /// `[seconds,"value"]`.
    static func writePair(_ sample: Sample, into json: inout JSONWriter) {
        json.raw("[")
        json.timestamp(sample.timestamp)
        json.raw(",")
        json.quotedValue(sample.value)
        json.raw("]")
    }
}
