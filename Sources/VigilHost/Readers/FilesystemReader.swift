import Glibc

/// node_exporter 1.5's filesystem collector: statfs(2) of each mount in <procfs>/1/mounts
/// (or <procfs>/mounts when there is no process 1) that the exclude patterns keep.
final class FilesystemReader: HostReader {
    let collector = HostCollector.filesystem

    /// The series names in emission order; device_error comes first and is the only one
    /// emitted when statfs fails.
    static let metricNames = [
        "node_filesystem_device_error",
        "node_filesystem_size_bytes", "node_filesystem_free_bytes", "node_filesystem_avail_bytes",
        "node_filesystem_files", "node_filesystem_files_free", "node_filesystem_readonly",
    ]

    private struct Filesystem {
        let key: String
        let statfsPath: CPath
        /// Network and FUSE file systems, whose statfs may hang, go through `worker`.
        let mayHang: Bool
        let readOnly: Double
        var slots: [SeriesSlot]
    }

    private let mountsPath: CPath
    private let fallbackMountsPath: CPath
    private let rootfs: String
    private let host: String
    private let mountPointsExclude: HostFilterPattern
    private let fsTypesExclude: HostFilterPattern
    private var lastMounts: [UInt8] = []
    private var lastMountsPath: CPath?
    private var filesystems: [Filesystem] = []
    private let worker: StatfsWorker

    init(procfs: String, rootfs: String, host: String, mountPointsExclude: HostFilterPattern, fsTypesExclude: HostFilterPattern, mountTimeout: Double) {
        worker = StatfsWorker(timeout: mountTimeout)
        mountsPath = CPath(root: procfs, "1/mounts")
        fallbackMountsPath = CPath(root: procfs, "mounts")
        self.rootfs = rootfs
        self.host = host
        self.mountPointsExclude = mountPointsExclude
        self.fsTypesExclude = fsTypesExclude
    }

    func read(into sink: inout SampleSink, files: FileReader, tick: UInt64) throws(HostReadError) -> ReadOutcome {
        var path = mountsPath
        let bytes: UnsafeRawBufferPointer
        do {
            bytes = try files.read(path)
        } catch {
            guard case .openFailed(_, let code) = error, code == ENOENT else { throw error }
            path = fallbackMountsPath
            bytes = try files.read(path)
        }
        if path != lastMountsPath || !FilesystemReader.same(lastMounts, bytes) {
            let mounts: [MountsParser.Mount]
            do {
                mounts = try MountsParser.parse(bytes)
            } catch {
                throw HostReadError.malformed(path: path.text, error)
            }
            rebuild(from: mounts)
            lastMounts = Array(bytes)
            lastMountsPath = path
        }
        for index in filesystems.indices {
            let outcome = filesystems[index].mayHang
                ? worker.usage(of: filesystems[index].statfsPath)
                : StatfsWorker.Outcome(FilesystemUsage.read(filesystems[index].statfsPath))
            switch outcome {
            case .failed, .stuck:
                sink.emit(&filesystems[index].slots[0], 1)
            case .usage(let usage):
                sink.emit(&filesystems[index].slots[0], 0)
                sink.emit(&filesystems[index].slots[1], usage.size)
                sink.emit(&filesystems[index].slots[2], usage.free)
                sink.emit(&filesystems[index].slots[3], usage.available)
                sink.emit(&filesystems[index].slots[4], usage.files)
                sink.emit(&filesystems[index].slots[5], usage.filesFree)
                sink.emit(&filesystems[index].slots[6], filesystems[index].readOnly)
            }
        }
        return .collected
    }

    /// Keeps the mounts the patterns allow, first of each (device, mount point, type), reusing
    /// the series slots of file systems that were already mounted.
    private func rebuild(from mounts: [MountsParser.Mount]) {
        var previous: [String: [SeriesSlot]] = [:]
        for filesystem in filesystems { previous[filesystem.key] = filesystem.slots }
        var kept: [Filesystem] = []
        var keys = Set<String>()
        for mount in mounts {
            let mountPoint = FilesystemReader.stripRootfs(rootfs, from: mount.mountPoint)
            if mountPointsExclude.matches(mountPoint) || fsTypesExclude.matches(mount.fsType) { continue }
            let key = mount.device + "\u{0}" + mountPoint + "\u{0}" + mount.fsType
            guard keys.insert(key).inserted else { continue }
            let slots = previous[key] ?? FilesystemReader.metricNames.map {
                SeriesSlot(name: $0, host: host, [("device", mount.device), ("mountpoint", mountPoint), ("fstype", mount.fsType)])
            }
            kept.append(Filesystem(
                key: key,
                statfsPath: CPath(FilesystemReader.statfsPath(rootfs: rootfs, mountPoint: mountPoint)),
                mayHang: FilesystemReader.mayHang(fsType: mount.fsType),
                readOnly: mount.isReadOnly ? 1 : 0,
                slots: slots))
        }
        filesystems = kept
    }

    /// Whether statfs(2) of this type waits on a server or a user-space daemon.
    static func mayHang(fsType: String) -> Bool {
        fsType.hasPrefix("fuse") || networkTypes.contains(fsType)
    }

    private static let networkTypes: Set<String> = [
        "nfs", "nfs4", "cifs", "smb3", "smbfs", "ceph", "glusterfs", "9p", "afs", "lustre", "gpfs", "ncpfs", "davfs", "sshfs",
    ]

    /// The mount point as the host sees it: with a rootfs other than `/`, mounts listed under
    /// the rootfs (a container's own view) lose that prefix, as in node_exporter. Unlike Go's
    /// `strings.TrimPrefix` there, only a whole path component is stripped.
    static func stripRootfs(_ rootfs: String, from mountPoint: String) -> String {
        var root = rootfs
        while root.count > 1, root.hasSuffix("/") { root.removeLast() }
        guard root != "/" else { return mountPoint }
        if mountPoint == root { return "/" }
        if mountPoint.hasPrefix(root + "/") { return String(mountPoint.dropFirst(root.count)) }
        return mountPoint
    }

    /// Where to call statfs(2): the mount point under the rootfs.
    static func statfsPath(rootfs: String, mountPoint: String) -> String {
        var root = rootfs
        while root.count > 1, root.hasSuffix("/") { root.removeLast() }
        if root == "/" { return mountPoint }
        return mountPoint == "/" ? root : root + mountPoint
    }

    private static func same(_ known: [UInt8], _ bytes: UnsafeRawBufferPointer) -> Bool {
        guard known.count == bytes.count else { return false }
        guard !known.isEmpty, let base = bytes.baseAddress else { return true }
        return known.withUnsafeBytes { memcmp($0.baseAddress!, base, bytes.count) == 0 }
    }
}
