import Foundation
import GRDB
import Registry

/// Writes one import inside a single transaction: lookups, inserts, updates and conflicts.
///
/// Created by `CarnationDatabase.importing(...)`; its statements are prepared once.
public final class ImportSession {
    let db: Database
    let importID: Int64
    private let select: Statement
    private let insert: Statement
    private let conflict: Statement
    private var updates: [Set<ResidentField>: Statement] = [:]
    private let now: String
    static let fields = ResidentField.mergeable

    init(db: Database, importID: Int64, now: String) throws {
        self.db = db
        self.importID = importID
        self.now = now
        let names = ImportSession.fields.map(\.rawValue)
        select = try db.makeStatement(sql: "SELECT \(names.joined(separator: ", ")), provenance FROM resident WHERE id = ?")
        insert = try db.makeStatement(sql: """
            INSERT INTO resident (id, \(names.joined(separator: ", ")), provenance, created_at, updated_at)
            VALUES (?, \(names.map { _ in "?" }.joined(separator: ", ")), ?, ?, ?)
            """)
        conflict = try db.makeStatement(sql: """
            INSERT OR IGNORE INTO field_conflict (import_id, resident_id, field, kept, kept_source, kept_as_of, offered, offered_source, offered_as_of)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
    }

    /// The stored resident with this ID, if any.
    public func existing(_ id: ResidentID) throws -> StoredResident? {
        select.setUncheckedArguments([id.value])
        guard let row = try Row.fetchOne(select) else { return nil }
        var values: [ResidentField: String] = [:]
        for (i, f) in ImportSession.fields.enumerated() {
            if let s = row[i] as String? { values[f] = s }
        }
        let provenance = try ProvenanceCoding.decode(row[ImportSession.fields.count] as String? ?? "{}", resident: id)
        return StoredResident(id: id, values: values, provenance: provenance)
    }

    public func insert(_ r: StoredResident) throws {
        var args: [(any DatabaseValueConvertible)?] = [r.id.value]
        args.reserveCapacity(ImportSession.fields.count + 4)
        for f in ImportSession.fields { args.append(r.values[f]) }
        args.append(ProvenanceCoding.encode(r.provenance))
        args.append(now)
        args.append(now)
        insert.setUncheckedArguments(StatementArguments(args))
        try insert.execute()
    }

    public func update(_ r: StoredResident, changed: [ResidentField]) throws {
        let key = Set(changed)
        let statement: Statement
        if let s = updates[key] { statement = s } else {
            let sets = changed.sorted().map { "\($0.rawValue) = ?" }.joined(separator: ", ")
            statement = try db.makeStatement(sql: "UPDATE resident SET \(sets), provenance = ?, updated_at = ? WHERE id = ?")
            updates[key] = statement
        }
        var args: [(any DatabaseValueConvertible)?] = changed.sorted().map { r.values[$0] }
        args.append(ProvenanceCoding.encode(r.provenance))
        args.append(now)
        args.append(r.id.value)
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

/// Per-field provenance as a compact JSON object: {"name":["public-security","2026-11-01"],…}.
enum ProvenanceCoding {
    static func encode(_ p: [ResidentField: Provenance]) -> String {
        var s = "{"
        var first = true
        for (f, v) in p.sorted(by: { $0.key < $1.key }) {
            if !first { s += "," }
            first = false
            s += "\"\(f.rawValue)\":[\"\(escape(v.source))\",\"\(v.asOf)\"]"
        }
        return s + "}"
    }

    static func escape(_ s: String) -> String {
        s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
    }

    static func decode(_ text: String, resident: ResidentID) throws -> [ResidentField: Provenance] {
        guard let obj = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: [String]] else {
            throw StoreError.corrupt(resident: resident.masked, detail: "provenance is not an object of [source, date]")
        }
        var out: [ResidentField: Provenance] = [:]
        for (k, v) in obj {
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
                let session = try ImportSession(db: db, importID: id, now: stamp)
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
