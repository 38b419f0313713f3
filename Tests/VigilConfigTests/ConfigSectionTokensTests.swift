import VigilConfig
import XCTest

/// Bearer tokens inline and in files, with real files on disk.
final class ConfigSectionTokensTests: XCTestCase {
    func testInlineTokensAreCheckedWithoutPrintingThem() throws {
        let (values, errors) = try bind("""
            [auth]
            token = "s3cr3t-abc"
            tokens = ["one", "two words", ""]
            bad = "tab\\tinside"
            """) { root in
            let auth = root.section("auth")
            return (auth.token("token"), auth.tokens("tokens"), auth.token("bad"), auth.token("unset"))
        }
        XCTAssertEqual(values.0, "s3cr3t-abc")
        XCTAssertEqual(values.1, [])
        XCTAssertEqual(values.2, "")
        XCTAssertEqual(values.3, "")
        XCTAssertEqual(errors.map(\.description), [
            "agent.conf:3:18: auth.tokens[1] holds a space, control or non-ASCII character; a token is one word of printable ASCII; a token file holds one token",
            "agent.conf:3:31: auth.tokens[2] is an empty token; remove it or fill it in",
            "agent.conf:4:7: auth.bad holds a space, control or non-ASCII character; a token is one word of printable ASCII; a token file holds one token",
        ])
        XCTAssertFalse(errors.map(\.description).joined().contains("two words"))
    }

    func testTokenFilesAreReadTrimmedAndRelativeToTheConfigFile() throws {
        let directory = try temporaryDirectory()
        try FileManager.default.createDirectory(atPath: directory + "/secrets", withIntermediateDirectories: true)
        try write("  agent-token-1\n", to: directory + "/secrets/agent.token")
        try write("absolute-token\r\n", to: directory + "/absolute.token")
        let configPath = directory + "/collector.conf"
        let (values, errors) = try bind("""
            [auth]
            one = "secrets/agent.token"
            many = ["secrets/agent.token", "\(directory)/absolute.token"]
            none = ""
            """, file: configPath) { root in
            let auth = root.section("auth")
            return (auth.tokenFile("one"), auth.tokenFiles("many"), auth.tokenFile("none"), auth.tokenFiles("unset"))
        }
        XCTAssertEqual(errors, [])
        XCTAssertEqual(values.0, .init(path: directory + "/secrets/agent.token", token: "agent-token-1"))
        XCTAssertEqual(values.1, [
            .init(path: directory + "/secrets/agent.token", token: "agent-token-1"),
            .init(path: directory + "/absolute.token", token: "absolute-token"),
        ])
        XCTAssertNil(values.2)
        XCTAssertEqual(values.3, [])
    }

    func testUnreadableEmptyAndMultiWordTokenFilesAreErrorsAtTheirPath() throws {
        let directory = try temporaryDirectory()
        try write("\n  \n", to: directory + "/empty.token")
        try write("first\nsecond\n", to: directory + "/two.token")
        let (values, errors) = try bind("""
            [auth]
            files = ["\(directory)/missing.token", "\(directory)/empty.token"]
            two = "\(directory)/two.token"
            dir = "\(directory)"
            """) { root in
            let auth = root.section("auth")
            return (auth.tokenFiles("files"), auth.tokenFile("two"), auth.tokenFile("dir"))
        }
        XCTAssertEqual(values.0, [])
        XCTAssertNil(values.1)
        XCTAssertNil(values.2)
        XCTAssertEqual(errors.map(\.kind), [.unreadable, .invalidValue, .invalidValue, .unreadable])
        XCTAssertEqual(errors.map(\.position?.line), [2, 2, 3, 4])
        XCTAssertEqual(
            errors[0].description,
            "agent.conf:2:10: cannot read token file \"\(directory)/missing.token\" named by auth.files: "
                + "No such file or directory; create it with the token on one line, or fix the path")
        XCTAssertEqual(errors[1].message, "token file \"\(directory)/empty.token\" is empty")
        XCTAssertEqual(errors[2].message, "token file \"\(directory)/two.token\" holds a space, control or non-ASCII character")
        XCTAssertTrue(errors[3].message.hasSuffix(": it is a directory"), errors[3].message)
        XCTAssertFalse(errors.map(\.description).joined().contains("first"))
    }
}
