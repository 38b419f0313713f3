/// Constants of the batch payload, version 1. The byte layout is specified in
/// docs/formats/batch.md; a change to anything here is a new format version.
enum BatchFormat {
    /// "VGLB": Vigil batch.
    static let magic: (UInt8, UInt8, UInt8, UInt8) = (0x56, 0x47, 0x4C, 0x42)
    static let version: UInt8 = 1
    /// Version 1 defines no flags; a decoder refuses any set bit.
    static let knownFlags: UInt8 = 0
    static let versionOffset = 4
    static let flagsOffset = 5
    static let fixedHeaderSize = 6
    /// The CRC-32 that closes every payload.
    static let checksumSize = 4
}
