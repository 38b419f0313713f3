import VigilConfig
import XCTest

/// Reading files with Glibc, and the repository's example configs as documents.
final class ConfigFileTests: XCTestCase {
    func testReadsATextFile() throws {
        let path = try temporaryDirectory() + "/a.conf"
        try write("a = \"é\"\n", to: path)
        XCTAssertEqual(try ConfigFile.read(path: path), "a = \"é\"\n")
        XCTAssertEqual(try ConfigFile.load(path: path).root["a"]?.value.content, .string("é"))
    }

    func testMissingFileGivesTheSystemReasonAndAHint() throws {
        let path = try temporaryDirectory() + "/missing.conf"
        XCTAssertThrowsError(try ConfigFile.read(path: path)) { error in
            let readError = error as? ConfigFile.ReadError
            XCTAssertEqual(readError?.path, path)
            XCTAssertEqual(readError?.code, ENOENT)
            XCTAssertEqual(readError?.description, "cannot read \(path): No such file or directory")
        }
        do throws(ConfigErrors) {
            _ = try ConfigFile.load(path: path)
            XCTFail("expected an error")
        } catch {
            XCTAssertEqual(error.errors.map(\.kind), [.unreadable])
            XCTAssertEqual(
                error.description,
                "\(path): cannot read the config file: No such file or directory; check the path and that this user may read it")
        }
    }

    func testRefusesDirectoriesAndInvalidUTF8() throws {
        let directory = try temporaryDirectory()
        XCTAssertThrowsError(try ConfigFile.read(path: directory)) { error in
            XCTAssertEqual((error as? ConfigFile.ReadError)?.reason, "it is a directory")
        }
        let path = directory + "/latin1.conf"
        try Data([0x61, 0x20, 0x3D, 0x20, 0x22, 0xE9, 0x22]).write(to: URL(fileURLWithPath: path))
        XCTAssertThrowsError(try ConfigFile.read(path: path)) { error in
            XCTAssertEqual((error as? ConfigFile.ReadError)?.description, "cannot read \(path): it is not UTF-8 text")
        }
    }

    func testParseErrorsFromLoadNameThePath() throws {
        let path = try temporaryDirectory() + "/bad.conf"
        try write("ok = 1\nbad = \n", to: path)
        do throws(ConfigErrors) {
            _ = try ConfigFile.load(path: path)
            XCTFail("expected an error")
        } catch {
            XCTAssertEqual(error.errors.map(\.description), [
                "\(path):2:7: missing value after =; write a value such as \"text\", 10, true or [\"a\", \"b\"]",
            ])
        }
    }

    func testTheExampleConfigsAreValidDocuments() throws {
        let root = try repositoryRoot()
        for name in ["agent.conf.example", "collector.conf.example"] {
            let document = try ConfigFile.load(path: root + "/" + name)
            XCTAssertFalse(document.root.entries.isEmpty, name)
            XCTAssertNotNil(document.value(at: ["log", "level"]), name)
        }
    }
}
