import Foundation
import VigilHTTPClient
import VigilModel
import VigilWire

/// Sends real compressed batches to a collector over HTTP, as an agent does.
struct IngestClient {
    let client: HTTPClient
    let token: String?

    init(url: String, token: String? = nil, tls: TLSOptions = TLSOptions()) throws {
        client = HTTPClient(url: try HTTPURL(parsing: url), timeout: .seconds(30), tls: tls)
        self.token = token
    }

    @discardableResult
    func send(_ batch: Batch) throws -> HTTPResponse {
        try post(BatchCodec.compress(batch), encoding: "deflate")
    }

    func post(_ body: [UInt8], encoding: String = "deflate", path: String = "/api/v1/ingest") throws -> HTTPResponse {
        var headers: [(String, String)] = [("Content-Encoding", encoding), ("Content-Type", "application/x-vigil-batch")]
        if let token { headers.append(("Authorization", "Bearer \(token)")) }
        return try client.send(method: "POST", path: path, headers: headers, body: body)
    }

    func get(_ path: String, _ parameters: [(String, String)] = [], token: String? = nil) throws -> HTTPResponse {
        let full = parameters.isEmpty ? path : path + "?" + HTTPQuery.encode(parameters)
        var headers: [(String, String)] = []
        if let token = token ?? self.token { headers.append(("Authorization", "Bearer \(token)")) }
        return try client.send(method: "GET", path: full, headers: headers)
    }

    /// The `data.result` array of a query, as JSON objects.
    func query(_ expression: String, time: Int64) throws -> [[String: Any]] {
        let response = try get("/api/v1/query", [("query", expression), ("time", String(Double(time) / 1000))])
        guard response.status == 200,
              let object = try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any],
              let data = object["data"] as? [String: Any],
              let result = data["result"] as? [[String: Any]] else {
            throw CollectorProcessError(message: "query \(expression) failed: \(response.status) \(response.bodyText)")
        }
        return result
    }
}

/// Batches shaped like a host's samples, deterministic for a seed.
enum TestBatches {
    static func host(_ host: String, agent: String, sequence: UInt64, timestamp: Int64, series: Int = 20) -> Batch {
        var items: [SeriesSamples] = []
        for index in 0..<series {
            let labels = Labels(name: "test_metric_\(index % 5)", [("host", host), ("index", String(index))])
            items.append(SeriesSamples(labels: labels, samples: [Sample(timestamp: timestamp, value: Double(sequence) * 100 + Double(index))]))
        }
        return Batch(agentID: agent, agentVersion: "9.9.9", sequence: sequence, series: items)
    }
}
