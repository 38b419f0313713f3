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
            return try await answer(prefix: "invalid parameter \"query\": ") { try engine.instant(query, at: time) }
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
            return try await answer(prefix: "") { try engine.range(query, start: start, end: end, step: step) }
        } catch let error as APIError {
            return error.response
        }
    }

    /// Evaluates and writes the answer on the executor: both are blocking work that uses all
    /// processors for large results.
    private func answer(prefix: String, _ work: @escaping @Sendable () throws -> QueryValue) async throws(APIError) -> Response {
        do {
            return try await executor.run { QueryResponse.render(try work()) }
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
