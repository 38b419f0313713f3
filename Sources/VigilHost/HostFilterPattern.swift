/// A regular expression over a name (device, mount point, file system type, vmstat field),
/// matched as node_exporter matches its filter flags: the pattern may match anywhere in the
/// name unless it anchors itself with `^` and `$`.
///
/// Matching runs only when a name is first seen; readers cache the answer per name.
public struct HostFilterPattern: @unchecked Sendable, CustomStringConvertible {
    // Regex is immutable once built and safe to match from several threads.
    private let regex: Regex<AnyRegexOutput>
    /// The pattern as written.
    public let source: String

    /// Compiles `source`; throws `HostFilterPatternError` when it is not a valid regular expression.
    public init(_ source: String) throws(HostFilterPatternError) {
        do {
            regex = try Regex(source)
        } catch {
            throw HostFilterPatternError(pattern: source, reason: "\(error)")
        }
        self.source = source
    }

    /// Whether the pattern matches anywhere in `name` (Go's `regexp.MatchString`).
    public func matches(_ name: String) -> Bool {
        (try? regex.firstMatch(in: name)) != nil
    }

    public var description: String { source }
}

/// A filter pattern did not compile.
public struct HostFilterPatternError: Error, Sendable, CustomStringConvertible {
    public let pattern: String
    public let reason: String
    public var description: String {
        "invalid regular expression \"\(pattern)\": \(reason); write it in the syntax node_exporter's filter flags use"
    }
}

extension HostFilterPattern {
    private static func builtIn(_ source: String) -> HostFilterPattern {
        do {
            return try HostFilterPattern(source)
        } catch {
            fatalError("bug: built-in filter pattern does not compile: \(error)")
        }
    }

    /// node_exporter 1.5's `--collector.diskstats.device-exclude` default: partitions, RAM
    /// disks, loop and floppy devices.
    public static let diskstatsDeviceExcludeDefault = builtIn(#"^(ram|loop|fd|(h|s|v|xv)d[a-z]|nvme\d+n\d+p)\d+$"#)

    /// node_exporter 1.5's `--collector.filesystem.mount-points-exclude` default (upstream release).
    public static let mountPointsExcludeDefault = builtIn(#"^/(dev|proc|run/credentials/.+|sys|var/lib/docker/.+|var/lib/containers/storage/.+)($|/)"#)

    /// The mount-points-exclude default of Debian's node_exporter 1.5 package, which also
    /// leaves out everything under /run, /mnt and /media.
    public static let mountPointsExcludeDebian = builtIn(#"^/(dev|proc|run|sys|mnt|media|var/lib/docker/.+|var/lib/containers/storage/.+)($|/)"#)

    /// node_exporter 1.5's `--collector.filesystem.fs-types-exclude` default: pseudo and virtual file systems.
    public static let fsTypesExcludeDefault = builtIn(#"^(autofs|binfmt_misc|bpf|cgroup2?|configfs|debugfs|devpts|devtmpfs|fusectl|hugetlbfs|iso9660|mqueue|nsfs|overlay|proc|procfs|pstore|rpc_pipefs|securityfs|selinuxfs|squashfs|sysfs|tracefs)$"#)

    /// node_exporter 1.5's `--collector.vmstat.fields` default.
    public static let vmstatFieldsDefault = builtIn(#"^(oom_kill|pgpg|pswp|pg.*fault).*"#)
}
