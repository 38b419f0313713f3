import Foundation
import Synchronization

/// What the link does to each packet, as `tc netem` would: drop every one (a cut, silent
/// like a pulled cable: no reset, no ICMP), drop a random share, delay with uniform jitter.
struct LinkConditions: Equatable, Sendable {
    var cut = false
    var lossPercent: Double = 0
    /// One-way delay; each packet gets `delay ± jitter`, so packets may overtake each other.
    var delay: Duration = .zero
    var jitter: Duration = .zero

    static let clear = LinkConditions()
    static let cut = LinkConditions(cut: true)
}

/// A point-to-point link between two TUN devices, forwarded by two threads of the test
/// process under the current `LinkConditions`.
///
/// Why not veth and `tc netem`: kernels built without sch_netem (the project's VM kernel has
/// neither netem nor the gact action) cannot delay or randomly drop packets in tc at all; a
/// link forwarded in user space behaves the same on every kernel with TUN.
final class EmulatedLink: Sendable {
    private let conditions = Mutex(LinkConditions.clear)
    private let stopped = Atomic<Bool>(false)
    private let forwarded = Atomic<Int>(0)
    private let dropped = Atomic<Int>(0)
    private let finished = DispatchSemaphore(value: 0)

    /// Starts forwarding between the two devices' descriptors (open, non-blocking, layer 3
    /// without packet information). The link does not close them.
    init(_ first: Int32, _ second: Int32) {
        for (from, to) in [(first, second), (second, first)] {
            Thread { [self] in
                forward(from: from, to: to)
                finished.signal()
            }.start()
        }
    }

    func set(_ new: LinkConditions) {
        conditions.withLock { $0 = new }
    }

    /// Packets written to the other end, and packets dropped by a cut or by loss, so far.
    var packets: (forwarded: Int, dropped: Int) {
        (forwarded.load(ordering: .relaxed), dropped.load(ordering: .relaxed))
    }

    /// Stops both threads and waits for them (at most one poll period, 20 ms). Call once.
    func stop() {
        stopped.store(true, ordering: .relaxed)
        finished.wait()
        finished.wait()
    }

    /// Reads packets from `from`, drops or schedules each by the conditions at the time it
    /// was read, and writes it to `to` when its delay is over.
    private func forward(from: Int32, to: Int32) {
        let clock = ContinuousClock()
        var due: [(at: ContinuousClock.Instant, packet: [UInt8])] = []
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while !stopped.load(ordering: .relaxed) {
            let now = clock.now
            while let first = due.first, first.at <= now {
                _ = first.packet.withUnsafeBytes { write(to, $0.baseAddress, $0.count) }
                due.removeFirst()
                forwarded.add(1, ordering: .relaxed)
            }
            let untilNext = due.first.map { now.duration(to: $0.at) } ?? .milliseconds(20)
            var descriptor = pollfd(fd: from, events: Int16(POLLIN), revents: 0)
            _ = poll(&descriptor, 1, Int32(min(20, max(1, Self.milliseconds(untilNext)))))
            while true {
                let count = buffer.withUnsafeMutableBytes { read(from, $0.baseAddress, $0.count) }
                guard count > 0 else { break }
                let current = conditions.withLock { $0 }
                if current.cut || Double.random(in: 0..<100) < current.lossPercent {
                    dropped.add(1, ordering: .relaxed)
                    continue
                }
                let spread = Self.milliseconds(current.jitter)
                let delay = current.delay + .milliseconds(spread == 0 ? 0 : Int64.random(in: -spread...spread))
                let at = clock.now.advanced(by: max(.zero, delay))
                let index = due.lastIndex { $0.at <= at }.map { $0 + 1 } ?? 0
                due.insert((at, Array(buffer[0..<count])), at: index)
            }
        }
    }

    private static func milliseconds(_ duration: Duration) -> Int64 {
        let (seconds, attoseconds) = duration.components
        return seconds * 1_000 + attoseconds / 1_000_000_000_000_000
    }
}
