extension HostFilterPattern {
    /// `HostSamplerOptions.cgroupInclude`'s default: systemd services and scopes
    /// (`/system.slice/nginx.service`, `/system.slice/docker-<id>.scope`), machines
    /// (`/machine.slice/...`), Docker and containerd groups under the cgroupfs driver
    /// (`/docker/<id>`), every Kubernetes group (`/kubepods...`), and `/user.slice` as a whole.
    /// Slices themselves, user sessions and groups nested inside services stay out.
    public static let cgroupIncludeDefault: HostFilterPattern = {
        do {
            return try HostFilterPattern(#"^/(system\.slice/[^/]+\.(service|scope)|machine\.slice/[^/]+|docker/[^/]+|kubepods.*|user\.slice)$"#)
        } catch {
            fatalError("bug: built-in filter pattern does not compile: \(error)")
        }
    }()
}
