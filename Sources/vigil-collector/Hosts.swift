import ArgumentParser
import VigilCollector
import VigilModel

struct Hosts: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List every host that has reported: agent version, last seen, series, up or stale.",
        discussion: "A host is stale when it has sent nothing for three of its intervals (at least 30 s), or for [hosts] stale_after when set."
    )

    @OptionGroup var options: ClientOptions

    @Flag(help: "Print the API's JSON instead of a table.")
    var json = false

    func run() throws {
        let client = try options.client()
        if json {
            print(String(decoding: try client.get("/api/v1/hosts"), as: UTF8.self))
            return
        }
        let hosts = try client.hosts()
        if hosts.isEmpty {
            print("no host has reported yet")
        } else {
            print(FleetFormatting.hosts(hosts, now: UnixTime.nowMilliseconds()), terminator: "")
        }
    }
}
