import Hummingbird
import Prometheus
import VigilStorage

/// GET /metrics: the collector's own metrics in the Prometheus text format.
struct MetricsEndpoint: Sendable {
    let registry: PrometheusCollectorRegistry
    let storage: Storage
    let metrics: CollectorMetrics

    func handle(_ request: Request, context: some RequestContext) async throws -> Response {
        let stats = storage.stats
        metrics.headSeries.record(stats.series)
        metrics.headSamples.record(stats.samples)
        metrics.walBytes.record(stats.walBytes)
        return Response(
            status: .ok,
            headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: registry.emitToBuffer()))
        )
    }
}
