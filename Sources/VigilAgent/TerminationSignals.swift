#if canImport(Glibc)
import Glibc
#endif
import Synchronization

/// SIGTERM and SIGINT as a flag the sampler loop checks after each (interruptible) sleep.
enum TerminationSignals {
    private static let received = Atomic<Int32>(0)

    /// Installs handlers without SA_RESTART, so a sleeping `clock_nanosleep` returns at once.
    static func install() {
        for signal in [SIGTERM, SIGINT] {
            var action = sigaction()
            action.__sigaction_handler.sa_handler = { number in
                TerminationSignals.received.store(number, ordering: .relaxed)
            }
            sigemptyset(&action.sa_mask)
            action.sa_flags = 0
            sigaction(signal, &action, nil)
        }
        // A collector closing a connection mid-write must not kill the agent.
        Glibc.signal(SIGPIPE, SIG_IGN)
    }

    /// The signal number received, or 0.
    static var pending: Int32 { received.load(ordering: .relaxed) }
}
