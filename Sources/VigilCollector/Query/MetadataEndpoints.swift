import Hummingbird
import VigilModel
import VigilQuery
import VigilStorage

/// Prometheus' metadata API: /api/v1/series, /api/v1/labels, /api/v1/label/NAME/values,
/// /api/v1/metadata and /api/v1/status/buildinfo. All need the read scope.
struct MetadataEndpoints: Sendable {
    let storage: Storage
    let access: AccessPolicy

    /// Series matching any `match[]` selector; with `start`/`end`, only those with samples in range.
    func series(_ request: Request, context: some RequestContext) async throws -> Response {
        try access.authorize(request, for: .read)
        do {
            let parameters = try await APIParameters.from(request)
            let selectors = parameters.all("match[]")
            guard !selectors.isEmpty else { throw APIError(.badData, "no match[] parameter provided") }
            let series = try matching(selectors, parameters)
            return APIResponse.success { json in
                json.raw("[")
                for (index, labels) in series.enumerated() {
                    if index > 0 { json.raw(",") }
                    json.labels(labels.map { ($0.name, $0.value) })
                }
                json.raw("]")
            }
        } catch let error as APIError {
            return error.response
        }
    }

    /// Label names, of every series or of those matching `match[]`.
    func labels(_ request: Request, context: some RequestContext) async throws -> Response {
        try access.authorize(request, for: .read)
        do {
            let parameters = try await APIParameters.from(request)
            let selectors = parameters.all("match[]")
            let names = selectors.isEmpty
                ? storage.labelNames()
                : Set(try matching(selectors, parameters).flatMap { $0.map(\.name) }).sorted()
            return Self.stringList(names)
        } catch let error as APIError {
            return error.response
        }
    }

    /// Values of one label, of every series or of those matching `match[]`.
    func labelValues(_ request: Request, context: some RequestContext) async throws -> Response {
        try access.authorize(request, for: .read)
        do {
            let name = context.parameters.get("name") ?? ""
            guard Self.isValidLabelName(name) else {
                throw APIError(.badData, "invalid label name: \"\(name)\"")
            }
            let parameters = try await APIParameters.from(request)
            let selectors = parameters.all("match[]")
            let values = selectors.isEmpty
                ? storage.labelValues(name)
                : Set(try matching(selectors, parameters).compactMap { $0[name] }).sorted()
            return Self.stringList(values)
        } catch let error as APIError {
            return error.response
        }
    }

    /// Vigil keeps no per-metric HELP/TYPE yet: an empty map, which clients accept.
    func metadata(_ request: Request, context: some RequestContext) async throws -> Response {
        try access.authorize(request, for: .read)
        return APIResponse.success { $0.raw("{}") }
    }

    func buildInfo(_ request: Request, context: some RequestContext) async throws -> Response {
        try access.authorize(request, for: .read)
        return APIResponse.success { json in
            json.raw("{\"version\":")
            json.string(VigilBuild.version)
            json.raw(",\"revision\":\"\",\"branch\":\"\",\"buildUser\":\"\",\"buildDate\":\"\",\"goVersion\":\"\",\"application\":\"vigil\"}")
        }
    }

    private func matching(_ selectors: [String], _ parameters: APIParameters) throws(APIError) -> [Labels] {
        let start = try parameters["start"].map { text throws(APIError) in try PrometheusTime.parseTime(text, parameter: "start") }
        let end = try parameters["end"].map { text throws(APIError) in try PrometheusTime.parseTime(text, parameter: "end") }
        var found = Set<Labels>()
        for selector in selectors {
            let matchers: [LabelMatcher]
            do {
                matchers = try PromQLEngine.parseSelector(selector)
            } catch {
                throw APIError(.badData, "invalid parameter \"match[]\": \(error.message)")
            }
            do {
                if start != nil || end != nil {
                    let series = try storage.select(matchers, from: start ?? Int64.min / 2, through: end ?? Int64.max / 2)
                    found.formUnion(series.map(\.labels))
                } else {
                    found.formUnion(try storage.series(matchers))
                }
            } catch {
                throw APIError(.badData, "\(error)")
            }
        }
        return found.sorted { $0.pairs.lexicographicallyPrecedes($1.pairs) }
    }

    private static func stringList(_ values: [String]) -> Response {
        APIResponse.success { json in
            json.raw("[")
            for (index, value) in values.enumerated() {
                if index > 0 { json.raw(",") }
                json.string(value)
            }
            json.raw("]")
        }
    }

    static func isValidLabelName(_ name: String) -> Bool {
        guard let first = name.utf8.first, first == UInt8(ascii: "_") || (first | 0x20 >= UInt8(ascii: "a") && first | 0x20 <= UInt8(ascii: "z")) else { return false }
        return name.utf8.allSatisfy { $0 == UInt8(ascii: "_") || ($0 | 0x20 >= UInt8(ascii: "a") && $0 | 0x20 <= UInt8(ascii: "z")) || ($0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9")) }
    }
}
