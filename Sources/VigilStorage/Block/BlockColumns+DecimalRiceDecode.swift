/// Reading value kinds 5 and 6, decimal Rice (docs/formats/chunk.md, "Decimal Rice").
extension BlockColumns {
    /// Decodes a kind 5 or 6 column whose kind and N `reader` has read, as `decodeValues`
    /// does: at most `count` values, a clean end checked only when `count` is `stored`.
    static func decodeDecimalRice(
        _ reader: inout ByteReader, _ raw: UnsafeRawBufferPointer, zeroFlags: Bool, count: Int, stored: Int,
        _ sink: (Double) -> Void
    ) -> Int? {
        let decimals = Int(reader.readByte())
        let order = Int(reader.readByte())
        let mapping = RiceMapping(rawValue: reader.readByte())
        let parameter = Int(reader.readByte())
        let factor = reader.readUVarint()
        let bias = reader.readVarint()
        var integer = reader.readVarint()
        var delta = order == 2 ? reader.readVarint() : 0
        guard !reader.failed, decimals < powersOfTen.count, order == 1 && stored >= 2 || order == 2 && stored >= 3,
              let mapping, parameter <= RiceCode.maxParameter, factor >= 1, factor < 1 << 63 else { return nil }
        let scale = powersOfTen[decimals]
        let step = Int64(factor)
        var bits = RiceReader(UnsafeRawBufferPointer(rebasing: raw[reader.offset...]))
        if count >= 1 { sink(Double(integer) / scale) }
        if order == 2, count >= 2 {
            integer &+= delta
            sink(Double(integer) / scale)
        }
        // Both mappings in one branch-free step: zigzag is (u >> 1) ^ -(u & 1), offset is u.
        let (shift, signBit): (UInt64, UInt64) = mapping == .zigzag ? (1, 1) : (0, 0)
        for _ in min(count, order)..<count {
            var coded: UInt64 = 0
            if !zeroFlags {
                coded = bits.read(parameter: parameter)
            } else if bits.readBit() {
                coded = bits.read(parameter: parameter) &+ 1
            }
            let difference = (Int64(bitPattern: coded &>> shift) ^ -Int64(bitPattern: coded & signBit) &+ bias) &* step
            if order == 1 {
                integer &+= difference
            } else {
                delta &+= difference
                integer &+= delta
            }
            sink(Double(integer) / scale)
        }
        guard !bits.overrun, count < stored || bits.isAtCleanEnd() else { return nil }
        return count
    }
}
