import Metrics
import Prometheus
import Synchronization

/// Installs swift-prometheus as the process's metrics backend exactly once
/// (swift-metrics allows one bootstrap per process) and hands out its registry.
enum MetricsBootstrap {
    private static let state = Mutex<PrometheusCollectorRegistry?>(nil)

    static func registry() -> PrometheusCollectorRegistry {
        state.withLock { existing in
            if let existing { return existing }
            let registry = PrometheusCollectorRegistry()
            MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
            existing = registry
            return registry
        }
    }
}
