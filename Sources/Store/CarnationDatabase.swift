import CSQLiteSetup
import Foundation
import GRDB
import Registry

/// SQLite's process-wide configuration, applied once before the first connection opens.
private let sqliteConfigured: Bool = carnation_sqlite_setup() == 0

/// The SQLite database of one office: residents, imports, conflicts and the audit log.
///
/// The only type that speaks SQL. Opened from a file path; migrations run on open.
public final class CarnationDatabase: Sendable {
    public let writer: any DatabaseWriter
    public let path: String

    /// Opens (creating if needed) the database file at `path` and migrates it.
    public init(path: String) throws(StoreError) {
        self.path = path
        _ = sqliteConfigured
        do {
            try FileManager.default.createDirectory(at: URL(fileURLWithPath: path).deletingLastPathComponent(), withIntermediateDirectories: true)
            var config = Configuration()
            // The dispatcher, the web server and a coordinator's command may write at once: wait, don't fail.
            config.busyMode = .timeout(10)
            config.prepareDatabase { db in
                try db.execute(sql: "PRAGMA synchronous = NORMAL")
                // A county's register fits; large imports insert IDs in random order into the key index.
                try db.execute(sql: "PRAGMA cache_size = -65536")
                // For a new file only: 16 KiB pages make a large import's WAL and checkpoint a quarter of the
                // system calls (measured with `carnation bench import`: 6 % faster; `bench dispatch` unchanged).
                try db.execute(sql: "PRAGMA page_size = 16384")
            }
            let pool = try DatabasePool(path: path, configuration: config)
            try CarnationDatabase.migrator.migrate(pool)
            writer = pool
        } catch {
            throw .open(path: path, detail: "\(error)")
        }
    }

    /// An in-memory database, for tests.
    public init(inMemory: Void = ()) throws(StoreError) {
        path = ":memory:"
        _ = sqliteConfigured
        do {
            let queue = try DatabaseQueue()
            try CarnationDatabase.migrator.migrate(queue)
            writer = queue
        } catch {
            throw .open(path: ":memory:", detail: "\(error)")
        }
    }

    /// The resident's text columns: every mergeable field, in `ResidentField` order.
    static var residentTableColumns: String {
        ResidentField.mergeable.map { "\($0.rawValue) TEXT" }.joined(separator: ",\n  ")
    }

    static var migrator: DatabaseMigrator {
        var m = DatabaseMigrator()
        m.registerMigration("v1-registry") { db in
            try db.execute(sql: """
                CREATE TABLE resident (
                  id TEXT PRIMARY KEY NOT NULL,
                  \(CarnationDatabase.residentTableColumns),
                  provenance TEXT NOT NULL DEFAULT '{}',
                  created_at TEXT NOT NULL,
                  updated_at TEXT NOT NULL
                );
                CREATE INDEX resident_area ON resident(area_code) WHERE area_code IS NOT NULL;
                CREATE INDEX resident_household ON resident(household_id) WHERE household_id IS NOT NULL;
                CREATE TABLE import_run (
                  id INTEGER PRIMARY KEY,
                  source TEXT NOT NULL,
                  file TEXT NOT NULL,
                  encoding TEXT,
                  as_of TEXT NOT NULL,
                  user TEXT NOT NULL,
                  at TEXT NOT NULL,
                  new INTEGER NOT NULL, updated INTEGER NOT NULL, unchanged INTEGER NOT NULL,
                  conflicts INTEGER NOT NULL, rejected INTEGER NOT NULL
                );
                CREATE TABLE field_conflict (
                  id INTEGER PRIMARY KEY,
                  import_id INTEGER NOT NULL REFERENCES import_run(id),
                  resident_id TEXT NOT NULL,
                  field TEXT NOT NULL,
                  kept TEXT NOT NULL, kept_source TEXT NOT NULL, kept_as_of TEXT NOT NULL,
                  offered TEXT NOT NULL, offered_source TEXT NOT NULL, offered_as_of TEXT NOT NULL,
                  resolved INTEGER NOT NULL DEFAULT 0,
                  UNIQUE(resident_id, field, offered, offered_source, offered_as_of)
                );
                CREATE TABLE audit_log (
                  id INTEGER PRIMARY KEY,
                  at TEXT NOT NULL,
                  user TEXT NOT NULL,
                  action TEXT NOT NULL,
                  subject TEXT NOT NULL,
                  detail TEXT NOT NULL DEFAULT ''
                );
                CREATE TABLE area (
                  code TEXT PRIMARY KEY NOT NULL,
                  name TEXT NOT NULL,
                  latitude REAL, longitude REAL
                );
                """)
        }
        CarnationDatabase.registerOutboxMigration(&m)  // "v2-outbox": campaigns and the outbox (Store/Outbox.swift)
        CarnationDatabase.registerVisitMigrations(&m)  // "v3-visits": teams, travel times, follow-ups, visits (Store/Visits.swift)
        m.registerMigration("v4-resident-key") { db in
            // The ID is kept as its 17 digits, an integer (the check character follows from them), with a
            // small unique index: rows are appended in the order they arrive (a department file's order is
            // not the ID's), and the index an import of a million residents keeps in cache is half the size
            // of a text index. Times are Unix seconds. SQL that needs the birth date reads substr(key, 7, 8).
            let names = ResidentField.mergeable.map(\.rawValue)
            try db.execute(sql: """
                CREATE TABLE resident_v4 (
                  rowid INTEGER PRIMARY KEY,
                  key INTEGER NOT NULL,
                  \(CarnationDatabase.residentTableColumns),
                  provenance TEXT NOT NULL DEFAULT '{}',
                  created_at INTEGER NOT NULL,
                  updated_at INTEGER NOT NULL
                );
                INSERT INTO resident_v4 (key, \(names.joined(separator: ", ")), provenance, created_at, updated_at)
                  SELECT CAST(substr(id, 1, 17) AS INTEGER), \(names.joined(separator: ", ")), provenance,
                         CAST(strftime('%s', created_at) AS INTEGER), CAST(strftime('%s', updated_at) AS INTEGER)
                  FROM resident;
                DROP TABLE resident;
                ALTER TABLE resident_v4 RENAME TO resident;
                CREATE UNIQUE INDEX resident_key ON resident(key);
                CREATE INDEX resident_area ON resident(area_code) WHERE area_code IS NOT NULL;
                CREATE INDEX resident_household ON resident(household_id) WHERE household_id IS NOT NULL;
                """)
        }
        CarnationDatabase.registerWebMigration(&m)  // "v5-web": team links, outcome keys, the server's secrets (Store/WebLinks.swift)
        return m
    }
}

/// What went wrong in the database, with the file involved.
public enum StoreError: Error, CustomStringConvertible {
    case open(path: String, detail: String)
    case query(String)
    case corrupt(resident: String, detail: String)

    public var description: String {
        switch self {
        case let .open(path, detail): return "cannot open the database \(path): \(detail). Check the path and that the disk is writable, or set CARNATION_HOME."
        case let .query(detail): return "database error: \(detail)"
        case let .corrupt(resident, detail): return "resident \(resident) has unreadable stored data: \(detail)"
        }
    }
}

/// A timestamp as stored: ISO 8601 in UTC.
public func storeTimestamp(_ date: Date) -> String {
    let f = ISO8601DateFormatter()
    f.formatOptions = [.withInternetDateTime]
    return f.string(from: date)
}
