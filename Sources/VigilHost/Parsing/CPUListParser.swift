/// A sysfs CPU list such as `0-3,8,10-11` (for example /sys/devices/system/cpu/isolated).
enum CPUListParser {
    /// The CPU numbers in the list, in the order written; an empty file is an empty list.
    static func parse(_ bytes: UnsafeRawBufferPointer) throws(HostParseError) -> [Int] {
        var lines = ByteLines(bytes)
        guard var line = lines.next(), let list = line.nextField() else { return [] }
        var cpus: [Int] = []
        var start = 0
        while start < list.count {
            var end = start
            while end < list.count, list[end] != UInt8(ascii: ",") { end += 1 }
            let item = UnsafeRawBufferPointer(rebasing: list[start..<end])
            if let dash = item.firstIndex(of: UInt8(ascii: "-")) {
                let low = ByteNumber.unsigned(UnsafeRawBufferPointer(rebasing: item[..<dash]))
                let high = ByteNumber.unsigned(UnsafeRawBufferPointer(rebasing: item[(dash + 1)...]))
                guard let low, let high, low <= high, high < 1 << 20 else {
                    throw line.error(at: start, field: "cpu range", reason: "\"\(item.text)\" is not a range such as 2-5")
                }
                cpus.append(contentsOf: Int(low)...Int(high))
            } else {
                guard let cpu = ByteNumber.unsigned(item), cpu < 1 << 20 else {
                    throw line.error(at: start, field: "cpu", reason: "\"\(item.text)\" is not a CPU number")
                }
                cpus.append(Int(cpu))
            }
            start = end + 1
        }
        return cpus
    }
}
