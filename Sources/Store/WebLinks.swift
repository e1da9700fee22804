import Foundation
import GRDB
import Registry

/// A team-day link as stored: only the SHA-256 of its token, never the token.
public struct TeamLinkRecord: Sendable, Equatable {
    public var id: Int64
    /// Hex SHA-256 of the token.
    public var tokenHash: String
    public var team: String
    public var date: String
    public var createdAt: Date
    public var revokedAt: Date?

    public init(id: Int64 = 0, tokenHash: String, team: String, date: String, createdAt: Date, revokedAt: Date? = nil) {
        self.id = id; self.tokenHash = tokenHash; self.team = team; self.date = date; self.createdAt = createdAt; self.revokedAt = revokedAt
    }
}

/// How claiming an outcome's idempotency key went.
public enum OutcomeKeyClaim: Sendable, Equatable {
    /// First time: the caller records the outcome.
    case claimed
    /// Seen before: the outcome for `visitID` was already recorded (or is being recorded) as `status`.
    case duplicate(visitID: Int64, status: String)
}

/// Tables of the web server: team-day links, outcome idempotency keys, and the server's own secret.
///
/// Created with `CREATE TABLE IF NOT EXISTS` by `prepareWebTables()` (called when the web server starts and by
/// every function here), so the module needs no change to the main migrator; the lead may fold it into a
/// "v4-web" migration later.
extension CarnationDatabase {
    static let webSchema = """
        CREATE TABLE IF NOT EXISTS team_link (
          id INTEGER PRIMARY KEY,
          token_hash TEXT NOT NULL UNIQUE,
          team TEXT NOT NULL,
          date TEXT NOT NULL,
          created_at REAL NOT NULL,
          revoked_at REAL
        );
        CREATE INDEX IF NOT EXISTS team_link_day ON team_link(team, date);
        CREATE TABLE IF NOT EXISTS web_outcome_key (
          key TEXT PRIMARY KEY NOT NULL,
          visit_id INTEGER NOT NULL,
          team TEXT NOT NULL,
          status TEXT NOT NULL,
          at REAL NOT NULL
        );
        CREATE TABLE IF NOT EXISTS web_secret (
          name TEXT PRIMARY KEY NOT NULL,
          value BLOB NOT NULL
        );
        """

    /// Creates the web tables if they are missing.
    public func prepareWebTables() throws {
        try writer.write { db in try db.execute(sql: CarnationDatabase.webSchema) }
    }

    /// Saves a new link (its token hash, never the token).
    @discardableResult
    public func addTeamLink(_ link: TeamLinkRecord) throws -> TeamLinkRecord {
        try prepareWebTables()
        return try writer.write { db in
            try db.execute(sql: "INSERT INTO team_link (token_hash, team, date, created_at, revoked_at) VALUES (?, ?, ?, ?, ?)",
                           arguments: [link.tokenHash, link.team, link.date, link.createdAt.timeIntervalSince1970, link.revokedAt?.timeIntervalSince1970])
            var saved = link
            saved.id = db.lastInsertedRowID
            return saved
        }
    }

    /// The link whose token hashes to `tokenHash`, revoked or not.
    public func teamLink(tokenHash: String) throws -> TeamLinkRecord? {
        try prepareWebTables()
        return try writer.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM team_link WHERE token_hash = ?", arguments: [tokenHash]).map(CarnationDatabase.teamLink(from:))
        }
    }

    /// Links of one team (on one date, if given), newest first.
    public func teamLinks(team: String, date: String? = nil) throws -> [TeamLinkRecord] {
        try prepareWebTables()
        return try writer.read { db in
            var sql = "SELECT * FROM team_link WHERE team = ?"
            var args: [any DatabaseValueConvertible] = [team]
            if let date { sql += " AND date = ?"; args.append(date) }
            sql += " ORDER BY id DESC"
            return try Row.fetchAll(db, sql: sql, arguments: StatementArguments(args)).map(CarnationDatabase.teamLink(from:))
        }
    }

    /// Revokes every live link of `team` on `date` (all dates when nil); returns how many.
    @discardableResult
    public func revokeTeamLinks(team: String, date: String?, now: Date) throws -> Int {
        try prepareWebTables()
        return try writer.write { db in
            var sql = "UPDATE team_link SET revoked_at = ? WHERE team = ? AND revoked_at IS NULL"
            var args: [any DatabaseValueConvertible] = [now.timeIntervalSince1970, team]
            if let date { sql += " AND date = ?"; args.append(date) }
            try db.execute(sql: sql, arguments: StatementArguments(args))
            return db.changesCount
        }
    }

    static func teamLink(from row: Row) -> TeamLinkRecord {
        TeamLinkRecord(id: row["id"], tokenHash: row["token_hash"], team: row["team"], date: row["date"],
                       createdAt: Date(timeIntervalSince1970: row["created_at"]),
                       revokedAt: (row["revoked_at"] as Double?).map(Date.init(timeIntervalSince1970:)))
    }

    /// Claims an outcome's idempotency key (client-generated). The first claim wins; later ones learn what it was.
    public func claimOutcomeKey(_ key: String, visitID: Int64, team: String, status: String, now: Date) throws -> OutcomeKeyClaim {
        try prepareWebTables()
        return try writer.write { db in
            if let row = try Row.fetchOne(db, sql: "SELECT visit_id, status FROM web_outcome_key WHERE key = ?", arguments: [key]) {
                return .duplicate(visitID: row["visit_id"], status: row["status"])
            }
            try db.execute(sql: "INSERT INTO web_outcome_key (key, visit_id, team, status, at) VALUES (?, ?, ?, ?, ?)",
                           arguments: [key, visitID, team, status, now.timeIntervalSince1970])
            return .claimed
        }
    }

    /// Gives a key back when recording its outcome failed, so the client's retry is not taken for a duplicate.
    public func releaseOutcomeKey(_ key: String) throws {
        try writer.write { db in try db.execute(sql: "DELETE FROM web_outcome_key WHERE key = ?", arguments: [key]) }
    }

    /// The server secret named `name` (CSRF tokens, session cookies), created from `make` the first time and
    /// kept in the database so that forms rendered before a restart stay valid.
    public func webSecret(named name: String, make: () -> [UInt8]) throws -> [UInt8] {
        try prepareWebTables()
        return try writer.write { db in
            if let data = try Data.fetchOne(db, sql: "SELECT value FROM web_secret WHERE name = ?", arguments: [name]) { return Array(data) }
            let value = make()
            try db.execute(sql: "INSERT INTO web_secret (name, value) VALUES (?, ?)", arguments: [name, Data(value)])
            return value
        }
    }

    /// Residents whose own or guardian's phone is `phone` (stored normalised), for inbound replies.
    public func residentIDs(withPhone phone: String) throws -> [String] {
        try writer.read { db in
            try Int64.fetchAll(db, sql: "SELECT key FROM resident WHERE phone = ? OR guardian_phone = ? ORDER BY key", arguments: [phone, phone])
                .compactMap { ResidentID(key: $0)?.value }
        }
    }

    /// The number of saved visits per (team, status) on `date`: what the coordinator's progress view shows.
    public func visitProgress(on date: String) throws -> [(team: String, status: String, count: Int)] {
        try writer.read { db in
            try Row.fetchAll(db, sql: "SELECT team, status, count(*) AS n FROM visit WHERE date = ? GROUP BY team, status ORDER BY team, status",
                             arguments: [date]).map { (team: $0["team"], status: $0["status"], count: $0["n"]) }
        }
    }
}

extension CarnationDatabase {
    /// A cheap read that proves the database answers (for `/healthz`).
    public func ping() throws -> Bool {
        try writer.read { db in try Int.fetchOne(db, sql: "SELECT 1") == 1 }
    }
}

extension CarnationDatabase {
    /// Outbox messages per (campaign, state) whose resident lives under one of `areaPrefixes` (nil: all areas).
    public func campaignStateCounts(areaPrefixes: [String]?) throws -> [(campaignID: Int64, state: String, count: Int)] {
        try writer.read { db in
            var sql = "SELECT campaign_id, state, count(*) AS n FROM outbox"
            var args: [any DatabaseValueConvertible] = []
            if let prefixes = areaPrefixes {
                if prefixes.isEmpty { return [] }
                sql += " WHERE (" + prefixes.map { _ in "area_code LIKE ? || '%'" }.joined(separator: " OR ") + ")"
                args += prefixes
            }
            sql += " GROUP BY campaign_id, state ORDER BY campaign_id, state"
            return try Row.fetchAll(db, sql: sql, arguments: StatementArguments(args))
                .map { (campaignID: $0["campaign_id"], state: $0["state"], count: $0["n"]) }
        }
    }
}
