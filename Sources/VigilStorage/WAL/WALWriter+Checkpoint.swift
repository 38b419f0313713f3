extension WALWriter {
    /// Installs `checkpoint.<index>`, which must hold the state of every segment before
    /// `index` (see `roll()`): `write` fills a temporary file, which is fsynced, renamed and
    /// its directory fsynced (unless the store runs without fsync); then the segments before
    /// `index` and older checkpoints are deleted.
    /// A crash at any point leaves either the old state or the new one for replay.
    func installCheckpoint(index: Int, write: (inout BufferedFileWriter) throws(StorageError) -> Void) throws(StorageError) {
        let name = WALFormat.checkpointName(index)
        let temporary = directory + "/" + name + WALFormat.temporarySuffix
        var file = try BufferedFileWriter(path: temporary)
        do throws(StorageError) {
            try file.write(WALFormat.segmentHeader)
            try write(&file)
            try file.finish(sync: fsyncEnabled)
        } catch {
            file.abandon()
            try? Directory.removeFile(temporary)
            throw error
        }
        try Directory.rename(temporary, to: directory + "/" + name)
        if fsyncEnabled { try Directory.sync(directory) }
        accountBytes(file.offset)
        for other in try Directory.list(directory) {
            let covered = WALFormat.segmentIndex(other).map { $0 < index }
                ?? WALFormat.checkpointIndex(other).map { $0 != index } ?? false
            guard covered else { continue }
            let path = directory + "/" + other
            let size = (try? Directory.fileSize(path)) ?? 0
            try Directory.removeFile(path)
            accountBytes(-size)
        }
        if fsyncEnabled { try Directory.sync(directory) }
    }
}
