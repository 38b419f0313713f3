import VigilHTTPClient
import XCTest

final class HTTPQueryTests: XCTestCase {
    func testKeepsUnreservedCharactersAndOrder() {
        XCTAssertEqual(HTTPQuery.encode([("start", "1700000000"), ("step", "15s"), ("x", "A-z_0.9~")]),
                       "start=1700000000&step=15s&x=A-z_0.9~")
    }

    func testPercentEncodesEverythingElseAsUTF8() {
        XCTAssertEqual(HTTPQuery.encode([("query", #"rate(node_cpu_seconds_total{mode!="idle"}[5m])"#)]),
                       "query=rate%28node_cpu_seconds_total%7Bmode%21%3D%22idle%22%7D%5B5m%5D%29")
        XCTAssertEqual(HTTPQuery.encode([("a b", "c&d=e+f"), ("é", "/?#%")]),
                       "a%20b=c%26d%3De%2Bf&%C3%A9=%2F%3F%23%25")
    }

    func testEmptyListAndEmptyValues() {
        XCTAssertEqual(HTTPQuery.encode([]), "")
        XCTAssertEqual(HTTPQuery.encode([("match[]", "")]), "match%5B%5D=")
    }
}
