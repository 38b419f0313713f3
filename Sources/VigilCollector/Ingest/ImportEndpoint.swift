import Hummingbird
import Logging
import VigilModel
import VigilStorage
import VigilWire

/// POST /api/v1/import/prometheus: history or other tools' data in the Prometheus text
/// format, with optional millisecond timestamps (samples without one get the arrival time),
/// plain or with `Content-Encoding: gzip` / `deflate`. Ingest scope.
///
/// All or nothing: a parse error (answered 400 with line and column) stores nothing. Samples
/// repeating a stored (series, timestamp) are stored once; older samples are backfilled.
struct ImportEndpoint: Sendable {
    let storage: Storage
    let access: AccessPolicy
    let limits: WireLimits
    let metrics: CollectorMetrics
    let logger: Logger
    let clock: @Sendable () -> Int64

    func handle(_ request: Request, context: some RequestContext) async throws -> Response {
        try access.authorize(request, for: .ingest)
        let encoding = request.headers[.contentEncoding]?.lowercased() ?? "identity"
        let container: Zlib.Container?
        switch encoding {
        case "identity": container = nil
        case "gzip": container = .gzip
        case "deflate": container = .zlib
        default:
            throw HTTPError(.unsupportedMediaType, message: "Content-Encoding \(encoding) is not supported; send gzip, deflate or identity")
        }
        let body: ByteBuffer
        do {
            body = try await request.body.collect(upTo: limits.maxCompressedBytes)
        } catch let error as HTTPError where error.status == .contentTooLarge {
            throw HTTPError(.contentTooLarge, message: "import body is over the limit of \(limits.maxCompressedBytes) bytes; split it")
        }
        let parsed: [PrometheusTextSample]
        do {
            parsed = try body.withUnsafeReadableBytes { bytes throws -> [PrometheusTextSample] in
                guard let container else { return try Self.parse(bytes) }
                let text: [UInt8]
                do {
                    text = try Zlib.withInflated(bytes, maxOutputBytes: limits.maxInflatedBytes, container: container) { (inflated) throws(WireError) in [UInt8](inflated) }
                } catch let error as WireError {
                    throw ImportFailure(message: "\(error)", tooLarge: error.isTooLarge)
                } catch {
                    throw ImportFailure(message: "\(error)", tooLarge: false)
                }
                return try text.withUnsafeBytes { raw in try Self.parse(raw) }
            }
        } catch let error as ImportFailure {
            throw HTTPError(error.tooLarge ? .contentTooLarge : .badRequest, message: "import rejected, nothing stored: \(error.message)")
        }
        let series = Self.group(parsed, defaultTimestamp: clock())
        guard !series.isEmpty else { return Response(status: .noContent) }
        do {
            if case .appended(let summary) = try await storage.append(series) {
                metrics.samples.increment(by: summary.samples)
                logger.info("imported samples", metadata: ["samples": "\(summary.samples)", "series": "\(series.count)", "duplicates": "\(summary.duplicateSamples)"])
            }
        } catch {
            throw HTTPError(error.kind == .seriesLimit || error.kind == .labelLimit ? .badRequest : .serviceUnavailable,
                            message: "import not stored: \(error)")
        }
        return Response(status: .noContent)
    }

    static func parse(_ bytes: UnsafeRawBufferPointer) throws(ImportFailure) -> [PrometheusTextSample] {
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw ImportFailure(message: "the body is not valid UTF-8", tooLarge: false)
        }
        do {
            return try PrometheusText.parse(text)
        } catch {
            throw ImportFailure(message: "line \(error.line), column \(error.column): \(error.message)", tooLarge: false)
        }
    }

    /// Samples grouped per series, in timestamp order.
    static func group(_ samples: [PrometheusTextSample], defaultTimestamp: Int64) -> [SeriesSamples] {
        var bySeries: [Labels: [Sample]] = [:]
        for sample in samples {
            bySeries[sample.labels, default: []].append(Sample(timestamp: sample.timestamp ?? defaultTimestamp, value: sample.value))
        }
        return bySeries.map { labels, samples in
            SeriesSamples(labels: labels, samples: samples.sorted { $0.timestamp < $1.timestamp })
        }
    }
}

/// Why an import was refused.
struct ImportFailure: Error {
    let message: String
    let tooLarge: Bool
}
