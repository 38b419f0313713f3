import Foundation

/// Two network namespaces made by a test, joined by one `EmulatedLink`: the test decides
/// when the link is cut, lossy or slow. Needs root (`ip netns add`) and /dev/net/tun.
///
/// Names carry the test process's pid, so parallel runs do not collide; namespaces left by
/// a run that was killed (its pid is gone) are removed, with their processes, by the next.
/// Addresses are the same in every pair: each namespace has its own routing.
final class NetworkNamespacePair {
    /// Namespace of the near end (the agent) and of the far end (the collector).
    let near: String
    let far: String
    let nearAddress = "10.73.0.1"
    let farAddress = "10.73.0.2"
    let link: EmulatedLink
    private let devices: [Int32]
    private var removed = false

    static let namePrefix = "vigil-fault-"

    /// Why namespaces cannot be made here, in words for a skip message.
    struct Unavailable: Error, CustomStringConvertible {
        let reason: String
        var description: String { reason }
    }

    /// Makes the namespaces, the TUN devices (created here, then moved in, so this process
    /// keeps their descriptors), addresses and routes, and starts the link, clear.
    init() throws(Unavailable) {
        guard geteuid() == 0 else { throw Unavailable(reason: "network namespaces need root (euid is \(geteuid()))") }
        guard Self.ipCommand != nil else { throw Unavailable(reason: "the ip command (iproute2) is not installed") }
        Self.removeLeftovers()
        let pid = getpid()
        near = "\(Self.namePrefix)\(pid)-a"
        far = "\(Self.namePrefix)\(pid)-b"
        var opened: [Int32] = []
        do {
            try Self.ip(["netns", "add", near])
            try Self.ip(["netns", "add", far])
            let nearDevice = "vfa\(pid)"
            let farDevice = "vfb\(pid)"
            opened.append(try Self.openTun(named: nearDevice))
            opened.append(try Self.openTun(named: farDevice))
            let ends = [(near, nearDevice, nearAddress, farAddress), (far, farDevice, farAddress, nearAddress)]
            for (namespace, device, local, peer) in ends {
                try Self.ip(["link", "set", device, "netns", namespace])
                try Self.ip(["-n", namespace, "addr", "add", local, "peer", peer, "dev", device])
                try Self.ip(["-n", namespace, "link", "set", "lo", "up"])
                try Self.ip(["-n", namespace, "link", "set", device, "up"])
            }
        } catch {
            opened.forEach { close($0) }
            Self.deleteNamespaces(["\(Self.namePrefix)\(pid)-a", "\(Self.namePrefix)\(pid)-b"])
            throw error
        }
        devices = opened
        link = EmulatedLink(opened[0], opened[1])
    }

    /// Stops the link, closes the devices and deletes both namespaces. Stop the processes
    /// running in them first: a namespace lives on while a process is in it. Idempotent.
    func remove() {
        guard !removed else { return }
        removed = true
        link.stop()
        devices.forEach { close($0) }
        Self.deleteNamespaces([near, far])
    }

    deinit {
        remove()
    }

    /// `ip`, for launching `arguments` (an absolute executable first) inside `namespace`.
    static func launcher(in namespace: String, _ arguments: [String]) -> (executable: URL, arguments: [String]) {
        (URL(fileURLWithPath: ipCommand ?? "/usr/sbin/ip"), ["netns", "exec", namespace] + arguments)
    }

    static let ipCommand: String? = ["/usr/sbin/ip", "/sbin/ip", "/usr/bin/ip", "/bin/ip"]
        .first { FileManager.default.isExecutableFile(atPath: $0) }

    @discardableResult
    private static func ip(_ arguments: [String]) throws(Unavailable) -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: ipCommand ?? "/usr/sbin/ip")
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        do {
            try process.run()
        } catch {
            throw Unavailable(reason: "cannot run ip: \(error)")
        }
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            let message = output.trimmingCharacters(in: .whitespacesAndNewlines)
            throw Unavailable(reason: "`ip \(arguments.joined(separator: " "))` failed: \(message)")
        }
        return output
    }

    /// A layer-3 TUN device without packet information, non-blocking, owned by this process.
    private static func openTun(named name: String) throws(Unavailable) -> Int32 {
        let descriptor = open("/dev/net/tun", O_RDWR | O_NONBLOCK | O_CLOEXEC)
        guard descriptor >= 0 else { throw Unavailable(reason: "cannot open /dev/net/tun: \(String(cString: strerror(errno)))") }
        // struct ifreq: the name (IFNAMSIZ = 16 with its NUL), then ifr_flags; 40 bytes in all.
        var request = [UInt8](repeating: 0, count: 40)
        request.replaceSubrange(0..<min(15, name.utf8.count), with: name.utf8.prefix(15))
        let flags: UInt16 = 0x0001 | 0x1000  // IFF_TUN | IFF_NO_PI
        request[16] = UInt8(flags & 0xFF)
        request[17] = UInt8(flags >> 8)
        let tunSetIff: UInt = 0x4004_54CA  // _IOW('T', 202, int)
        guard request.withUnsafeMutableBytes({ ioctl(descriptor, tunSetIff, $0.baseAddress!) }) == 0 else {
            let reason = String(cString: strerror(errno))
            close(descriptor)
            throw Unavailable(reason: "cannot create TUN device \(name): \(reason)")
        }
        return descriptor
    }

    /// Kills the processes in the namespaces, then deletes them; ignores ones already gone.
    private static func deleteNamespaces(_ names: [String]) {
        for name in names {
            let pids = (try? ip(["netns", "pids", name])) ?? ""
            for pid in pids.split(whereSeparator: \.isWhitespace).compactMap({ Int32($0) }) {
                kill(pid, SIGKILL)
            }
            _ = try? ip(["netns", "delete", name])
        }
    }

    /// Namespaces of earlier runs whose test process no longer exists.
    private static func removeLeftovers() {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: "/run/netns")) ?? []
        let stale = names.filter { name in
            guard name.hasPrefix(namePrefix),
                  let pid = Int32(name.dropFirst(namePrefix.count).prefix { $0.isNumber }) else { return false }
            return kill(pid, 0) != 0 && errno == ESRCH
        }
        deleteNamespaces(stale)
    }
}
