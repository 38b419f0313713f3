import Hummingbird

/// Responses in Prometheus' HTTP API envelope: `{"status":"success","data":...}` or
/// `{"status":"error","errorType":"bad_data","error":"..."}`.
enum APIResponse {
    static func success(_ writeData: (inout JSONWriter) -> Void) -> Response {
        var json = JSONWriter(capacity: 1024)
        json.raw("{\"status\":\"success\",\"data\":")
        writeData(&json)
        json.raw("}")
        return jsonResponse(.ok, json.bytes)
    }

    static func error(_ status: HTTPResponse.Status, type: APIErrorType, _ message: String) -> Response {
        var json = JSONWriter()
        json.raw("{\"status\":\"error\",\"errorType\":")
        json.string(type.rawValue)
        json.raw(",\"error\":")
        json.string(message)
        json.raw("}")
        return jsonResponse(status, json.bytes)
    }

    private static func jsonResponse(_ status: HTTPResponse.Status, _ bytes: [UInt8]) -> Response {
        Response(
            status: status,
            headers: [.contentType: "application/json"],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes))
        )
    }
}

/// Prometheus' error types, which clients switch on.
enum APIErrorType: String {
    case badData = "bad_data"
    case execution
    case timeout
    case canceled
    case `internal`
    case unavailable
    case notFound = "not_found"
}
