import Hummingbird
import Logging
import Prometheus
import VigilModel
import VigilQuery
import VigilStorage
import VigilWire

/// Every HTTP route of the collector, in one place so the surface is easy to audit:
/// which endpoints exist and which scope each needs.
struct CollectorRouter {
    let storage: Storage
    let access: AccessPolicy
    let wireLimits: WireLimits
    /// Capacity of the ingest endpoint's SeriesPlacementCache; 0 turns it off.
    let seriesCacheBytes: Int
    let staleAfter: Int64?
    let registry: PrometheusCollectorRegistry
    let metrics: CollectorMetrics
    let logger: Logger

    func build() -> Router<BasicRequestContext> {
        let router = Router()
        let clock: @Sendable () -> Int64 = { UnixTime.nowMilliseconds() }
        let ingest = IngestEndpoint(storage: storage, placements: SeriesPlacementCache(capacityBytes: seriesCacheBytes),
                                    access: access, limits: wireLimits, metrics: metrics, logger: logger)
        let hosts = HostsEndpoint(inventory: HostInventory(storage: storage, staleAfter: staleAfter), access: access, clock: clock)
        let query = QueryEndpoints(engine: PromQLEngine(storage: storage), access: access, executor: BlockingQueryExecutor(), clock: clock)
        let metadata = MetadataEndpoints(storage: storage, access: access)
        let importEndpoint = ImportEndpoint(storage: storage, access: access, limits: wireLimits, metrics: metrics, logger: logger, clock: clock)
        let admin = AdminEndpoints(storage: storage, access: access, logger: logger)
        let status = StorageStatusEndpoint(storage: storage, access: access)
        let metricsEndpoint = MetricsEndpoint(registry: registry, storage: storage, metrics: metrics)

        router.post("/api/v1/ingest", use: ingest.handle)                 // ingest scope
        router.post("/api/v1/import/prometheus", use: importEndpoint.handle) // ingest scope
        router.get("/api/v1/hosts", use: hosts.handle)                    // read scope
        router.get("/api/v1/query", use: query.instant)                   // read scope
        router.post("/api/v1/query", use: query.instant)                  // read scope
        router.get("/api/v1/query_range", use: query.range)               // read scope
        router.post("/api/v1/query_range", use: query.range)              // read scope
        router.get("/api/v1/series", use: metadata.series)                // read scope
        router.post("/api/v1/series", use: metadata.series)               // read scope
        router.get("/api/v1/labels", use: metadata.labels)                // read scope
        router.post("/api/v1/labels", use: metadata.labels)               // read scope
        router.get("/api/v1/label/:name/values", use: metadata.labelValues) // read scope
        router.get("/api/v1/metadata", use: metadata.metadata)            // read scope
        router.get("/api/v1/status/buildinfo", use: metadata.buildInfo)   // read scope
        router.get("/api/v1/status/tsdb", use: status.handle)             // read scope
        router.post("/api/v1/admin/flush", use: admin.flush)              // admin scope, always needs a token
        router.get("/metrics", use: metricsEndpoint.handle)               // open: self-monitoring, no data
        router.get("/-/healthy") { _, _ in "Vigil collector is healthy.\n" }  // open
        return router
    }
}
