import XCTest
@testable import VigilHost

final class UdevPropertiesParserTests: XCTestCase {
    func testOnlyPropertyLines() {
        let properties = withBytes("S:disk/by-id/x\nE:ID_MODEL=QEMU HARDDISK\nE:ID_SERIAL_SHORT=QM0001\nG:systemd\nE:EMPTY=\n") {
            UdevPropertiesParser.parse($0)
        }
        XCTAssertEqual(properties, ["ID_MODEL": "QEMU HARDDISK", "ID_SERIAL_SHORT": "QM0001", "EMPTY": ""])
    }
}
