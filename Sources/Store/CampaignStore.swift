import Foundation
import GRDB

/// Where a campaign is: written (`draft`), `approved`, `sending`, `paused`, `cancelled`, or `finished`.
public enum CampaignState: String, Sendable, Codable, CaseIterable {
    case draft
    case approved
    case sending
    case paused
    case cancelled
    case finished
}

/// A campaign as stored. The audience is kept as the JSON its owner (Outreach) wrote.
public struct CampaignRecord: Sendable, Equatable {
    public var id: Int64
    public var name: String
    public var explainer: String
    public var audienceJSON: String
    public var channels: [OutboxChannel]
    public var notBefore: Date?
    public var notAfter: Date?
    public var state: CampaignState
    public var createdBy: String
    public var createdAt: Date
    public var approvedBy: String?
    public var approvedAt: Date?
    /// Messages counted by the last preview or approval.
    public var planned: Int?

    public init(id: Int64 = 0, name: String, explainer: String, audienceJSON: String, channels: [OutboxChannel],
                notBefore: Date?, notAfter: Date?, state: CampaignState = .draft, createdBy: String, createdAt: Date,
                approvedBy: String? = nil, approvedAt: Date? = nil, planned: Int? = nil) {
        self.id = id
        self.name = name
        self.explainer = explainer
        self.audienceJSON = audienceJSON
        self.channels = channels
        self.notBefore = notBefore
        self.notAfter = notAfter
        self.state = state
        self.createdBy = createdBy
        self.createdAt = createdAt
        self.approvedBy = approvedBy
        self.approvedAt = approvedAt
        self.planned = planned
    }

    init(row: Row) {
        id = row["id"]
        name = row["name"]
        explainer = row["explainer"]
        audienceJSON = row["audience"]
        channels = (row["channels"] as String).split(separator: ",").compactMap { OutboxChannel(rawValue: String($0)) }
        notBefore = (row["not_before"] as Double?).map(Date.init(timeIntervalSince1970:))
        notAfter = (row["not_after"] as Double?).map(Date.init(timeIntervalSince1970:))
        state = CampaignState(rawValue: row["state"]) ?? .draft
        createdBy = row["created_by"]
        createdAt = Date(timeIntervalSince1970: row["created_at"])
        approvedBy = row["approved_by"]
        approvedAt = (row["approved_at"] as Double?).map(Date.init(timeIntervalSince1970:))
        planned = row["planned"]
    }
}

/// A campaign's messages by state, with failures grouped by reason.
public struct CampaignCounts: Sendable, Equatable, Codable {
    public var byState: [String: Int]
    public var byChannel: [String: Int]
    public var failuresByReason: [String: Int]
    /// The earliest time a held message is released.
    public var heldUntil: Date?
    /// Why the first held messages are held.
    public var heldReason: String?
    /// Messages that left the outbox (accepted, unknown or beyond) in the last `window` seconds.
    public var recentlySent: Int
    /// When the first of those left.
    public var recentSince: Date?
    public var total: Int { byState.values.reduce(0, +) }
    public func count(_ s: OutboxState) -> Int { byState[s.rawValue] ?? 0 }
}

/// Errors about campaigns, each naming the fix.
public enum CampaignStoreError: Error, Equatable, CustomStringConvertible {
    case duplicateName(String)
    case notFound(String, known: [String])

    public var description: String {
        switch self {
        case let .duplicateName(n): return "a campaign named '\(n)' already exists; choose another name or look at it with `carnation campaign status \(n)`"
        case let .notFound(n, known):
            return "no campaign named '\(n)'\(known.isEmpty ? "; create one with `carnation campaign create`" : "; known: \(known.joined(separator: ", "))")"
        }
    }
}

extension CarnationDatabase {
    /// Stores a new campaign in `draft`; its name must be new.
    public func createCampaign(_ c: CampaignRecord) throws -> CampaignRecord {
        try writer.write { db in
            if try Bool.fetchOne(db, sql: "SELECT 1 FROM campaign WHERE name = ?", arguments: [c.name]) ?? false {
                throw CampaignStoreError.duplicateName(c.name)
            }
            try db.execute(sql: """
                INSERT INTO campaign (name, explainer, audience, channels, not_before, not_after, state, created_by, created_at, planned, updated_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [c.name, c.explainer, c.audienceJSON, c.channels.map(\.rawValue).joined(separator: ","),
                                 c.notBefore?.timeIntervalSince1970, c.notAfter?.timeIntervalSince1970, c.state.rawValue,
                                 c.createdBy, c.createdAt.timeIntervalSince1970, c.planned, c.createdAt.timeIntervalSince1970])
            var out = c
            out.id = db.lastInsertedRowID
            return out
        }
    }

    /// The campaign called `name`, or an error listing the known ones.
    public func campaign(named name: String) throws -> CampaignRecord {
        try writer.read { db in
            if let row = try Row.fetchOne(db, sql: "SELECT * FROM campaign WHERE name = ?", arguments: [name]) { return CampaignRecord(row: row) }
            throw CampaignStoreError.notFound(name, known: try String.fetchAll(db, sql: "SELECT name FROM campaign ORDER BY id DESC LIMIT 10"))
        }
    }

    /// Every campaign, newest first.
    public func campaigns() throws -> [CampaignRecord] {
        try writer.read { db in try Row.fetchAll(db, sql: "SELECT * FROM campaign ORDER BY id DESC").map(CampaignRecord.init(row:)) }
    }

    /// Sets a campaign's state (the use case checks the move is allowed). Cancelling withdraws every
    /// message not yet handed to a gateway.
    public func setCampaignState(_ id: Int64, to state: CampaignState, now: Date, approvedBy: String? = nil, planned: Int? = nil) throws {
        try writer.write { db in
            let t = now.timeIntervalSince1970
            try db.execute(sql: """
                UPDATE campaign SET state = ?, updated_at = ?, approved_by = coalesce(?, approved_by),
                  approved_at = CASE WHEN ? IS NULL THEN approved_at ELSE ? END, planned = coalesce(?, planned) WHERE id = ?
                """, arguments: [state.rawValue, t, approvedBy, approvedBy, t, planned, id])
            if state == .cancelled {
                let rows = try Row.fetchAll(db, sql: "SELECT id, state FROM outbox WHERE campaign_id = ? AND state IN ('queued', 'held')", arguments: [id])
                for row in rows {
                    try CarnationDatabase.moveMessage(db, id: row["id"], from: OutboxState(rawValue: row["state"]) ?? .queued, to: .cancelled,
                                                      at: now, detail: "campaign cancelled", set: ", reason = ?, final_at = ?",
                                                      arguments: ["campaign cancelled", t])
                }
            }
        }
    }

    /// Counts of a campaign's messages.
    public func campaignCounts(_ id: Int64, now: Date, window: Double = 60) throws -> CampaignCounts {
        try writer.read { db in
            var byState: [String: Int] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT state, count(*) AS n FROM outbox WHERE campaign_id = ? GROUP BY state", arguments: [id]) {
                byState[row["state"]] = row["n"]
            }
            var byChannel: [String: Int] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT channel, count(*) AS n FROM outbox WHERE campaign_id = ? GROUP BY channel", arguments: [id]) {
                byChannel[row["channel"]] = row["n"]
            }
            var failures: [String: Int] = [:]
            for row in try Row.fetchAll(db, sql: """
                SELECT coalesce(reason, state) AS reason, count(*) AS n FROM outbox
                WHERE campaign_id = ? AND state IN ('failed', 'expired', 'unknown', 'cancelled') GROUP BY 1
                """, arguments: [id]) {
                failures[row["reason"]] = row["n"]
            }
            let held = try Row.fetchOne(db, sql: "SELECT due_at, reason FROM outbox WHERE campaign_id = ? AND state = 'held' ORDER BY due_at LIMIT 1", arguments: [id])
            let recentRow = try Row.fetchOne(db, sql: "SELECT count(*) AS n, min(sent_at) AS since FROM outbox WHERE campaign_id = ? AND sent_at >= ?",
                                             arguments: [id, now.timeIntervalSince1970 - window])
            let recent: Int = recentRow?["n"] ?? 0
            return CampaignCounts(byState: byState, byChannel: byChannel, failuresByReason: failures,
                                  heldUntil: (held?["due_at"] as Double?).map(Date.init(timeIntervalSince1970:)),
                                  heldReason: held?["reason"], recentlySent: recent,
                                  recentSince: (recentRow?["since"] as Double?).map(Date.init(timeIntervalSince1970:)))
        }
    }

    /// Marks sending campaigns with nothing left to send or confirm as finished; returns their names.
    @discardableResult
    public func finishDrainedCampaigns(now: Date) throws -> [String] {
        try writer.write { db in
            let names = try String.fetchAll(db, sql: """
                SELECT name FROM campaign c WHERE state = 'sending'
                AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.campaign_id = c.id AND o.state IN ('queued', 'held', 'sending'))
                AND EXISTS (SELECT 1 FROM outbox o WHERE o.campaign_id = c.id)
                """)
            for n in names {
                try db.execute(sql: "UPDATE campaign SET state = 'finished', updated_at = ? WHERE name = ?", arguments: [now.timeIntervalSince1970, n])
            }
            return names
        }
    }
}

/// A resident a campaign did not reach (failed or expired): the visits plan turns these into visits.
public struct UnreachedResident: Sendable, Equatable {
    public var residentID: String
    public var campaign: String
    public var channel: OutboxChannel
    public var state: OutboxState
    public var reason: String
    public var at: Date
}

extension CarnationDatabase {
    /// Residents (every member of a merged message) whose message failed or expired since `since`. Messages to a
    /// phone that opted out are left out: the resident asked for no messages, and a provider's refusal is that wish kept.
    /// (Withdrawn messages – opted out while waiting, campaign cancelled – are `cancelled`, never here.)
    public func unreachedResidents(since: Date) throws -> [UnreachedResident] {
        try writer.read { db in
            try Row.fetchAll(db, sql: """
                SELECT m.resident_id, c.name, o.channel, o.state, coalesce(o.reason, o.state) AS reason, o.final_at
                FROM outbox o JOIN outbox_member m ON m.outbox_id = o.id JOIN campaign c ON c.id = o.campaign_id
                WHERE o.state IN ('failed', 'expired') AND o.final_at >= ?
                  AND NOT EXISTS (SELECT 1 FROM opt_out p WHERE p.phone = o.phone)
                ORDER BY o.final_at, m.resident_id
                """, arguments: [since.timeIntervalSince1970]).map { row in
                UnreachedResident(residentID: row[0], campaign: row[1], channel: OutboxChannel(rawValue: row[2]) ?? .sms,
                                  state: OutboxState(rawValue: row[3]) ?? .failed, reason: row[4], at: Date(timeIntervalSince1970: row[5]))
            }
        }
    }

    /// When `phone` may receive again under a cap of `messages` per `window` seconds: the moment the
    /// cap-th most recent send leaves the window (nil if the phone is under the cap).
    public func capRelease(phone: String, messages: Int, window: Double, now: Date) throws -> Date? {
        try writer.read { db in
            try Double.fetchOne(db, sql: """
                SELECT sent_at FROM outbox WHERE phone = ? AND sent_at >= ? AND state IN ('accepted', 'delivered', 'unknown', 'expired')
                ORDER BY sent_at DESC LIMIT 1 OFFSET ?
                """, arguments: [phone, now.timeIntervalSince1970 - window, messages - 1]).map { Date(timeIntervalSince1970: $0 + window) }
        }
    }
}
