import VigilConfig
import VigilHost

extension AgentConfig {
    /// The `[cgroup]` section: which control groups the opt-in `cgroup` collector samples.
    ///
    /// Patterns match cgroup paths relative to the cgroup v2 root, such as
    /// `/system.slice/nginx.service`, anywhere in the path unless anchored (as node_exporter's
    /// filter flags match). Binding compiles them, so a bad pattern is a config error with its line.
    public struct Cgroups: Equatable, Sendable {
        /// Groups to sample; empty samples every group within `maxDepth`. The default takes
        /// systemd services and scopes, VMs, Docker containers, Kubernetes pods and `/user.slice`.
        public var include = HostFilterPattern.cgroupIncludeDefault.source
        /// Groups to leave out even when `include` matches; empty leaves none out.
        public var exclude = ""
        /// The most groups sampled per tick; the walk stops there.
        public var maxCount = 500
        /// Directory levels below the root the walk descends.
        public var maxDepth = 4

        public init() {}

        init(reading section: ConfigSection) {
            include = Self.pattern(section, "include", default: include)
            exclude = Self.pattern(section, "exclude", default: exclude)
            maxCount = section.int("max_count", default: maxCount, min: 1, max: 100_000)
            maxDepth = section.int("max_depth", default: maxDepth, min: 1, max: 32)
        }

        /// `include` compiled; nil when empty.
        public var includePattern: HostFilterPattern? { Self.compiled(include) }
        /// `exclude` compiled; nil when empty.
        public var excludePattern: HostFilterPattern? { Self.compiled(exclude) }

        private static func pattern(_ section: ConfigSection, _ key: String, default value: String) -> String {
            let text = section.string(key, default: value)
            guard !text.isEmpty else { return text }
            do {
                _ = try HostFilterPattern(text)
                return text
            } catch {
                section.report(key, "cgroup.\(key) is not a valid regular expression: \(error.reason)",
                    hint: "write a regular expression over paths like /system.slice/nginx.service")
                return value
            }
        }

        private static func compiled(_ text: String) -> HostFilterPattern? {
            guard !text.isEmpty else { return nil }
            do {
                return try HostFilterPattern(text)
            } catch {
                // Binding compiled the same text; only code that set a field by hand gets here.
                preconditionFailure("bug: cgroup pattern \"\(text)\" was not validated: \(error)")
            }
        }
    }
}
