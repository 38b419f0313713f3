import Hummingbird
import Logging
import VigilStorage

/// POST /api/v1/admin/flush: persist the whole head to blocks now (admin scope), so that
/// sizes on disk can be measured and a backup taken of immutable files.
struct AdminEndpoints: Sendable {
    let storage: Storage
    let access: AccessPolicy
    let logger: Logger

    func flush(_ request: Request, context: some RequestContext) async throws -> Response {
        try access.authorize(request, for: .admin)
        do {
            try await storage.flush()
        } catch {
            logger.error("flush failed", metadata: ["error": "\(error)"])
            return APIResponse.error(.internalServerError, type: .internal, "flush failed: \(error)")
        }
        logger.info("head flushed to blocks on request")
        return Response(status: .noContent)
    }
}
