import VigilCollector
import VigilConfig
import XCTest

/// Binding of `[auth]`: tokens from environment variables and per-agent tokens.
final class CollectorAuthConfigTests: XCTestCase {
    private let environment = ConfigEnvironment(["INGEST": " from-env\n", "READ": "r-env", "EMPTY": "", "SPACED": "a b"])

    func testEnvironmentVariablesAddTokensToTheirScope() throws {
        let config = try CollectorConfig.parse("""
            listen = "0.0.0.0:9470"
            [auth]
            ingest_tokens = ["inline"]
            ingest_token_envs = ["INGEST"]
            read_token_envs = ["READ"]
            """, file: "collector.conf", environment: environment)
        XCTAssertEqual(config.auth.ingestTokens, ["inline", "from-env"])
        XCTAssertEqual(config.auth.ingestTokenVariables, ["INGEST"])
        XCTAssertEqual(config.auth.readTokens, ["r-env"])
        XCTAssertEqual(config.auth.adminTokens, [])
    }

    func testUnsetEmptyOrInvalidVariablesAreErrorsAtTheirNames() {
        let errors = parseErrors("""
            [auth]
            ingest_token_envs = ["MISSING"]
            read_token_envs = ["EMPTY"]
            admin_token_envs = ["SPACED"]
            """)
        XCTAssertEqual(errors.map(\.description), [
            "collector.conf:2:22: environment variable MISSING named by auth.ingest_token_envs is not set; "
                + "export it in the service's environment (systemd: Environment= or EnvironmentFile=), or remove it",
            "collector.conf:3:20: environment variable EMPTY is empty; set it to the token",
            "collector.conf:4:21: environment variable SPACED holds a space, control or non-ASCII character; "
                + "a token is one word of printable ASCII; a token file holds one token",
        ])
    }

    func testAgentTokensFromEachSourceAndRevocation() throws {
        let config = try CollectorConfig.parse("""
            listen = "0.0.0.0:9470"
            [[auth.agent]]
            name = "web-01"
            token = "t1"
            [[auth.agent]]
            name = "web-02"
            token_env = "INGEST"
            revoked = true
            """, file: "collector.conf", environment: environment)
        XCTAssertEqual(config.auth.agents, [
            .init(name: "web-01", token: "t1"), .init(name: "web-02", token: "from-env", revoked: true),
        ])
        XCTAssertTrue(config.auth.hasAnyToken)
    }

    func testOnlyRevokedAgentTokensDoNotOpenANonLoopbackListener() {
        let errors = parseErrors("""
            listen = "0.0.0.0:9470"
            [[auth.agent]]
            name = "gone"
            token = "t1"
            revoked = true
            """)
        XCTAssertEqual(errors.map(\.keyPath), ["listen"])
    }

    func testAgentEntriesNeedANameUniqueNamesOneTokenAndDistinctTokens() {
        let errors = parseErrors("""
            [[auth.agent]]
            token = "a"
            [[auth.agent]]
            name = "x"
            [[auth.agent]]
            name = "x"
            token = "b"
            token_env = "READ"
            [[auth.agent]]
            name = "y"
            token = "same"
            [[auth.agent]]
            name = "z"
            token = "same"
            """)
        XCTAssertEqual(errors.map(\.message), [
            "[[auth.agent]] needs a name",
            "agents \"y\" and \"z\" have the same token",
            "[[auth.agent]] \"x\" has no token",
            "agent name \"x\" is used by two [[auth.agent]] entries",
            "[[auth.agent]] \"x\" sets token and token_env; one is allowed",
        ])
    }

    private func parseErrors(_ text: String) -> [ConfigError] {
        do throws(ConfigErrors) {
            _ = try CollectorConfig.parse(text, file: "collector.conf", environment: environment)
            XCTFail("expected errors")
            return []
        } catch {
            return error.errors
        }
    }
}
