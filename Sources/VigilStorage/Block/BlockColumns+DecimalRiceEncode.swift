/// Writing value kinds 5 and 6, decimal Rice (docs/formats/chunk.md, "Decimal Rice"): the
/// differences of decimal integers, divided by their common factor and less a bias, as Rice
/// codes. A counter's increments cost about their entropy instead of whole varint bytes.
extension BlockColumns {
    /// One way to code a column's integers, with the bits its stream takes.
    private struct RicePlan {
        var order: Int
        var mapping: RiceMapping
        var factor: Int64
        var bias: Int64
        var zeroFlags: Bool
        var parameter: Int
        var streamBits: Int

        func header(count: Int, decimals: Int, integers: [Int64]) -> [UInt8] {
            var out: [UInt8] = [zeroFlags ? ValueKind.decimalRiceZeroFlags.rawValue : ValueKind.decimalRice.rawValue]
            out.appendUVarint(UInt64(count))
            out.append(contentsOf: [UInt8(decimals), UInt8(order), mapping.rawValue, UInt8(parameter)])
            out.appendUVarint(UInt64(factor))
            out.appendVarint(bias)
            out.appendVarint(integers[0])
            if order == 2 { out.appendVarint(integers[1] &- integers[0]) }
            return out
        }
    }

    /// The smallest kind 5 or 6 column for `integers` (at least two, each within ±2^53, so no
    /// difference overflows) with `decimals`, each choice sized exactly with its cheapest Rice
    /// parameter. Order 2 is tried only when the second differences are smaller in sum than the
    /// first ones' distances from their median (a steady rate), kind 6 only when enough
    /// differences equal the bias to pay for the flags. Costs a few passes per choice.
    static func decimalRice(_ integers: [Int64], decimals: Int) -> [UInt8] {
        precondition(integers.count >= 2, "bug: a decimal Rice column needs two integers or more")
        var best: (plan: RicePlan, residuals: [UInt64], bytes: Int)?
        func consider(order: Int, _ differences: [Int64]) -> Int64 {
            let factor = commonFactor(differences)
            let scaled = factor == 1 ? differences : differences.map { $0 / factor }
            let median = self.median(scaled)
            for (mapping, bias) in [(RiceMapping.zigzag, median), (.offset, scaled.min()!)] {
                let residuals = scaled.map { difference in
                    mapping == .zigzag ? ChunkFormat.zigzag(difference &- bias) : UInt64(bitPattern: difference &- bias)
                }
                let plain = RiceCode.cheapest(residuals)
                var plans = [RicePlan(order: order, mapping: mapping, factor: factor, bias: bias, zeroFlags: false,
                                      parameter: plain.parameter, streamBits: plain.bits)]
                let zeros = residuals.reduce(0) { $1 == 0 ? $0 + 1 : $0 }
                if zeros * (plain.parameter + 2) >= residuals.count {
                    let flagged = RiceCode.cheapest(residuals.compactMap { $0 == 0 ? nil : $0 - 1 })
                    plans.append(RicePlan(order: order, mapping: mapping, factor: factor, bias: bias, zeroFlags: true,
                                          parameter: flagged.parameter, streamBits: residuals.count + flagged.bits))
                }
                for plan in plans {
                    let bytes = plan.header(count: integers.count, decimals: decimals, integers: integers).count
                        + (plan.streamBits + 7) / 8
                    if best == nil || bytes < best!.bytes { best = (plan, residuals, bytes) }
                }
            }
            return median &* factor
        }
        let firstDifferences = differences(integers)
        let median = consider(order: 1, firstDifferences)
        if integers.count >= 3 {
            var spread = 0.0
            var second = 0.0
            for (position, difference) in firstDifferences.enumerated() {
                spread += Double((difference &- median).magnitude)
                if position > 0 { second += Double((difference &- firstDifferences[position - 1]).magnitude) }
            }
            if second < spread { _ = consider(order: 2, differences(firstDifferences)) }
        }
        let (plan, residuals, _) = best!
        var writer = RiceWriter(capacity: (plan.streamBits + 7) / 8)
        for residual in residuals {
            if plan.zeroFlags {
                writer.write(bit: residual != 0)
                if residual != 0 { RiceCode.write(residual - 1, parameter: plan.parameter, into: &writer) }
            } else {
                RiceCode.write(residual, parameter: plan.parameter, into: &writer)
            }
        }
        precondition(writer.bitCount == plan.streamBits, "bug: a Rice stream's size differs from the size it was chosen by")
        return plan.header(count: integers.count, decimals: decimals, integers: integers) + writer.finish()
    }

    /// n1 - n0, n2 - n1, ...
    private static func differences(_ numbers: [Int64]) -> [Int64] {
        (1..<numbers.count).map { numbers[$0] &- numbers[$0 - 1] }
    }

    /// The element at index count / 2 of `numbers` sorted, by quickselect with three-way
    /// partitions (a gauge's many equal differences take one pass); linear on all but
    /// contrived inputs, quadratic at worst.
    static func median(_ numbers: [Int64]) -> Int64 {
        var items = numbers
        let target = items.count / 2
        return items.withUnsafeMutableBufferPointer { items in
            var (low, high) = (0, items.count - 1)
            while low < high {
                let (a, b, c) = (items[low], items[low + (high - low) / 2], items[high])
                let pivot = max(min(a, b), min(max(a, b), c))
                var (less, scan, greater) = (low, low, high)
                while scan <= greater {
                    if items[scan] < pivot {
                        items.swapAt(less, scan)
                        less += 1
                        scan += 1
                    } else if items[scan] > pivot {
                        items.swapAt(scan, greater)
                        greater -= 1
                    } else {
                        scan += 1
                    }
                }
                if target < less {
                    high = less - 1
                } else if target > greater {
                    low = greater + 1
                } else {
                    return pivot
                }
            }
            return items[target]
        }
    }

    /// The greatest common divisor of the magnitudes, 1 when all are zero.
    private static func commonFactor(_ numbers: [Int64]) -> Int64 {
        var divisor: UInt64 = 0
        for number in numbers where number != 0 {
            var (a, b) = (divisor, number.magnitude)
            while b != 0 { (a, b) = (b, a % b) }
            divisor = a
            if divisor == 1 { break }
        }
        return divisor == 0 ? 1 : Int64(divisor)
    }
}
