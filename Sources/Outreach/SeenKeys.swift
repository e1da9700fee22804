/// The resident keys met so far in one import, with the line and row fingerprint of each: an
/// open-addressing table over raw memory, because a million-row file probes it once per row and
/// a `Dictionary` spends more time hashing and checking uniqueness than the rest of the row's checks.
final class SeenKeys {
    private var keys: UnsafeMutablePointer<Int64>
    private var lines: UnsafeMutablePointer<Int32>
    private var hashes: UnsafeMutablePointer<UInt32>
    private var capacity: Int
    private(set) var count = 0
    /// 0 is never a resident key (the 17 digits start with a non-zero area code), so it marks an empty slot.
    private static let empty: Int64 = 0

    init(expected: Int = 1 << 16) {
        var c = 1 << 10
        while c < expected * 2 { c <<= 1 }
        capacity = c
        keys = .allocate(capacity: c); keys.initialize(repeating: SeenKeys.empty, count: c)
        lines = .allocate(capacity: c)
        hashes = .allocate(capacity: c)
    }

    deinit { keys.deallocate(); lines.deallocate(); hashes.deallocate() }

    @inline(__always) private static func slot(_ key: Int64, _ mask: Int) -> Int {
        Int(truncatingIfNeeded: UInt64(bitPattern: key) &* 0x9E37_79B9_7F4A_7C15 >> 29) & mask
    }

    /// For a key met before: its first line, and whether that row had the same fingerprint (32 bits of it).
    /// For a new key: stores line and fingerprint and returns nil.
    func firstSeen(_ key: Int64, line: Int, fingerprint: Int) -> (line: Int, sameFingerprint: Bool)? {
        precondition(key != SeenKeys.empty, "a resident key is never 0")
        let hash = UInt32(truncatingIfNeeded: fingerprint)
        let mask = capacity - 1
        var i = SeenKeys.slot(key, mask)
        while true {
            let k = keys[i]
            if k == key { return (Int(lines[i]), hashes[i] == hash) }
            if k == SeenKeys.empty { break }
            i = (i + 1) & mask
        }
        keys[i] = key; lines[i] = Int32(clamping: line); hashes[i] = hash
        count += 1
        if count * 2 > capacity { grow() }
        return nil
    }

    private func grow() {
        let oldKeys = keys, oldLines = lines, oldHashes = hashes, oldCapacity = capacity
        capacity *= 2
        keys = .allocate(capacity: capacity); keys.initialize(repeating: SeenKeys.empty, count: capacity)
        lines = .allocate(capacity: capacity)
        hashes = .allocate(capacity: capacity)
        let mask = capacity - 1
        for j in 0..<oldCapacity where oldKeys[j] != SeenKeys.empty {
            var i = SeenKeys.slot(oldKeys[j], mask)
            while keys[i] != SeenKeys.empty { i = (i + 1) & mask }
            keys[i] = oldKeys[j]; lines[i] = oldLines[j]; hashes[i] = oldHashes[j]
        }
        oldKeys.deallocate(); oldLines.deallocate(); oldHashes.deallocate()
    }
}
