import Glibc

/// Directory listing at the edge: the names in a directory (sysfs CPU and clock source lists).
enum DirectoryListing {
    /// The entry names in `path` other than `.` and `..`, sorted bytewise like Go's
    /// `filepath.Glob`; empty when the directory cannot be opened.
    static func names(in path: String) -> [String] {
        guard let directory = opendir(path) else { return [] }
        defer { closedir(directory) }
        var names: [String] = []
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name != ".", name != ".." { names.append(name) }
        }
        return names.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
    }

    /// Whether `name` is `prefix` followed by a decimal digit (the glob `prefix[0-9]*`).
    static func isNumbered(_ name: String, prefix: String) -> Bool {
        guard name.hasPrefix(prefix) else { return false }
        let rest = name.utf8.dropFirst(prefix.utf8.count)
        guard let first = rest.first else { return false }
        return first >= UInt8(ascii: "0") && first <= UInt8(ascii: "9")
    }
}
