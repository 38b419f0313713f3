import Synchronization

/// The store's open blocks, ordered by range start then id, swapped atomically by block
/// cuts, compaction and retention while queries read a snapshot.
final class BlockSet: Sendable {
    private let blocks: Mutex<[Block]>

    init(_ blocks: [Block]) {
        self.blocks = Mutex(Self.ordered(blocks))
    }

    /// The blocks right now; they stay readable however the set changes afterwards.
    var snapshot: [Block] { blocks.withLock { $0 } }

    /// Adds `added` and removes the blocks whose ids are in `removed`, in one step.
    func replace(removing removed: Set<UInt64>, adding added: [Block]) {
        blocks.withLock { current in
            current = Self.ordered(current.filter { !removed.contains($0.meta.id) } + added)
        }
    }

    private static func ordered(_ blocks: [Block]) -> [Block] {
        blocks.sorted { ($0.meta.rangeStart, $0.meta.id) < ($1.meta.rangeStart, $1.meta.id) }
    }
}

/// Opening the blocks directory: leftovers of interrupted writes and deletions are removed,
/// blocks replaced by a finished compaction are deleted, the rest opened and verified.
enum BlockDirectory {
    struct Opened {
        var blocks: [Block]
        /// The next free block id.
        var nextID: UInt64
        /// What was cleaned up, for the replay report.
        var removed: [String]
    }

    static func open(_ path: String) throws(StorageError) -> Opened {
        try Directory.create(path)
        var removed: [String] = []
        var blocks: [Block] = []
        for name in try Directory.list(path).sorted() {
            let full = path + "/" + name
            if name.hasSuffix(BlockFormat.temporarySuffix) || name.hasSuffix(BlockFormat.deletedSuffix) {
                try Directory.removeTree(full)
                removed.append(name)
            } else if BlockFormat.id(ofDirectory: name) != nil, Directory.isDirectory(full) {
                blocks.append(try Block(path: full))
            }
        }
        let replaced = Set(blocks.flatMap(\.meta.parents))
        for block in blocks where replaced.contains(block.meta.id) {
            try delete(block, in: path)
            removed.append(BlockFormat.directoryName(block.meta.id))
        }
        blocks.removeAll { replaced.contains($0.meta.id) }
        if !removed.isEmpty { try Directory.sync(path) }
        let highest = blocks.map { max($0.meta.id, $0.meta.parents.max() ?? 0) }.max() ?? 0
        return Opened(blocks: blocks, nextID: highest + 1, removed: removed)
    }

    /// Deletes a block directory: renamed to `<id>.deleted` first (durably), so a crash mid-way
    /// never leaves a partial block under a valid name.
    static func delete(_ block: Block, in path: String) throws(StorageError) {
        let doomed = block.path + BlockFormat.deletedSuffix
        try Directory.rename(block.path, to: doomed)
        try Directory.sync(path)
        try Directory.removeTree(doomed)
    }
}
