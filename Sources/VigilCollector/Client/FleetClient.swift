import Foundation
import VigilHTTPClient

/// The fleet CLI's view of a running collector: typed calls over its HTTP API.
public final class FleetClient {
    private let client: HTTPClient
    private let token: String?
    public let url: HTTPURL

    /// `tls` is used for an https `url`: CA file, and a client certificate for mutual TLS.
    public init(url: String, token: String?, timeout: Duration = .seconds(30), tls: TLSOptions = TLSOptions()) throws {
        self.url = try HTTPURL(parsing: url)
        self.client = HTTPClient(url: self.url, timeout: timeout, tls: tls)
        self.token = token.flatMap { $0.isEmpty ? nil : $0 }
    }

    /// GET a path; returns the body of a 2xx response or throws with the API's error text.
    public func get(_ path: String, _ parameters: [(String, String)] = []) throws -> [UInt8] {
        try send("GET", path, parameters)
    }

    /// POST to a path with no body (admin actions); returns the body of a 2xx response.
    public func post(_ path: String) throws -> [UInt8] {
        try send("POST", path, [])
    }

    private func send(_ method: String, _ path: String, _ parameters: [(String, String)]) throws -> [UInt8] {
        var headers: [(String, String)] = [("Accept", "application/json"), ("User-Agent", "vigil-collector-cli")]
        if let token { headers.append(("Authorization", "Bearer \(token)")) }
        let fullPath = parameters.isEmpty ? path : path + "?" + HTTPQuery.encode(parameters)
        let response: HTTPResponse
        do {
            response = try client.send(method: method, path: fullPath, headers: headers)
        } catch {
            throw FleetClientError(message: "cannot reach the collector at \(url): \(error)")
        }
        guard (200..<300).contains(response.status) else {
            throw FleetClientError(message: Self.describeFailure(status: response.status, body: response.body))
        }
        return response.body
    }

    public func hosts() throws -> [HostStatus] {
        let data = try Self.data(of: get("/api/v1/hosts"))
        guard let rows = data as? [[String: Any]] else { throw FleetClientError(message: "unexpected hosts response") }
        return rows.map { row in
            HostStatus(
                host: row["host"] as? String ?? "",
                agentVersion: row["agentVersion"] as? String ?? "",
                lastSeen: Int64(((row["lastSeen"] as? Double) ?? 0) * 1000),
                seriesCount: row["series"] as? Int ?? 0,
                intervalSeconds: row["intervalSeconds"] as? Double,
                isUp: (row["status"] as? String) == "up"
            )
        }
    }

    /// The `data` member of a Prometheus-style envelope.
    public static func data(of body: [UInt8]) throws -> Any {
        guard let object = try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any],
              let data = object["data"] else {
            throw FleetClientError(message: "the collector's answer is not the expected JSON")
        }
        return data
    }

    static func describeFailure(status: Int, body: [UInt8]) -> String {
        if let object = try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any] {
            if let message = object["error"] as? String {
                return "collector answered \(status): \(message)"
            }
            if let error = object["error"] as? [String: Any], let message = error["message"] as? String {
                return "collector answered \(status): \(message)"
            }
        }
        let text = String(decoding: body.prefix(500), as: UTF8.self)
        switch status {
        case 401: return "collector answered 401 (unauthorized): pass --token or set VIGIL_TOKEN. \(text)"
        default: return "collector answered \(status): \(text)"
        }
    }
}

/// A CLI call failed; the message is meant for the operator.
public struct FleetClientError: Error, CustomStringConvertible {
    public let message: String
    public init(message: String) { self.message = message }
    public var description: String { message }
}
