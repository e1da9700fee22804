import Foundation
import GRDB
import GRDBSQLite
import Registry

/// Writes one import inside a single transaction: lookups, inserts, updates and conflicts.
///
/// Created by `CarnationDatabase.importing(...)`. The per-row lookup and insert run on SQLite
/// statements prepared once and bound directly (an import may carry millions of rows).
public final class ImportSession {
    let db: Database
    let importID: Int64
    private let select: Statement
    private let insert: Statement
    private let conflict: Statement
    private var updates: [Set<ResidentField>: Statement] = [:]
    /// When this import runs, in Unix seconds (the resident's created_at/updated_at).
    private let now: Int64
    private let provenanceEncoder: ProvenanceEncoder
    /// The source and date this import states.
    public var provenance: Provenance { provenanceEncoder.current }
    static let fields = ResidentField.mergeable
    static let columnOrderHolds: Bool = {
        // The insert binds field k at parameter k + 1: mergeable must be allCases without id, in order.
        precondition(ResidentField.allCases.first == .id && Array(ResidentField.allCases.dropFirst()) == ResidentField.mergeable)
        return true
    }()

    init(db: Database, importID: Int64, now: Int64, provenance: Provenance) throws {
        self.db = db
        self.provenanceEncoder = ProvenanceEncoder(current: provenance)
        self.importID = importID
        self.now = now
        _ = ImportSession.columnOrderHolds
        let names = ImportSession.fields.map(\.rawValue)
        select = try db.makeStatement(sql: "SELECT \(names.joined(separator: ", ")), provenance FROM resident WHERE key = ?")
        insert = try db.makeStatement(sql: """
            INSERT INTO resident (key, \(names.joined(separator: ", ")), provenance, created_at, updated_at)
            VALUES (?, \(names.map { _ in "?" }.joined(separator: ", ")), ?, ?, ?)
            """)
        conflict = try db.makeStatement(sql: """
            INSERT OR IGNORE INTO field_conflict (import_id, resident_id, field, kept, kept_source, kept_as_of, offered, offered_source, offered_as_of)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
    }

    /// The stored resident with this ID, if any.
    public func existing(_ id: ResidentID) throws -> StoredResident? {
        let stmt = select.sqliteStatement
        sqlite3_reset(stmt)
        sqlite3_bind_int64(stmt, 1, id.key)
        let rc = sqlite3_step(stmt)
        defer { sqlite3_reset(stmt) }
        if rc == SQLITE_DONE { return nil }
        guard rc == SQLITE_ROW else { throw StoreError.query(String(cString: sqlite3_errmsg(db.sqliteConnection))) }
        var values: [ResidentField: String] = [:]
        for (i, f) in ImportSession.fields.enumerated() {
            if let text = sqlite3_column_text(stmt, Int32(i)) { values[f] = String(cString: text) }
        }
        let provenanceText = sqlite3_column_text(stmt, Int32(ImportSession.fields.count)).map { String(cString: $0) } ?? "{}"
        let provenance = try ProvenanceCoding.decode(provenanceText, resident: id, fields: values.keys)
        return StoredResident(id: id, values: values, provenance: provenance)
    }

    /// The keys (`ResidentID.key`) of every resident already in the register, read once so that
    /// rows about new residents need no lookup.
    public func existingKeys() throws -> Set<Int64> {
        let stmt = try db.makeStatement(sql: "SELECT key FROM resident")
        var keys = Set<Int64>()
        let raw = stmt.sqliteStatement
        while true {
            let rc = sqlite3_step(raw)
            if rc == SQLITE_DONE { break }
            guard rc == SQLITE_ROW else { throw StoreError.query(String(cString: sqlite3_errmsg(db.sqliteConnection))) }
            keys.insert(sqlite3_column_int64(raw, 0))
        }
        sqlite3_reset(raw)
        return keys
    }

    /// An encoder for this import's provenance, for use on another thread than the session's.
    public func makeProvenanceEncoder() -> ProvenanceEncoder { ProvenanceEncoder(current: provenanceEncoder.current) }

    public func insert(_ r: StoredResident) throws {
        try insert(r, encodedProvenance: provenanceEncoder.encode(r.provenance))
    }

    /// Inserts residents not yet in the register, every value from this import's source and date,
    /// binding each value in place (SQLite reads it during the step and keeps no pointer). The insert
    /// names only the columns the batch has values for: a department file fills a few of them.
    public func insertNew(_ rows: PackedResidents) throws {
        guard !rows.isEmpty else { return }
        let (statement, parameterOf) = try insertStatement(fieldMask: rows.fieldMask)
        let stmt = statement.sqliteStatement
        let provenanceIndex = Int32(rows.fieldMask.nonzeroBitCount + 2)
        let provenance = Array(uniformProvenance.utf8)
        try provenance.withUnsafeBufferPointer { provenance in try rows.forEachRow { key, values in
            sqlite3_reset(stmt)
            sqlite3_clear_bindings(stmt)
            sqlite3_bind_int64(stmt, 1, key)
            for v in values {
                // An empty value has no address; SQLite reads nothing for length 0 but needs a non-null pointer.
                let text = v.text.baseAddress ?? UnsafeRawPointer(provenance.baseAddress!)
                sqlite3_bind_text(stmt, parameterOf[v.ordinal], text.assumingMemoryBound(to: CChar.self), Int32(v.text.count), nil)
            }
            sqlite3_bind_text(stmt, provenanceIndex, UnsafeRawPointer(provenance.baseAddress!).assumingMemoryBound(to: CChar.self), Int32(provenance.count), nil)
            sqlite3_bind_int64(stmt, provenanceIndex + 1, now)
            sqlite3_bind_int64(stmt, provenanceIndex + 2, now)
            let rc = sqlite3_step(stmt)
            sqlite3_reset(stmt)
            guard rc == SQLITE_DONE else {
                let who = ResidentID(key: key)?.masked ?? "key \(key)"
                throw StoreError.query("inserting \(who): \(String(cString: sqlite3_errmsg(db.sqliteConnection)))")
            }
        } }
    }

    private var insertStatements: [UInt64: (Statement, [Int32])] = [:]

    /// An insert of key, the fields in `fieldMask` (by ordinal), provenance and times; and for each
    /// field ordinal its parameter number.
    private func insertStatement(fieldMask: UInt64) throws -> (Statement, [Int32]) {
        if let cached = insertStatements[fieldMask] { return cached }
        let fields = ResidentField.allCases.filter { $0 != .id && fieldMask & (1 << UInt64($0.ordinal)) != 0 }
        var parameterOf = [Int32](repeating: 0, count: ResidentField.allCases.count)
        for (i, f) in fields.enumerated() { parameterOf[f.ordinal] = Int32(i + 2) }
        let names = fields.map(\.rawValue)
        let statement = try db.makeStatement(sql: """
            INSERT INTO resident (key, \((names + ["provenance", "created_at", "updated_at"]).joined(separator: ", ")))
            VALUES (?, \(Array(repeating: "?", count: names.count + 3).joined(separator: ", ")))
            """)
        insertStatements[fieldMask] = (statement, parameterOf)
        return (statement, parameterOf)
    }

    /// `source@date`: every stored field has this import's provenance.
    private lazy var uniformProvenance: String = ProvenanceCoding.encodeUniform(provenanceEncoder.current)

    /// Inserts a resident whose provenance was already encoded (by `makeProvenanceEncoder()`).
    public func insert(_ r: StoredResident, encodedProvenance: String) throws {
        let stmt = insert.sqliteStatement
        sqlite3_reset(stmt)
        sqlite3_clear_bindings(stmt)
        sqlite3_bind_int64(stmt, 1, r.id.key)
        // Columns follow ResidentField.allCases, the key standing for the ID: field k (ordinal k ≥ 1) is parameter k + 1.
        for (f, v) in r.values where f != .id { RawBinding.bind(stmt, Int32(f.ordinal + 1), v) }
        let index = Int32(ImportSession.fields.count + 2)
        RawBinding.bind(stmt, index, encodedProvenance)
        sqlite3_bind_int64(stmt, index + 1, now)
        sqlite3_bind_int64(stmt, index + 2, now)
        let rc = sqlite3_step(stmt)
        sqlite3_reset(stmt)
        guard rc == SQLITE_DONE else { throw StoreError.query("inserting \(r.id.masked): \(String(cString: sqlite3_errmsg(db.sqliteConnection)))") }
    }

    public func update(_ r: StoredResident, changed: [ResidentField]) throws {
        let key = Set(changed)
        let statement: Statement
        if let s = updates[key] { statement = s } else {
            let sets = changed.sorted().map { "\($0.rawValue) = ?" }.joined(separator: ", ")
            statement = try db.makeStatement(sql: "UPDATE resident SET \(sets), provenance = ?, updated_at = ? WHERE key = ?")
            updates[key] = statement
        }
        var args: [(any DatabaseValueConvertible)?] = changed.sorted().map { r.values[$0] }
        args.append(provenanceEncoder.encode(r.provenance))
        args.append(now)
        args.append(r.id.key)
        statement.setUncheckedArguments(StatementArguments(args))
        try statement.execute()
    }

    /// Records a conflict; returns false if the same conflict was already on record.
    @discardableResult
    public func record(_ c: FieldConflict) throws -> Bool {
        conflict.setUncheckedArguments([importID, c.id.value, c.field.rawValue, c.kept, c.keptFrom.source, c.keptFrom.asOf.description,
                                        c.offered, c.offeredFrom.source, c.offeredFrom.asOf.description])
        try conflict.execute()
        return db.changesCount > 0
    }
}

/// Binds text to a raw SQLite statement (SQLite copies it).
enum RawBinding {
    static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

    static func bind(_ stmt: OpaquePointer, _ index: Int32, _ value: String) {
        var v = value
        v.withUTF8 { buf in
            let base = UnsafeRawPointer(buf.baseAddress ?? UnsafePointer<UInt8>(bitPattern: 1)!).assumingMemoryBound(to: CChar.self)
            _ = sqlite3_bind_text(stmt, index, base, Int32(buf.count), transient)
        }
    }
}

/// Per-field provenance as a compact JSON object: {"name":["public-security","2026-11-01"],…}.
/// The key "*" gives the provenance of every stored field not named. A resident added by one import,
/// whose every field has that import's provenance, is stored shorter as `source@date` (most rows).
enum ProvenanceCoding {
    static func encodeUniform(_ p: Provenance) -> String {
        "\(p.source)@\(p.asOf)"
    }

    static func encode(_ p: [ResidentField: Provenance]) -> String {
        var s = "{"
        s.reserveCapacity(p.count * 40)
        var first = true
        for (f, v) in p.sorted(by: { $0.key.ordinal < $1.key.ordinal }) {
            if !first { s += "," }
            first = false
            s += "\""
            s += f.rawValue
            s += "\":[\""
            s += needsEscape(v.source) ? escape(v.source) : v.source
            s += "\",\""
            s += v.asOf.description
            s += "\"]"
        }
        return s + "}"
    }

    static func needsEscape(_ s: String) -> Bool { s.utf8.contains { $0 == 0x22 || $0 == 0x5C || $0 < 0x20 } }

    static func escape(_ s: String) -> String {
        var out = ""
        for ch in s.unicodeScalars {
            switch ch {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case let c where c.value < 0x20: out += String(format: "\\u%04x", c.value)
            default: out.unicodeScalars.append(ch)
            }
        }
        return out
    }

    static func decode(_ text: String, resident: ResidentID, fields: Dictionary<ResidentField, String>.Keys) throws -> [ResidentField: Provenance] {
        if !text.hasPrefix("{") {
            guard let at = text.lastIndex(of: "@"), let d = CalendarDate(parsing: String(text[text.index(after: at)...])) else {
                throw StoreError.corrupt(resident: resident.masked, detail: "provenance is neither JSON nor source@date")
            }
            let p = Provenance(source: String(text[..<at]), asOf: d)
            return Dictionary(uniqueKeysWithValues: fields.map { ($0, p) })
        }
        guard let obj = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: [String]] else {
            throw StoreError.corrupt(resident: resident.masked, detail: "provenance is not an object of [source, date]")
        }
        var out: [ResidentField: Provenance] = [:]
        if let all = obj["*"] {
            guard all.count == 2, let d = CalendarDate(parsing: all[1]) else {
                throw StoreError.corrupt(resident: resident.masked, detail: "bad provenance entry *")
            }
            for f in fields { out[f] = Provenance(source: all[0], asOf: d) }
        }
        for (k, v) in obj where k != "*" {
            guard let f = ResidentField(rawValue: k), v.count == 2, let d = CalendarDate(parsing: v[1]) else {
                throw StoreError.corrupt(resident: resident.masked, detail: "bad provenance entry \(k)")
            }
            out[f] = Provenance(source: v[0], asOf: d)
        }
        return out
    }
}

/// A finished import, as recorded.
public struct ImportRecord: Sendable {
    public var source: String
    public var file: String
    public var encoding: String
    public var asOf: CalendarDate
    public var user: String
    public var counts: ImportCounts
    public init(source: String, file: String, encoding: String, asOf: CalendarDate, user: String, counts: ImportCounts) {
        self.source = source; self.file = file; self.encoding = encoding; self.asOf = asOf; self.user = user; self.counts = counts
    }
}

extension CarnationDatabase {
    /// Runs `body` in one write transaction. With `dryRun`, everything is rolled back at the end.
    /// If `body` throws, nothing it wrote stays.
    public func importing<T>(source: String, file: String, user: String, asOf: CalendarDate, now: Date, dryRun: Bool,
                             _ body: (ImportSession) throws -> (T, ImportRecord)) throws -> (T, importID: Int64) {
        var result: (T, Int64)?
        let stamp = storeTimestamp(now)
        try writer.writeWithoutTransaction { db in
            try db.inTransaction(.immediate) {
                try db.execute(sql: "INSERT INTO import_run (source, file, as_of, user, at, new, updated, unchanged, conflicts, rejected) VALUES (?, ?, ?, ?, ?, 0, 0, 0, 0, 0)",
                               arguments: [source, file, asOf.description, user, stamp])
                let id = db.lastInsertedRowID
                let session = try ImportSession(db: db, importID: id, now: Int64(now.timeIntervalSince1970), provenance: Provenance(source: source, asOf: asOf))
                let (value, record) = try body(session)
                let c = record.counts
                try db.execute(sql: "UPDATE import_run SET encoding = ?, new = ?, updated = ?, unchanged = ?, conflicts = ?, rejected = ? WHERE id = ?",
                               arguments: [record.encoding, c.new, c.updated, c.unchanged, c.conflicts, c.rejected, id])
                try AuditLog.append(db, at: stamp, user: user, action: "import", subject: source,
                                    detail: "file=\(file) new=\(c.new) updated=\(c.updated) unchanged=\(c.unchanged) conflicts=\(c.conflicts) rejected=\(c.rejected)")
                result = (value, id)
                return dryRun ? .rollback : .commit
            }
        }
        return (result!.0, result!.1)
    }
}

/// Encodes provenance as stored, reusing the text of each field's entry for the import's own provenance.
public final class ProvenanceEncoder {
    let current: Provenance
    private let fragments: [String]
    private var slots: [Provenance?] = Array(repeating: nil, count: ResidentField.allCases.count)

    init(current: Provenance) {
        self.current = current
        fragments = ResidentField.allCases.map { f in
            let one = ProvenanceCoding.encode([f: current])
            return String(one.dropFirst().dropLast())
        }
    }

    /// Not thread-safe: one encoder per thread.
    public func encode(_ p: [ResidentField: Provenance]) -> String {
        for (f, v) in p { slots[f.ordinal] = v }
        var s = "{"
        s.reserveCapacity(p.count * 40)
        var first = true
        for (i, slot) in slots.enumerated() {
            guard let v = slot else { continue }
            slots[i] = nil
            if !first { s += "," }
            first = false
            if v == current { s += fragments[i] } else {
                s += String(ProvenanceCoding.encode([ResidentField.allCases[i]: v]).dropFirst().dropLast())
            }
        }
        return s + "}"
    }
}
