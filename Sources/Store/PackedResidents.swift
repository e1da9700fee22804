import Registry

/// New residents of one import batch packed into one byte buffer, so that the writing thread binds
/// their values straight from it: no per-row objects cross threads, and SQLite need not copy the text.
///
/// Layout per row: the ID's key (8 bytes; the register stores the ID as its key), number of values
/// (1 byte), then per value its field ordinal (1 byte), length (4 bytes) and UTF-8 bytes.
public struct PackedResidents: Sendable {
    public private(set) var bytes: [UInt8] = []
    public private(set) var count = 0
    /// The fields any row of the batch has a value for (bit k: field of ordinal k), so that the
    /// insert names only those columns.
    public private(set) var fieldMask: UInt64 = 0

    public init(reservingBytes: Int = 0) { bytes.reserveCapacity(reservingBytes) }

    public var isEmpty: Bool { count == 0 }

    public mutating func append(_ row: ParsedRow) {
        withUnsafeBytes(of: row.id.key.littleEndian) { bytes.append(contentsOf: $0) }
        let countAt = bytes.count
        bytes.append(0)
        var n: UInt8 = 0
        for (field, value) in row.values where field != .id {
            n += 1
            fieldMask |= 1 << UInt64(field.ordinal)
            bytes.append(UInt8(field.ordinal))
            let utf8 = value.utf8
            withUnsafeBytes(of: UInt32(utf8.count).littleEndian) { bytes.append(contentsOf: $0) }
            bytes.append(contentsOf: utf8)
        }
        bytes[countAt] = n
        count += 1
    }

    /// Calls `body` for each row with its key and its values (field ordinal, UTF-8 bytes), the values
    /// pointing into the buffer (valid only during the call).
    func forEachRow(_ body: (Int64, [(ordinal: Int, text: UnsafeRawBufferPointer)]) throws -> Void) rethrows {
        try bytes.withUnsafeBytes { raw in
            var at = 0
            var values: [(ordinal: Int, text: UnsafeRawBufferPointer)] = []
            values.reserveCapacity(ResidentField.allCases.count)
            for _ in 0..<count {
                let key = Int64(littleEndian: raw.loadUnaligned(fromByteOffset: at, as: Int64.self))
                let n = Int(raw[at + 8])
                at += 9
                values.removeAll(keepingCapacity: true)
                for _ in 0..<n {
                    let ordinal = Int(raw[at])
                    let length = Int(UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: at + 1, as: UInt32.self)))
                    values.append((ordinal, UnsafeRawBufferPointer(rebasing: raw[(at + 5)..<(at + 5 + length)])))
                    at += 5 + length
                }
                try body(key, values)
            }
        }
    }
}
