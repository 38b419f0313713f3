import Metrics

/// The collector's own metrics, exported on GET /metrics through swift-prometheus.
///
/// Created once per process (swift-metrics handlers are global); names follow
/// Prometheus conventions so they sit beside node_exporter's in dashboards.
struct CollectorMetrics: Sendable {
    let batchesAccepted = Counter(label: "vigil_ingest_batches_total", dimensions: [("result", "accepted")])
    let batchesDuplicate = Counter(label: "vigil_ingest_batches_total", dimensions: [("result", "duplicate")])
    let batchesRejected = Counter(label: "vigil_ingest_batches_total", dimensions: [("result", "rejected")])
    let batchesFailed = Counter(label: "vigil_ingest_batches_total", dimensions: [("result", "failed")])
    let samples = Counter(label: "vigil_ingest_samples_total")
    /// Batches whose label tables matched the agent's cached ones (SeriesPlacementCache),
    /// did not, or matched a placement a block cut had made stale.
    let placementHits = Counter(label: "vigil_ingest_series_cache_batches_total", dimensions: [("result", "hit")])
    let placementMisses = Counter(label: "vigil_ingest_series_cache_batches_total", dimensions: [("result", "miss")])
    let placementStale = Counter(label: "vigil_ingest_series_cache_batches_total", dimensions: [("result", "stale")])
    let outOfOrderSamples = Counter(label: "vigil_ingest_out_of_order_samples_total")
    let duplicateSamples = Counter(label: "vigil_ingest_duplicate_samples_total")
    let compressedBytes = Counter(label: "vigil_ingest_compressed_bytes_total")
    let inflatedBytes = Counter(label: "vigil_ingest_inflated_bytes_total")
    /// Time from a decoded batch to its WAL record being fsynced (group commit included).
    let durableLatency = Timer(label: "vigil_ingest_durable_seconds", preferredDisplayUnit: .seconds)
    let selfSamplingErrors = Counter(label: "vigil_self_monitor_errors_total")
    let headSeries = Gauge(label: "vigil_storage_head_series")
    let headSamples = Gauge(label: "vigil_storage_head_samples")
    let walBytes = Gauge(label: "vigil_storage_wal_bytes")
}
