/// /proc/1/mounts (or /proc/mounts), read as node_exporter 1.5's filesystem collector reads it.
enum MountsParser {
    /// One mount: device, mount point with the kernel's `\040` (space) and `\011` (tab) escapes
    /// decoded (node_exporter decodes only these two, and only in the mount point), type and
    /// the comma-separated options.
    struct Mount: Equatable, Sendable {
        let device: String
        let mountPoint: String
        let fsType: String
        let options: String

        /// Whether the options include `ro`.
        var isReadOnly: Bool {
            options.split(separator: ",").contains("ro")
        }
    }

    /// Every mount in file order. A non-empty line with fewer than four fields is an error.
    static func parse(_ bytes: UnsafeRawBufferPointer) throws(HostParseError) -> [Mount] {
        var mounts: [Mount] = []
        var lines = ByteLines(bytes)
        while var line = lines.next() {
            guard line.fieldStart() < line.bytes.count else { continue }
            let device = line.nextField()
            let mountPoint = line.nextField()
            let fsType = line.nextField()
            let optionsStart = line.fieldStart()
            guard let device, let mountPoint, let fsType, let options = line.nextField() else {
                throw line.error(at: optionsStart, field: "mount options", reason: "fewer than four fields (device, mount point, type, options)")
            }
            mounts.append(Mount(
                device: device.text,
                mountPoint: decodeEscapes(mountPoint.text),
                fsType: fsType.text,
                options: options.text))
        }
        return mounts
    }

    private static func decodeEscapes(_ path: String) -> String {
        guard path.contains("\\") else { return path }
        return path.replacing("\\040", with: " ").replacing("\\011", with: "\t")
    }
}
