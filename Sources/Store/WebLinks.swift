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
    /// The outbox message that carries the link to the team leader, if it was sent by SMS.
    public var outboxID: Int64?

    public init(id: Int64 = 0, tokenHash: String, team: String, date: String, createdAt: Date, revokedAt: Date? = nil, outboxID: Int64? = nil) {
        self.id = id; self.tokenHash = tokenHash; self.team = team; self.date = date; self.createdAt = createdAt; self.revokedAt = revokedAt
        self.outboxID = outboxID
    }
}

/// How claiming an outcome's idempotency key went.
public enum OutcomeKeyClaim: Sendable, Equatable {
    /// First time: the caller records the outcome.
    case claimed
    /// Seen before: the outcome for `visitID` was already recorded (or is being recorded) as `status`.
    case duplicate(visitID: Int64, status: String)
}

/// What asking for a team's link SMS did.
public enum TeamLinkMessageResult: Sendable, Equatable {
    /// A new link and its SMS (outbox row `outboxID`) were written.
    case queued(link: TeamLinkRecord, outboxID: Int64)
    /// A live link of the team for that day already has its SMS: nothing was written.
    case alreadySent(link: TeamLinkRecord, outboxID: Int64, state: OutboxState)
    /// The leader's phone opted out of messages: nothing was written.
    case optedOut
}

/// Tables of the web server: team-day links, outcome idempotency keys, and the server's own secret.
///
/// Created by the "v5-web" migration (`registerWebMigration`). Databases from before it may already hold these
/// tables (they were once made on first use), so the schema says `IF NOT EXISTS` and adds missing columns.
extension CarnationDatabase {
    static let webSchema = """
        CREATE TABLE IF NOT EXISTS team_link (
          id INTEGER PRIMARY KEY,
          token_hash TEXT NOT NULL UNIQUE,
          team TEXT NOT NULL,
          date TEXT NOT NULL,
          created_at REAL NOT NULL,
          revoked_at REAL,
          nonce TEXT,
          outbox_id INTEGER
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

    /// Creates the web tables if they are missing, and adds the columns of links sent by SMS to a table made
    /// before they existed: `nonce` (what the token is derived from until the SMS has left) and `outbox_id`.
    static func registerWebMigration(_ m: inout DatabaseMigrator) {
        m.registerMigration("v5-web") { db in
            try db.execute(sql: CarnationDatabase.webSchema)
            let columns = Set(try Row.fetchAll(db, sql: "PRAGMA table_info(team_link)").map { $0["name"] as String })
            if !columns.contains("nonce") { try db.execute(sql: "ALTER TABLE team_link ADD COLUMN nonce TEXT") }
            if !columns.contains("outbox_id") { try db.execute(sql: "ALTER TABLE team_link ADD COLUMN outbox_id INTEGER") }
            try db.execute(sql: "CREATE INDEX IF NOT EXISTS team_link_outbox ON team_link(outbox_id)")
        }
    }

    /// Saves a new link (its token hash, never the token).
    @discardableResult
    public func addTeamLink(_ link: TeamLinkRecord) throws -> TeamLinkRecord {
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
        return try writer.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM team_link WHERE token_hash = ?", arguments: [tokenHash]).map(CarnationDatabase.teamLink(from:))
        }
    }

    /// Links of one team (on one date, if given), newest first.
    public func teamLinks(team: String, date: String? = nil) throws -> [TeamLinkRecord] {
        return try writer.read { db in
            var sql = "SELECT * FROM team_link WHERE team = ?"
            var args: [any DatabaseValueConvertible] = [team]
            if let date { sql += " AND date = ?"; args.append(date) }
            sql += " ORDER BY id DESC"
            return try Row.fetchAll(db, sql: sql, arguments: StatementArguments(args)).map(CarnationDatabase.teamLink(from:))
        }
    }

    /// Revokes every live link of `team` on `date` (all dates when nil); returns how many. A link's SMS that has
    /// not left yet is withdrawn (cancelled), and what its token was derived from is forgotten.
    @discardableResult
    public func revokeTeamLinks(team: String, date: String?, now: Date) throws -> Int {
        return try writer.write { db in
            var filter = "team = ? AND revoked_at IS NULL"
            var args: [any DatabaseValueConvertible] = [team]
            if let date { filter += " AND date = ?"; args.append(date) }
            let waiting = try Row.fetchAll(db, sql: """
                SELECT id, state FROM outbox WHERE state IN ('queued', 'held')
                  AND id IN (SELECT outbox_id FROM team_link WHERE \(filter))
                """, arguments: StatementArguments(args))
            for row in waiting {
                try CarnationDatabase.moveMessage(db, id: row["id"], from: OutboxState(rawValue: row["state"]) ?? .queued, to: .cancelled, at: now,
                                                  detail: "team link revoked", set: ", reason = ?, final_at = ?",
                                                  arguments: ["team link revoked before it was sent", now.timeIntervalSince1970])
            }
            try db.execute(sql: "UPDATE team_link SET revoked_at = ?, nonce = NULL WHERE \(filter)",
                           arguments: StatementArguments([now.timeIntervalSince1970 as any DatabaseValueConvertible] + args))
            return db.changesCount
        }
    }

    /// In one transaction: unless a live link of `link.team` on `link.date` already has its SMS, saves `link` with the
    /// `nonce` its token is derived from, and writes the SMS `message(n)` into the system campaign `campaign`, where `n`
    /// counts the team's links with an SMS that day (1 for the first; a new one after a revocation is 2…). Running it
    /// twice, even at once from two processes, writes one link and one message.
    public func addTeamLinkMessage(_ link: TeamLinkRecord, nonce: String, message: (Int) -> NewDirectMessage, campaign: String,
                                   createdBy: String, due: Date, now: Date) throws -> TeamLinkMessageResult {
        return try writer.write { db in
            if let row = try Row.fetchOne(db, sql: """
                SELECT l.*, o.state AS outbox_state FROM team_link l JOIN outbox o ON o.id = l.outbox_id
                WHERE l.team = ? AND l.date = ? AND l.revoked_at IS NULL ORDER BY l.id DESC LIMIT 1
                """, arguments: [link.team, link.date]) {
                return .alreadySent(link: CarnationDatabase.teamLink(from: row), outboxID: row["outbox_id"],
                                    state: OutboxState(rawValue: row["outbox_state"]) ?? .queued)
            }
            let earlier = try Int.fetchOne(db, sql: "SELECT count(*) FROM team_link WHERE team = ? AND date = ? AND outbox_id IS NOT NULL",
                                           arguments: [link.team, link.date]) ?? 0
            let outboxID: Int64
            switch try CarnationDatabase.enqueueDirect(db, message(earlier + 1), campaign: campaign, createdBy: createdBy, due: due, now: now) {
            case .optedOut: return .optedOut
            case let .alreadyThere(id, state):
                // The key is taken by a message whose link is gone (deleted by hand): report it rather than write twice.
                return .alreadySent(link: link, outboxID: id, state: state)
            case let .written(id): outboxID = id
            }
            try db.execute(sql: "INSERT INTO team_link (token_hash, team, date, created_at, revoked_at, nonce, outbox_id) VALUES (?, ?, ?, ?, NULL, ?, ?)",
                           arguments: [link.tokenHash, link.team, link.date, link.createdAt.timeIntervalSince1970, nonce, outboxID])
            var saved = link
            saved.id = db.lastInsertedRowID
            saved.outboxID = outboxID
            return .queued(link: saved, outboxID: outboxID)
        }
    }

    /// The link an outbox message carries, and the nonce its token is derived from (nil once the SMS has left or the
    /// link was revoked); nil when the message carries no link.
    public func teamLinkSecret(outboxID: Int64) throws -> (link: TeamLinkRecord, nonce: String?)? {
        return try writer.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM team_link WHERE outbox_id = ?", arguments: [outboxID]).map {
                (CarnationDatabase.teamLink(from: $0), $0["nonce"] as String?)
            }
        }
    }

    /// Forgets the nonces of links whose SMS can no longer be sent again (taken by the gateway, or settled); only a
    /// message still waiting or being sent needs its token derived. Returns how many were forgotten.
    @discardableResult
    public func forgetSettledTeamLinkNonces() throws -> Int {
        return try writer.write { db in
            try db.execute(sql: """
                UPDATE team_link SET nonce = NULL WHERE nonce IS NOT NULL
                  AND outbox_id IN (SELECT id FROM outbox WHERE state NOT IN ('queued', 'held', 'sending'))
                """)
            return db.changesCount
        }
    }

    /// Forgets the nonce of the link an outbox message carries (once the gateway took the SMS, nothing needs the token again).
    public func forgetTeamLinkNonce(outboxID: Int64) throws {
        try writer.write { db in try db.execute(sql: "UPDATE team_link SET nonce = NULL WHERE outbox_id = ?", arguments: [outboxID]) }
    }

    static func teamLink(from row: Row) -> TeamLinkRecord {
        TeamLinkRecord(id: row["id"], tokenHash: row["token_hash"], team: row["team"], date: row["date"],
                       createdAt: Date(timeIntervalSince1970: row["created_at"]),
                       revokedAt: (row["revoked_at"] as Double?).map(Date.init(timeIntervalSince1970:)),
                       outboxID: row["outbox_id"])
    }

    /// Claims an outcome's idempotency key (client-generated). The first claim wins; later ones learn what it was.
    public func claimOutcomeKey(_ key: String, visitID: Int64, team: String, status: String, now: Date) throws -> OutcomeKeyClaim {
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
