import ArgumentParser
import Foundation
import VigilCollector

/// Options every fleet verb shares.
struct ClientOptions: ParsableArguments {
    @Option(help: "The collector's base URL.")
    var url = "http://127.0.0.1:9470"

    @Option(help: "Bearer token with read scope (default: $VIGIL_TOKEN).")
    var token: String?

    @Option(help: "Seconds to wait for the collector.")
    var timeout: Double = 30

    func client() throws -> FleetClient {
        let token = token ?? ProcessInfo.processInfo.environment["VIGIL_TOKEN"]
        return try FleetClient(url: url, token: token, timeout: .milliseconds(Int64(timeout * 1000)))
    }
}
