import Dispatch

/// Runs blocking query work (PromQL evaluation, which uses both cores itself) on a
/// dedicated dispatch queue, so it never occupies Swift's cooperative thread pool that the
/// HTTP server and ingest run on.
struct BlockingQueryExecutor: Sendable {
    private let queue = DispatchQueue(label: "vigil.query", qos: .userInitiated, attributes: .concurrent)

    func run<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            queue.async {
                continuation.resume(with: Result { try work() })
            }
        }
    }
}
