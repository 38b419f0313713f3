import VigilHTTPClient
import XCTest

final class HTTPURLTests: XCTestCase {
    func testParsesHostPortAndBasePath() throws {
        let url = try HTTPURL(parsing: "http://Collector.Example:9090/vigil/")
        XCTAssertEqual(url.host, "collector.example")
        XCTAssertEqual(url.port, 9090)
        XCTAssertEqual(url.basePath, "/vigil")
        XCTAssertEqual(url.description, "http://collector.example:9090/vigil")
    }

    func testDefaultsToPort80AndEmptyBasePath() throws {
        let url = try HTTPURL(parsing: "HTTP://10.0.0.7")
        XCTAssertEqual(url, try HTTPURL(parsing: "http://10.0.0.7:80/"))
        XCTAssertEqual(url.port, 80)
        XCTAssertEqual(url.basePath, "")
        XCTAssertEqual(url.authority, "10.0.0.7:80")
    }

    func testParsesBracketedIPv6Literal() throws {
        let url = try HTTPURL(parsing: "http://[::1]:8428/api")
        XCTAssertEqual(url.host, "::1")
        XCTAssertEqual(url.port, 8428)
        XCTAssertEqual(url.basePath, "/api")
        XCTAssertEqual(url.description, "http://[::1]:8428/api")
        XCTAssertEqual(try HTTPURL(parsing: "http://[fe80::1]").port, 80)
    }

    func testParsesHTTPSWithItsDefaultPort() throws {
        let url = try HTTPURL(parsing: "HTTPS://Collector.Example/vigil")
        XCTAssertEqual(url.scheme, .https)
        XCTAssertEqual(url.port, 443)
        XCTAssertEqual(url.description, "https://collector.example:443/vigil")
        XCTAssertEqual(try HTTPURL(parsing: "https://[::1]:9470").port, 9470)
        XCTAssertEqual(try HTTPURL(parsing: "http://collector").scheme, .http)
    }

    func testRejectsOtherSchemesNamingThem() {
        XCTAssertThrowsError(try HTTPURL(parsing: "ftp://collector:9090")) { error in
            let error = error as! HTTPClientError
            XCTAssertEqual(error.kind, .invalidURL)
            XCTAssertTrue(error.message.contains("unsupported scheme 'ftp'"), error.message)
        }
    }

    func testRejectsMalformedURLsNamingTheProblem() {
        let cases: [(String, String)] = [
            ("collector:9090", "no scheme"),
            ("ftp://collector", "scheme 'ftp'"),
            ("http://", "no host"),
            ("http://:9090", "no host"),
            ("http://collector:0", "port '0'"),
            ("http://collector:65536", "port '65536'"),
            ("http://collector:", "port ''"),
            ("http://collector:90a", "port '90a'"),
            ("http://::1:9090", "brackets"),
            ("http://[::1", "unclosed"),
            ("http://[not-v6]:80", "not an IPv6 address"),
            ("http://[::1]x", "after the bracketed host"),
            ("http://user:secret@collector", "credentials"),
            ("http://collector/path?x=1", "'?'"),
            ("http://collector/#top", "'#'"),
            ("http://coll ector", "characters other than"),
            ("http://collector/a b", "percent-encode"),
        ]
        for (text, expected) in cases {
            XCTAssertThrowsError(try HTTPURL(parsing: text), text) { error in
                let error = error as! HTTPClientError
                XCTAssertEqual(error.kind, .invalidURL, text)
                XCTAssertTrue(error.message.contains(expected), "\(text): \(error.message)")
                XCTAssertTrue(error.message.contains(text), "\(text): \(error.message)")
            }
        }
    }
}
