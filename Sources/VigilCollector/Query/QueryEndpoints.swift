import Hummingbird
import VigilModel

/// GET/POST /api/v1/query and /api/v1/query_range, in Prometheus' request and response
/// format. This release evaluates series selectors (`metric{label="v"}`); other PromQL
/// expressions answer `bad_data` naming the column where the selector grammar stopped.
struct QueryEndpoints: Sendable {
    let evaluator: SelectorEvaluator
    let access: AccessPolicy
    let clock: @Sendable () -> Int64

    func instant(_ request: Request, context: some RequestContext) async throws -> Response {
        try access.authorize(request, for: .read)
        do {
            let parameters = try await APIParameters.from(request)
            let selector = try Self.selector(try parameters.required("query"))
            let time = try parameters["time"].map { text throws(APIError) in try PrometheusTime.parseTime(text, parameter: "time") } ?? clock()
            if selector.range != nil {
                let matrix = try evaluate { try evaluator.rangeVector(selector, at: time) }
                return Self.matrixResponse(matrix)
            }
            let vector = try evaluate { try evaluator.instant(selector, at: time) }
            return APIResponse.success { json in
                json.raw("{\"resultType\":\"vector\",\"result\":[")
                for (index, element) in vector.enumerated() {
                    if index > 0 { json.raw(",") }
                    json.raw("{\"metric\":")
                    json.labels(element.labels.map { ($0.name, $0.value) })
                    json.raw(",\"value\":")
                    Self.writePair(element.sample, into: &json)
                    json.raw("}")
                }
                json.raw("]}")
            }
        } catch let error as APIError {
            return error.response
        }
    }

    func range(_ request: Request, context: some RequestContext) async throws -> Response {
        try access.authorize(request, for: .read)
        do {
            let parameters = try await APIParameters.from(request)
            let selector = try Self.selector(try parameters.required("query"))
            let start = try PrometheusTime.parseTime(try parameters.required("start"), parameter: "start")
            let end = try PrometheusTime.parseTime(try parameters.required("end"), parameter: "end")
            let step = try PrometheusTime.parseDuration(try parameters.required("step"), parameter: "step")
            guard selector.range == nil else {
                throw APIError(.badData, "invalid expression type \"range vector\" for range query, must be Scalar or instant Vector")
            }
            let matrix = try evaluate { try evaluator.range(selector, start: start, end: end, step: step) }
            return Self.matrixResponse(matrix)
        } catch let error as APIError {
            return error.response
        }
    }

    static func matrixResponse(_ matrix: [SeriesSamples]) -> Response {
        APIResponse.success { json in
            json.raw("{\"resultType\":\"matrix\",\"result\":[")
            for (index, series) in matrix.enumerated() {
                if index > 0 { json.raw(",") }
                json.raw("{\"metric\":")
                json.labels(series.labels.map { ($0.name, $0.value) })
                json.raw(",\"values\":[")
                for (sampleIndex, sample) in series.samples.enumerated() {
                    if sampleIndex > 0 { json.raw(",") }
                    Self.writePair(sample, into: &json)
                }
                json.raw("]}")
            }
            json.raw("]}")
        }
    }

    private func evaluate<T>(_ body: () throws -> T) throws(APIError) -> T {
        do {
            return try body()
        } catch let error as QueryLimitError {
            throw APIError(.badData, error.message)
        } catch {
            throw APIError(.execution, "\(error)")
        }
    }

    static func selector(_ text: String) throws(APIError) -> SeriesSelector {
        do {
            return try SeriesSelector.parse(text)
        } catch {
            throw APIError(.badData, "invalid parameter \"query\": 1:\(error.column): parse error: \(error.message)")
        }
    }

    static func writePair(_ sample: Sample, into json: inout JSONWriter) {
        json.raw("[")
        json.raw(PrometheusNumber.timestamp(sample.timestamp))
        json.raw(",")
        json.string(PrometheusNumber.value(sample.value))
        json.raw("]")
    }
}
