import ArgumentParser
import Foundation
import VigilCollector

struct Tsdb: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Inspect and maintain the collector's store.",
        subcommands: [Stats.self, Flush.self]
    )

    struct Stats: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Series, samples, blocks and bytes per sample of a running collector's store."
        )

        @OptionGroup var options: ClientOptions

        @Flag(help: "Print the API's JSON instead of a table.")
        var json = false

        func run() throws {
            let body = try options.client().get("/api/v1/status/tsdb")
            if json {
                print(String(decoding: body, as: UTF8.self))
                return
            }
            guard let data = try FleetClient.data(of: body) as? [String: Any], let vigil = data["vigil"] as? [String: Any] else {
                throw FleetClientError(message: "unexpected /api/v1/status/tsdb answer")
            }
            func number(_ key: String) -> String { (vigil[key] as? NSNumber).map { "\($0)" } ?? "-" }
            var table = TextTable(["", "SERIES", "SAMPLES", "BYTES", "BYTES/SAMPLE"])
            table.add(["head", number("headSeries"), number("headSamples"), number("headBytes") + " (memory)", "-"])
            table.add(["head chunk files (\(number("headChunkFiles")))", "-", "-", number("headChunkFileBytes"), "-"])
            table.add(["wal", "-", "-", number("walBytes"), "-"])
            table.add(["blocks (\(number("blocks")))", number("blockSeries"), number("blockSamples"), number("blockBytes"),
                       (vigil["blockBytesPerSample"] as? Double).map { String(format: "%.3f", $0) } ?? "-"])
            print(table.render(), terminator: "")
            if let error = vigil["maintenanceError"] as? String { print("maintenance error: \(error)") }
            if let onHeap = vigil["headChunksOnHeap"] as? Int, onHeap > 0 {
                print("head chunks kept in memory after failed writes: \(onHeap)")
            }
            if let error = vigil["headChunkError"] as? String { print("head chunk file error: \(error)") }
        }
    }

    struct Flush: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write the whole in-memory head to blocks now (needs an admin token)."
        )

        @OptionGroup var options: ClientOptions

        func run() throws {
            _ = try options.client().post("/api/v1/admin/flush")
            print("head flushed to blocks")
        }
    }
}
