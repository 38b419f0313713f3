import Dispatch
import Foundation
import XCTest
@testable import VigilHost

final class StatfsWorkerTests: XCTestCase {
    func testAnswersFromTheHelperThread() throws {
        let directory = try Fixture.temporaryDirectory(for: self)
        let worker = StatfsWorker(timeout: 5)
        guard case .usage(let usage) = worker.usage(of: CPath(directory)) else {
            return XCTFail("statfs of an existing directory failed")
        }
        XCTAssertGreaterThan(usage.size, 0)
        XCTAssertEqual(worker.usage(of: CPath(directory + "/missing")), .failed)
    }

    /// A file system that does not answer is reported stuck, other mounts are still served,
    /// and it is called again only once its blocked call has returned.
    func testHungMountIsStuckUntilItsCallReturns() throws {
        let directory = try Fixture.temporaryDirectory(for: self)
        let gate = DispatchSemaphore(value: 0)
        let hung = CPath("/hung")
        let worker = StatfsWorker(timeout: 0.2) { path in
            if path == hung {
                gate.wait()
                gate.signal()
            }
            return FilesystemUsage.read(path == hung ? CPath(directory) : path)
        }
        XCTAssertEqual(worker.usage(of: hung), .stuck)
        XCTAssertEqual(worker.usage(of: hung), .stuck, "known stuck: answered without a call")
        guard case .usage = worker.usage(of: CPath(directory)) else {
            return XCTFail("a new helper thread serves the other mounts")
        }
        gate.signal()
        let deadline = Date().addingTimeInterval(10)
        var outcome = worker.usage(of: hung)
        while outcome == .stuck, Date() < deadline {
            usleep(10_000)
            outcome = worker.usage(of: hung)
        }
        guard case .usage = outcome else {
            return XCTFail("the mount is called again once its blocked call returned, got \(outcome)")
        }
    }

    func testOnlyNetworkAndFUSETypesGoThroughTheWorker() {
        XCTAssertTrue(FilesystemReader.mayHang(fsType: "nfs4"))
        XCTAssertTrue(FilesystemReader.mayHang(fsType: "cifs"))
        XCTAssertTrue(FilesystemReader.mayHang(fsType: "fuse.sshfs"))
        XCTAssertFalse(FilesystemReader.mayHang(fsType: "ext4"))
        XCTAssertFalse(FilesystemReader.mayHang(fsType: "tmpfs"))
    }
}
