/// Facts about this build of Vigil, shared by both programs.
public enum VigilBuild {
    /// The release version, reported by `--version`, in `vigil_agent_build_info` and by the API.
    public static let version = "0.1.0"
}
