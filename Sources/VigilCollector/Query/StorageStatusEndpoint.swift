import Hummingbird
import VigilStorage

/// GET /api/v1/status/tsdb: Prometheus' `headStats` plus Vigil's block and size figures
/// under `vigil` (for `vigil-collector tsdb stats`). Read scope.
struct StorageStatusEndpoint: Sendable {
    let storage: Storage
    let access: AccessPolicy

    func handle(_ request: Request, context: some RequestContext) async throws -> Response {
        try access.authorize(request, for: .read)
        let stats = storage.stats
        return APIResponse.success { json in
            json.raw("{\"headStats\":{\"numSeries\":")
            json.number(stats.series)
            json.raw(",\"chunkCount\":")
            json.number(stats.chunks)
            json.raw("},\"vigil\":{\"headSeries\":")
            json.number(stats.series)
            json.raw(",\"headSamples\":")
            json.number(stats.samples)
            json.raw(",\"headBytes\":")
            json.number(stats.headBytes)
            json.raw(",\"headChunkFiles\":")
            json.number(stats.headChunkFiles)
            json.raw(",\"headChunkFileBytes\":")
            json.number(stats.headChunkFileBytes)
            json.raw(",\"headChunksOnHeap\":")
            json.number(stats.headChunksOnHeap)
            if let error = stats.headChunkError {
                json.raw(",\"headChunkError\":")
                json.string(error)
            }
            json.raw(",\"walBytes\":")
            json.number(stats.walBytes)
            json.raw(",\"blocks\":")
            json.number(stats.blocks)
            json.raw(",\"blockSeries\":")
            json.number(stats.blockSeries)
            json.raw(",\"blockSamples\":")
            json.number(stats.blockSamples)
            json.raw(",\"blockBytes\":")
            json.number(stats.blockBytes)
            if let perSample = stats.blockBytesPerSample {
                json.raw(",\"blockBytesPerSample\":")
                json.raw(PrometheusNumber.value(perSample))
            }
            if let error = stats.maintenanceError {
                json.raw(",\"maintenanceError\":")
                json.string(error)
            }
            json.raw("}}")
        }
    }
}
