import Hummingbird

/// GET /api/v1/hosts: every host that reported, for `vigil-collector hosts`.
///
/// Shape: `{"status":"success","data":[{"host":"web-1","agentVersion":"0.1.0",
/// "lastSeen":1700000000.5,"series":512,"intervalSeconds":10,"status":"up"}]}`.
struct HostsEndpoint: Sendable {
    let inventory: HostInventory
    let access: AccessPolicy
    let clock: @Sendable () -> Int64

    func handle(_ request: Request, context: some RequestContext) async throws -> Response {
        try access.authorize(request, for: .read)
        let hosts = try inventory.hosts(now: clock())
        return APIResponse.success { json in
            json.raw("[")
            for (index, host) in hosts.enumerated() {
                if index > 0 { json.raw(",") }
                json.raw("{\"host\":")
                json.string(host.host)
                json.raw(",\"agentVersion\":")
                json.string(host.agentVersion)
                json.raw(",\"lastSeen\":")
                json.raw(PrometheusNumber.timestamp(host.lastSeen))
                json.raw(",\"series\":")
                json.number(host.seriesCount)
                if let interval = host.intervalSeconds {
                    json.raw(",\"intervalSeconds\":")
                    json.raw(PrometheusNumber.value(interval))
                }
                json.raw(",\"status\":")
                json.string(host.isUp ? "up" : "stale")
                json.raw("}")
            }
            json.raw("]")
        }
    }
}
