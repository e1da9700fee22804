import Foundation
import GRDB

/// A message to one recipient who is not a resident (a team leader), outside any campaign's audience.
///
/// It goes through the same outbox, dispatcher, quiet hours and gateways as campaign messages. It belongs to a
/// system campaign (e.g. `team-links-2026-12-01`) that needs no approval, and it has no `outbox_member` rows, so it
/// never counts as a resident reached or unreached.
public struct NewDirectMessage: Sendable, Equatable {
    /// Who it is for, e.g. `team:龙泉队#1`; stored in the outbox's recipient column (not a resident ID). One message per
    /// recipient in a campaign.
    public var recipient: String
    /// Unique across the outbox: writing the same key twice writes one message.
    public var idempotencyKey: String
    public var phone: String
    /// Area-code prefix for quiet-hour overrides and the coordinators' area scoping.
    public var areaCode: String?
    /// The full text, signature included (it may hold a placeholder that a gateway fills in at send time).
    public var body: String
    public var segments: Int
    /// Not sent by then: expired.
    public var notAfter: Date?

    public init(recipient: String, idempotencyKey: String, phone: String, areaCode: String?, body: String, segments: Int, notAfter: Date?) {
        self.recipient = recipient; self.idempotencyKey = idempotencyKey; self.phone = phone; self.areaCode = areaCode
        self.body = body; self.segments = segments; self.notAfter = notAfter
    }
}

/// What writing a direct message did.
public enum DirectEnqueue: Sendable, Equatable {
    /// Written as outbox row `id`.
    case written(id: Int64)
    /// A message with the same idempotency key is already there (nothing written).
    case alreadyThere(id: Int64, state: OutboxState)
    /// The phone asked for no more messages (nothing written).
    case optedOut
}

/// Why a direct message cannot be written.
public enum DirectMessageError: Error, Equatable, CustomStringConvertible {
    case campaignCancelled(String)
    case recipientTaken(campaign: String, recipient: String)

    public var description: String {
        switch self {
        case let .recipientTaken(campaign, recipient):
            return "campaign '\(campaign)' already has a message for \(recipient) under another key; give each message of a campaign its own recipient"
        case let .campaignCancelled(name):
            return "campaign '\(name)' was cancelled, so nothing more is written to it; its messages are withdrawn. Send on another day or ask an administrator"
        }
    }
}

extension CarnationDatabase {
    /// The explainer column of a system campaign (it has no explainer and no audience).
    public static let directExplainer = "(direct)"

    /// Writes `message` into the system campaign `campaign` (created, or set sending again, as needed), in one
    /// transaction. A paused system campaign keeps its new message waiting; a cancelled one refuses it.
    public func enqueueDirect(_ message: NewDirectMessage, campaign: String, createdBy: String, due: Date, now: Date) throws -> DirectEnqueue {
        try writer.write { db in try CarnationDatabase.enqueueDirect(db, message, campaign: campaign, createdBy: createdBy, due: due, now: now) }
    }

    static func enqueueDirect(_ db: Database, _ m: NewDirectMessage, campaign: String, createdBy: String, due: Date, now: Date) throws -> DirectEnqueue {
        if let row = try Row.fetchOne(db, sql: "SELECT id, state FROM outbox WHERE idempotency_key = ?", arguments: [m.idempotencyKey]) {
            return .alreadyThere(id: row["id"], state: OutboxState(rawValue: row["state"]) ?? .queued)
        }
        if try Bool.fetchOne(db, sql: "SELECT 1 FROM opt_out WHERE phone = ?", arguments: [m.phone]) ?? false { return .optedOut }
        let t = now.timeIntervalSince1970
        let campaignID: Int64
        if let row = try Row.fetchOne(db, sql: "SELECT id, state FROM campaign WHERE name = ?", arguments: [campaign]) {
            campaignID = row["id"]
            switch CampaignState(rawValue: row["state"]) ?? .draft {
            case .cancelled: throw DirectMessageError.campaignCancelled(campaign)
            case .paused, .sending: break
            case .draft, .approved, .finished:
                try db.execute(sql: "UPDATE campaign SET state = 'sending', updated_at = ? WHERE id = ?", arguments: [t, campaignID])
            }
        } else {
            // A system campaign: no explainer, no audience filter, no approval (it writes to staff, one message at a time).
            try db.execute(sql: """
                INSERT INTO campaign (name, explainer, audience, channels, not_before, not_after, state, created_by, created_at, approved_by, approved_at, planned, updated_at)
                VALUES (?, ?, '{"direct":true}', 'sms', NULL, NULL, 'sending', ?, ?, ?, ?, NULL, ?)
                """, arguments: [campaign, CarnationDatabase.directExplainer, createdBy, t, createdBy, t, t])
            campaignID = db.lastInsertedRowID
        }
        if try Bool.fetchOne(db, sql: "SELECT 1 FROM outbox WHERE campaign_id = ? AND resident_id = ? AND channel = 'sms'",
                             arguments: [campaignID, m.recipient]) ?? false {
            throw DirectMessageError.recipientTaken(campaign: campaign, recipient: m.recipient)
        }
        try db.execute(sql: """
            INSERT INTO outbox (campaign_id, resident_id, channel, idempotency_key, phone, area_code, body, segments, template,
                                state, attempts, due_at, not_after, created_at, updated_at)
            VALUES (?, ?, 'sms', ?, ?, ?, ?, ?, NULL, 'queued', 0, ?, ?, ?, ?)
            """, arguments: [campaignID, m.recipient, m.idempotencyKey, m.phone, m.areaCode, m.body, m.segments,
                             due.timeIntervalSince1970, m.notAfter?.timeIntervalSince1970, t, t])
        let id = db.lastInsertedRowID
        try db.execute(sql: "INSERT INTO outbox_event (outbox_id, at, from_state, to_state, detail) VALUES (?, ?, NULL, 'queued', ?)",
                       arguments: [id, t, "direct message in \(campaign)"])
        return .written(id: id)
    }
}
