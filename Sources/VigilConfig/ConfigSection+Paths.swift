/// Keys naming files the program reads later (certificates, keys): only the path is bound here.
extension ConfigSection {
    /// The path at `key`, a relative one taken from the config file's directory as token files
    /// are; `""` when the key is unset or empty. The file itself is not opened.
    public func filePath(_ key: String) -> String {
        let path = string(key, default: "")
        guard !path.isEmpty else { return "" }
        return ConfigFile.resolve(path, relativeTo: log.file)
    }
}
