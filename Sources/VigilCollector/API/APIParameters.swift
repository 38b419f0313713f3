import Foundation
import Hummingbird

/// Request parameters as Prometheus' API takes them: from the URL query, and for POST
/// from an `application/x-www-form-urlencoded` body too (body values win).
struct APIParameters {
    static let maxFormBytes = 1 << 20
    private var values: [String: [String]] = [:]

    static func from(_ request: Request) async throws -> APIParameters {
        var parameters = APIParameters()
        // Decoded here as a form (Go's url.Values): names too (`match%5B%5D` is `match[]`) and
        // `+` as a space (`sum+by+(job)`), which Hummingbird's queryParameters do not do.
        for pair in (request.uri.query ?? "").split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            parameters.values[Self.formDecode(parts[0]), default: []].append(parts.count > 1 ? Self.formDecode(parts[1]) : "")
        }
        if request.method == .post,
           request.headers[.contentType]?.lowercased().hasPrefix("application/x-www-form-urlencoded") == true {
            let body = try await request.body.collect(upTo: maxFormBytes)
            let text = String(buffer: body)
            for pair in text.split(separator: "&") {
                let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                let name = Self.formDecode(parts[0])
                let value = parts.count > 1 ? Self.formDecode(parts[1]) : ""
                parameters.values[name, default: []].append(value)
            }
        }
        return parameters
    }

    /// The last value given for `name`, as Go's `r.FormValue` would pick the first; Prometheus'
    /// parameters are single-valued except `match[]`.
    subscript(name: String) -> String? { values[name]?.last }

    /// Every value given for a repeatable parameter such as `match[]`.
    func all(_ name: String) -> [String] { values[name] ?? [] }

    /// The parameter, or a `bad_data` error naming it.
    func required(_ name: String) throws(APIError) -> String {
        guard let value = self[name], !value.isEmpty else {
            throw APIError(.badData, "missing parameter \"\(name)\"")
        }
        return value
    }

    private static func formDecode(_ text: Substring) -> String {
        let spaced = text.replacingOccurrences(of: "+", with: " ")
        return spaced.removingPercentEncoding ?? spaced
    }
}

/// An API failure with Prometheus' error type; rendered by `APIResponse.error`.
struct APIError: Error {
    let type: APIErrorType
    let message: String

    init(_ type: APIErrorType, _ message: String) {
        self.type = type
        self.message = message
    }

    var response: Response {
        let status: HTTPResponse.Status = switch type {
        case .badData: .badRequest
        case .notFound: .notFound
        case .timeout: .serviceUnavailable
        case .unavailable: .serviceUnavailable
        case .execution: .unprocessableContent
        case .canceled, .internal: .internalServerError
        }
        return APIResponse.error(status, type: type, message)
    }
}
