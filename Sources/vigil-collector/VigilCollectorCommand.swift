import ArgumentParser
import VigilModel

@main
struct VigilCollectorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "vigil-collector",
        abstract: "Vigil's central server and fleet CLI.",
        discussion: """
        `vigil-collector serve` runs the collector: it ingests agents' batches, stores them \
        durably and answers queries. The other verbs talk to a running collector \
        (--url, default http://127.0.0.1:9470; --token or VIGIL_TOKEN).
        """,
        version: VigilBuild.version,
        subcommands: [Serve.self, Hosts.self, Query.self, Tsdb.self, CheckConfig.self]
    )
}
