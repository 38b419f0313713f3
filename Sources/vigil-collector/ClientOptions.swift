import ArgumentParser
import Foundation
import VigilCollector
import VigilHTTPClient

/// Options every fleet verb shares.
struct ClientOptions: ParsableArguments {
    @Option(help: "The collector's base URL.")
    var url = "http://127.0.0.1:9470"

    @Option(help: "Bearer token with read scope (default: $VIGIL_TOKEN).")
    var token: String?

    @Option(help: "Seconds to wait for the collector.")
    var timeout: Double = 30

    @Option(help: "With an https URL: PEM file of the CA that signed the collector's certificate (default: $VIGIL_CA_FILE, else the system store).")
    var caFile: String?

    @Option(help: "With an https URL and mutual TLS: PEM file of the client certificate (default: $VIGIL_CERT_FILE).")
    var certFile: String?

    @Option(help: "PEM file of the client certificate's private key (default: $VIGIL_KEY_FILE).")
    var keyFile: String?

    func client() throws -> FleetClient {
        let environment = ProcessInfo.processInfo.environment
        let token = token ?? environment["VIGIL_TOKEN"]
        func path(_ flag: String?, _ variable: String) -> String? {
            (flag ?? environment[variable]).flatMap { $0.isEmpty ? nil : $0 }
        }
        let tls = TLSOptions(
            caFile: path(caFile, "VIGIL_CA_FILE"), certFile: path(certFile, "VIGIL_CERT_FILE"),
            keyFile: path(keyFile, "VIGIL_KEY_FILE"))
        return try FleetClient(url: url, token: token, timeout: .milliseconds(Int64(timeout * 1000)), tls: tls)
    }
}
