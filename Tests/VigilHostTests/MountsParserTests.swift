import XCTest
@testable import VigilHost

final class MountsParserTests: XCTestCase {
    func testFieldsEscapesAndReadOnly() throws {
        let mounts = try withBytes(Fixture.bytes("edge-cases", "proc/mounts")) { try MountsParser.parse($0) }
        XCTAssertEqual(mounts.count, 8)
        XCTAssertEqual(mounts[3], MountsParser.Mount(device: "/dev/sdb1", mountPoint: "/srv/my data", fsType: "xfs", options: "ro,relatime"))
        XCTAssertTrue(mounts[3].isReadOnly)
        XCTAssertFalse(mounts[4].isReadOnly)
        XCTAssertFalse(MountsParser.Mount(device: "a", mountPoint: "/", fsType: "ext4", options: "rw,errors=remount-ro").isReadOnly)
    }

    func testShortLineIsAnError() {
        XCTAssertThrowsError(try withBytes("/dev/sda1 / ext4 rw 0 0\n/dev/sda2 /x\n") { try MountsParser.parse($0) }) { error in
            XCTAssertEqual((error as? HostParseError)?.line, 2)
        }
    }
}
