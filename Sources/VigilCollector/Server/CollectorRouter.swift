import Hummingbird
import Logging
import Prometheus
import VigilModel
import VigilStorage
import VigilWire

/// Every HTTP route of the collector, in one place so the surface is easy to audit:
/// which endpoints exist and which scope each needs.
struct CollectorRouter {
    let storage: Storage
    let access: AccessPolicy
    let wireLimits: WireLimits
    let staleAfter: Int64?
    let registry: PrometheusCollectorRegistry
    let metrics: CollectorMetrics
    let logger: Logger

    func build() -> Router<BasicRequestContext> {
        let router = Router()
        let clock: @Sendable () -> Int64 = { UnixTime.nowMilliseconds() }
        let ingest = IngestEndpoint(storage: storage, access: access, limits: wireLimits, metrics: metrics, logger: logger)
        let hosts = HostsEndpoint(inventory: HostInventory(storage: storage, staleAfter: staleAfter), access: access, clock: clock)
        let query = QueryEndpoints(evaluator: SelectorEvaluator(storage: storage), access: access, clock: clock)
        let metricsEndpoint = MetricsEndpoint(registry: registry, storage: storage, metrics: metrics)

        router.post("/api/v1/ingest", use: ingest.handle)                 // ingest scope
        router.get("/api/v1/hosts", use: hosts.handle)                    // read scope
        router.get("/api/v1/query", use: query.instant)                   // read scope
        router.post("/api/v1/query", use: query.instant)                  // read scope
        router.get("/api/v1/query_range", use: query.range)               // read scope
        router.post("/api/v1/query_range", use: query.range)              // read scope
        router.get("/metrics", use: metricsEndpoint.handle)               // open: self-monitoring, no data
        router.get("/-/healthy") { _, _ in "Vigil collector is healthy.\n" }  // open
        router.get("/api/v1/status/buildinfo") { request, _ in            // read scope
            try access.authorize(request, for: .read)
            return APIResponse.success { json in
                json.raw("{\"version\":")
                json.string(VigilBuild.version)
                json.raw("}")
            }
        }
        return router
    }
}
