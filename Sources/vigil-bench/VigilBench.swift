import ArgumentParser

@main
struct VigilBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "vigil-bench",
        abstract: "Benchmarks for Vigil (build with -c release). Figures go to docs/benchmarks.md.",
        subcommands: [AgentTickBench.self, SpoolBench.self, LogMatchBench.self, IngestBench.self, QueryBench.self]
    )
}
