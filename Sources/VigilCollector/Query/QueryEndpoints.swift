import Hummingbird
import VigilModel
import VigilQuery

/// GET/POST /api/v1/query and /api/v1/query_range: PromQL in Prometheus' request and
/// response format, so promtool, Grafana and scripts work unchanged. Reads need the read scope.
struct QueryEndpoints: Sendable {
    /// Prometheus refuses range queries with more points per series than this.
    static let maxPointsPerSeries: Int64 = 11_000

    let engine: PromQLEngine
    let access: AccessPolicy
    let executor: BlockingQueryExecutor
    let clock: @Sendable () -> Int64

    func instant(_ request: Request, context: some RequestContext) async throws -> Response {
        try access.authorize(request, for: .read)
        do {
            let parameters = try await APIParameters.from(request)
            let query = try parameters.required("query")
            let time = try parameters["time"].map { text throws(APIError) in try PrometheusTime.parseTime(text, parameter: "time") } ?? clock()
            let engine = self.engine
            let value = try await evaluate(prefix: "invalid parameter \"query\": ") { try engine.instant(query, at: time) }
            return QueryResponse.render(value)
        } catch let error as APIError {
            return error.response
        }
    }

    func range(_ request: Request, context: some RequestContext) async throws -> Response {
        try access.authorize(request, for: .read)
        do {
            let parameters = try await APIParameters.from(request)
            let query = try parameters.required("query")
            let start = try PrometheusTime.parseTime(try parameters.required("start"), parameter: "start")
            let end = try PrometheusTime.parseTime(try parameters.required("end"), parameter: "end")
            let step = try PrometheusTime.parseDuration(try parameters.required("step"), parameter: "step")
            guard step > 0 else {
                throw APIError(.badData, "invalid parameter \"step\": zero or negative query resolution step widths are not accepted. Try a positive integer")
            }
            guard end >= start else {
                throw APIError(.badData, "invalid parameter \"end\": end timestamp must not be before start time")
            }
            guard (end - start) / step <= Self.maxPointsPerSeries else {
                throw APIError(.badData, "exceeded maximum resolution of 11,000 points per timeseries. Try decreasing the query resolution (?step=XX)")
            }
            let engine = self.engine
            let value = try await evaluate(prefix: "") { try engine.range(query, start: start, end: end, step: step) }
            return QueryResponse.render(value)
        } catch let error as APIError {
            return error.response
        }
    }

    private func evaluate(prefix: String, _ work: @escaping @Sendable () throws -> QueryValue) async throws(APIError) -> QueryValue {
        do {
            return try await executor.run(work)
        } catch let error as PromQLError {
            switch error.kind {
            case .badData: throw APIError(.badData, prefix + error.message)
            case .execution: throw APIError(.execution, error.message)
            }
        } catch {
            throw APIError(.internal, "\(error)")
        }
    }
}

/// Query results in Prometheus' JSON shapes.
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
                for (index, item) in series.enumerated() {
                    if index > 0 { json.raw(",") }
                    json.raw("{\"metric\":")
                    json.labels(item.labels.map { ($0.name, $0.value) })
                    json.raw(",\"values\":[")
                    for (sampleIndex, sample) in item.samples.enumerated() {
                        if sampleIndex > 0 { json.raw(",") }
                        writePair(sample, into: &json)
                    }
                    json.raw("]}")
                }
                json.raw("]")
            case .scalar(let sample):
                writePair(sample, into: &json)
            case .string(let text, let timestamp):
                json.raw("[")
                json.raw(PrometheusNumber.timestamp(timestamp))
                json.raw(",")
                json.string(text)
                json.raw("]")
            }
            json.raw("}")
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
