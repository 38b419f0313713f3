/// /proc/stat, read at most once per tick and shared by the cpu and stat readers.
final class ProcStatSource {
    let path: CPath
    private var stat = ProcStat()
    private var readTick: UInt64?
    private var readError: HostReadError?

    init(procfs: String) {
        path = CPath(root: procfs, "stat")
    }

    /// This tick's parsed /proc/stat, reading the file on the first call of the tick.
    func current(files: FileReader, tick: UInt64) throws(HostReadError) -> ProcStat {
        if readTick != tick {
            readTick = tick
            readError = nil
            do throws(HostReadError) {
                let bytes = try files.read(path)
                do {
                    try stat.parse(bytes)
                } catch {
                    throw HostReadError.malformed(path: path.text, error)
                }
            } catch {
                readError = error
            }
        }
        if let readError { throw readError }
        return stat
    }
}
