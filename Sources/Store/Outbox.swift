import Foundation
import GRDB

/// Where one outbox message is in its life. Every move is written (with an `outbox_event`) before
/// the effect it announces: a message is `sending` on disk before the gateway is called.
public enum OutboxState: String, Sendable, Codable, CaseIterable {
    /// Written, waiting for the dispatcher.
    case queued
    /// Waiting for quiet hours to end or a per-phone cap to free up (`due_at` says until when).
    case held
    /// Claimed by a dispatcher, which may be calling the gateway now.
    case sending
    /// The gateway took it; waiting for a delivery report.
    case accepted
    /// The handset got it (final).
    case delivered
    /// It will not arrive: rejected, undelivered, or gave up after retries (final).
    case failed
    /// No final report came within the configured time, or the campaign window closed first (final).
    case expired
    /// The send may or may not have reached the gateway; settled by a delivery report or expiry, never resent.
    case unknown
    /// Withdrawn before it was sent (campaign cancelled, phone opted out) (final).
    case cancelled

    /// No later event changes a final state, except that a late delivery report can settle an expired message.
    public var isFinal: Bool { [.delivered, .failed, .expired, .cancelled].contains(self) }

    /// The moves the state machine allows.
    public func canMove(to next: OutboxState) -> Bool {
        switch (self, next) {
        case (.queued, .held), (.queued, .sending), (.queued, .cancelled), (.queued, .expired), (.queued, .failed): return true
        case (.held, .queued), (.held, .sending), (.held, .cancelled), (.held, .expired), (.held, .held), (.held, .failed): return true
        // After a claim: the gateway's answer, a retry (back to queued), a hold found at claim time,
        // or unknown (crash or an answer that may hide a send).
        case (.sending, .accepted), (.sending, .queued), (.sending, .held), (.sending, .failed),
             (.sending, .unknown), (.sending, .expired), (.sending, .cancelled), (.sending, .delivered): return true
        case (.accepted, .delivered), (.accepted, .failed), (.accepted, .expired): return true
        case (.unknown, .accepted), (.unknown, .delivered), (.unknown, .failed), (.unknown, .expired): return true
        // The truth from the handset beats our timeout.
        case (.expired, .delivered), (.expired, .failed): return true
        default: return false
        }
    }

    public var chinese: String {
        switch self {
        case .queued: return "排队"
        case .held: return "暂缓"
        case .sending: return "发送中"
        case .accepted: return "已提交"
        case .delivered: return "已送达"
        case .failed: return "失败"
        case .expired: return "超时"
        case .unknown: return "待确认"
        case .cancelled: return "已取消"
        }
    }
}

/// The channel a message goes out on.
public enum OutboxChannel: String, Sendable, Codable, CaseIterable {
    case sms
    case voice
}

/// A message to write into the outbox: one per phone and channel, naming one or more residents.
public struct NewOutboxMessage: Sendable, Equatable {
    /// The resident the idempotency key is made from (the first of `members`).
    public var residentID: String
    /// Every resident the message speaks to (several when they share a phone).
    public var members: [String]
    public var channel: OutboxChannel
    public var phone: String
    public var areaCode: String?
    /// The full text (SMS, signature included) or the voice script.
    public var body: String
    public var segments: Int
    /// Provider template code and parameters as JSON, when the explainer has one.
    public var templateJSON: String?

    public init(residentID: String, members: [String], channel: OutboxChannel, phone: String, areaCode: String?,
                body: String, segments: Int, templateJSON: String? = nil) {
        self.residentID = residentID
        self.members = members
        self.channel = channel
        self.phone = phone
        self.areaCode = areaCode
        self.body = body
        self.segments = segments
        self.templateJSON = templateJSON
    }
}

/// A message as stored.
public struct OutboxMessage: Sendable, Equatable {
    public var id: Int64
    public var campaignID: Int64
    public var residentID: String
    public var channel: OutboxChannel
    public var idempotencyKey: String
    public var phone: String
    public var areaCode: String?
    public var body: String
    public var segments: Int
    public var templateJSON: String?
    public var state: OutboxState
    public var attempts: Int
    public var dueAt: Date
    public var notAfter: Date?
    public var gateway: String?
    public var gatewayMessageID: String?
    public var deliveryStatus: String?
    public var reason: String?
    public var sentAt: Date?

    static let columns = "id, campaign_id, resident_id, channel, idempotency_key, phone, area_code, body, segments, template, state, attempts, due_at, not_after, gateway, gateway_message_id, delivery_status, reason, sent_at"

    /// `columns` prefixed with the `o.` alias (for joins).
    static let aliasedColumns = columns.split(separator: ",").map { "o." + $0.trimmingCharacters(in: .whitespaces) }.joined(separator: ", ")

    /// A row selected with `columns`, in that order (read by position: the dispatcher reads one per message).
    init(row: Row) throws {
        id = row[0]
        campaignID = row[1]
        residentID = row[2]
        guard let c = OutboxChannel(rawValue: row[3]), let s = OutboxState(rawValue: row[10]) else {
            throw StoreError.query("outbox row \(row[0] as Int64? ?? -1) has an unknown channel or state")
        }
        channel = c
        state = s
        idempotencyKey = row[4]
        phone = row[5]
        areaCode = row[6]
        body = row[7]
        segments = row[8]
        templateJSON = row[9]
        attempts = row[11]
        dueAt = Date(timeIntervalSince1970: row[12])
        notAfter = (row[13] as Double?).map(Date.init(timeIntervalSince1970:))
        gateway = row[14]
        gatewayMessageID = row[15]
        deliveryStatus = row[16]
        reason = row[17]
        sentAt = (row[18] as Double?).map(Date.init(timeIntervalSince1970:))
    }
}

/// What the dispatcher learned about a claimed message; each becomes one durable transition.
public enum OutboxOutcome: Sendable, Equatable {
    /// The gateway took it.
    case accepted(id: Int64, gateway: String, gatewayMessageID: String?)
    /// Not sent; try again at `due` (a retryable error, or a gateway that deduplicates after a crash).
    case retry(id: Int64, due: Date, reason: String)
    /// Not sent now: quiet hours or the per-phone cap; released at `until`.
    case held(id: Int64, until: Date, reason: String)
    /// Will not be sent.
    case failed(id: Int64, reason: String)
    /// May have been sent; wait for a delivery report.
    case unknown(id: Int64, gateway: String, reason: String)
    /// The campaign window closed before it could go.
    case expired(id: Int64, reason: String)

    public var id: Int64 {
        switch self {
        case let .accepted(id, _, _), let .retry(id, _, _), let .held(id, _, _), let .failed(id, _), let .unknown(id, _, _), let .expired(id, _): return id
        }
    }
}

/// How a delivery report left its message.
public enum DeliveryReportEffect: Sendable, Equatable {
    /// The message moved (or its delivery status advanced) to `state`.
    case applied(state: OutboxState)
    /// Already final: the same report twice, or a late one; nothing changed.
    case alreadyFinal(state: OutboxState)
    /// No such message: recorded, nothing else.
    case unknownMessage
}

/// A delivery report as the store keeps it: every report is kept, also one for a message it does not know.
public struct RecordedDeliveryReport: Sendable, Equatable {
    public var gateway: String
    public var status: String
    public var detail: String
    /// What it did (`DeliveryReportEffect`, as text).
    public var effect: String
}

/// What a delivery report means for the outbox, in the store's terms (the Messaging module maps
/// Kannel and provider reports onto this).
public enum DeliveryReportKind: Sendable, Equatable {
    /// Not final (accepted by the SMSC, buffered…): proves the gateway took the message.
    case progress
    case delivered
    case failed
}

/// Errors of outbox operations, each naming the fix.
public enum OutboxError: Error, Equatable, CustomStringConvertible {
    case illegalTransition(id: Int64, from: OutboxState, to: OutboxState)

    public var description: String {
        switch self {
        case let .illegalTransition(id, from, to):
            return "outbox message \(id) cannot move from \(from.rawValue) to \(to.rawValue); this is a bug in the dispatcher, please report it with the message id"
        }
    }
}

extension CarnationDatabase {
    /// The idempotency key of (campaign, resident, channel).
    public static func idempotencyKey(campaignID: Int64, residentID: String, channel: OutboxChannel) -> String {
        "c\(campaignID)-\(residentID)-\(channel.rawValue)"
    }

    static func moveMessage(_ db: Database, id: Int64, from: OutboxState, to: OutboxState, at now: Date, detail: String,
                            set extra: String = "", arguments extraArgs: StatementArguments = []) throws {
        guard from.canMove(to: to) else { throw OutboxError.illegalTransition(id: id, from: from, to: to) }
        let t = now.timeIntervalSince1970
        // Cached statements: the dispatcher makes two of these per message.
        try db.cachedStatement(sql: "UPDATE outbox SET state = ?, updated_at = ?\(extra) WHERE id = ?")
            .execute(arguments: [to.rawValue, t] + extraArgs + [id])
        try insertEvent(db, id: id, at: t, from: from, to: to, detail: detail)
    }

    /// Moves a message out of `sending` only if it is still leased to `owner` (checked by the UPDATE itself);
    /// the event is written only when the row moved. Returns whether it moved.
    static func moveLeasedMessage(_ db: Database, id: Int64, owner: String, to: OutboxState, at now: Date, detail: String,
                                  set extra: String, arguments extraArgs: StatementArguments) throws -> Bool {
        guard OutboxState.sending.canMove(to: to) else { throw OutboxError.illegalTransition(id: id, from: .sending, to: to) }
        let t = now.timeIntervalSince1970
        try db.cachedStatement(sql: "UPDATE outbox SET state = ?, updated_at = ?\(extra) WHERE id = ? AND state = 'sending' AND lease_owner = ?")
            .execute(arguments: [to.rawValue, t] + extraArgs + [id, owner])
        guard db.changesCount == 1 else { return false }
        try insertEvent(db, id: id, at: t, from: .sending, to: to, detail: detail)
        return true
    }

    private static func insertEvent(_ db: Database, id: Int64, at t: Double, from: OutboxState, to: OutboxState, detail: String) throws {
        try db.cachedStatement(sql: "INSERT INTO outbox_event (outbox_id, at, from_state, to_state, detail) VALUES (?, ?, ?, ?, ?)")
            .execute(arguments: [id, t, from.rawValue, to.rawValue, detail])
    }

    /// Writes `messages` for a campaign in one transaction. A message whose residents (any of its
    /// members) already have a row for this campaign and channel is skipped, so running `send` twice
    /// writes each message once. Returns how many were written and skipped.
    public func enqueue(campaignID: Int64, _ messages: [NewOutboxMessage], due: Date, notAfter: Date?, now: Date) throws -> (written: Int, skipped: Int) {
        try writer.write { db in
            let member = try db.makeStatement(sql: "SELECT 1 FROM outbox_member WHERE campaign_id = ? AND resident_id = ? AND channel = ?")
            let insert = try db.makeStatement(sql: """
                INSERT INTO outbox (campaign_id, resident_id, channel, idempotency_key, phone, area_code, body, segments, template,
                                    state, attempts, due_at, not_after, created_at, updated_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'queued', 0, ?, ?, ?, ?)
                """)
            let addMember = try db.makeStatement(sql: "INSERT INTO outbox_member (campaign_id, resident_id, channel, outbox_id) VALUES (?, ?, ?, ?)")
            let event = try db.makeStatement(sql: "INSERT INTO outbox_event (outbox_id, at, from_state, to_state, detail) VALUES (?, ?, NULL, 'queued', ?)")
            let optedOut = try db.makeStatement(sql: "SELECT 1 FROM opt_out WHERE phone = ?")
            var written = 0, skipped = 0
            let t = now.timeIntervalSince1970
            for m in messages {
                var taken = false
                for r in m.members where try Bool.fetchOne(member, arguments: [campaignID, r, m.channel.rawValue]) ?? false { taken = true }
                if !taken { taken = try Bool.fetchOne(optedOut, arguments: [m.phone]) ?? false }
                if taken { skipped += 1; continue }
                let key = CarnationDatabase.idempotencyKey(campaignID: campaignID, residentID: m.residentID, channel: m.channel)
                try insert.execute(arguments: [campaignID, m.residentID, m.channel.rawValue, key, m.phone, m.areaCode, m.body, m.segments,
                                               m.templateJSON, due.timeIntervalSince1970, notAfter?.timeIntervalSince1970, t, t])
                let id = db.lastInsertedRowID
                for r in m.members { try addMember.execute(arguments: [campaignID, r, m.channel.rawValue, id]) }
                try event.execute(arguments: [id, t, "written by campaign \(campaignID)"])
                written += 1
            }
            return (written, skipped)
        }
    }

    /// Claims up to `limit` due messages of campaigns that are sending: each becomes `sending` under
    /// `owner`'s lease, durably, before it is returned. Nothing is returned twice while the lease holds.
    public func claimDue(now: Date, limit: Int, leaseSeconds: Double, owner: String, channels: [OutboxChannel] = OutboxChannel.allCases) throws -> [OutboxMessage] {
        try writer.write { db in try Self.claim(db, now: now, limit: limit, leaseSeconds: leaseSeconds, owner: owner, channels: channels) }
    }

    /// Records what happened to claimed messages, in one transaction. An outcome for a message that
    /// is no longer `sending` under `owner` (its lease was taken over) is ignored and counted.
    @discardableResult
    public func record(_ outcomes: [OutboxOutcome], owner: String, now: Date) throws -> Int {
        guard !outcomes.isEmpty else { return 0 }
        return try writer.write { db in try Self.record(db, outcomes, owner: owner, now: now) }
    }

    /// `record` then `claimDue`, in one transaction: one commit where a dispatcher that keeps its gateway busy
    /// would make two. Returns the ignored outcomes and the claimed messages.
    public func recordAndClaim(_ outcomes: [OutboxOutcome], owner: String, now: Date, limit: Int, leaseSeconds: Double,
                               channels: [OutboxChannel] = OutboxChannel.allCases) throws -> (ignored: Int, claimed: [OutboxMessage]) {
        try writer.write { db in
            let ignored = try Self.record(db, outcomes, owner: owner, now: now)
            return (ignored, try Self.claim(db, now: now, limit: limit, leaseSeconds: leaseSeconds, owner: owner, channels: channels))
        }
    }

    private static func claim(_ db: Database, now: Date, limit: Int, leaseSeconds: Double, owner: String, channels: [OutboxChannel]) throws -> [OutboxMessage] {
        let t = now.timeIntervalSince1970
        // One state at a time, so the (state, due_at) index gives the order without sorting every waiting row.
        var rows: [Row] = []
        for state in [OutboxState.queued, .held] where rows.count < limit {
            rows += try Row.fetchAll(db.cachedStatement(sql: """
                SELECT \(OutboxMessage.aliasedColumns)
                FROM outbox o JOIN campaign c ON c.id = o.campaign_id
                WHERE o.state = ? AND o.due_at <= ? AND c.state = 'sending'
                  AND o.channel IN (\(channels.map { "'\($0.rawValue)'" }.joined(separator: ",")))
                ORDER BY o.due_at, o.id LIMIT ?
                """), arguments: [state.rawValue, t, limit - rows.count])
        }
        var out: [OutboxMessage] = []
        out.reserveCapacity(rows.count)
        let detail = "claimed by \(owner)"
        for row in rows {
            var m = try OutboxMessage(row: row)
            try moveMessage(db, id: m.id, from: m.state, to: .sending, at: now, detail: detail,
                            set: ", lease_until = ?, lease_owner = ?, attempts = attempts + 1", arguments: [t + leaseSeconds, owner])
            m.state = .sending
            m.attempts += 1
            out.append(m)
        }
        return out
    }

    private static func record(_ db: Database, _ outcomes: [OutboxOutcome], owner: String, now: Date) throws -> Int {
        var ignored = 0
        let t = now.timeIntervalSince1970
        func move(_ id: Int64, to state: OutboxState, detail: String, set extra: String, _ arguments: StatementArguments) throws {
            if try !moveLeasedMessage(db, id: id, owner: owner, to: state, at: now, detail: detail, set: extra, arguments: arguments) {
                ignored += 1
            }
        }
        for o in outcomes {
            switch o {
            case let .accepted(id, gateway, gid):
                try move(id, to: .accepted, detail: "accepted by \(gateway)\(gid.map { " as \($0)" } ?? "")",
                         set: ", gateway = ?, gateway_message_id = ?, sent_at = ?, lease_until = NULL, reason = NULL", [gateway, gid, t])
            case let .retry(id, due, reason):
                try move(id, to: .queued, detail: reason, set: ", due_at = ?, reason = ?, lease_until = NULL", [due.timeIntervalSince1970, reason])
            case let .held(id, until, reason):
                try move(id, to: .held, detail: reason, set: ", due_at = ?, reason = ?, lease_until = NULL, attempts = attempts - 1",
                         [until.timeIntervalSince1970, reason])
            case let .failed(id, reason):
                try move(id, to: .failed, detail: reason, set: ", reason = ?, final_at = ?, lease_until = NULL", [reason, t])
            case let .unknown(id, gateway, reason):
                try move(id, to: .unknown, detail: reason, set: ", gateway = ?, reason = ?, sent_at = ?, lease_until = NULL", [gateway, reason, t])
            case let .expired(id, reason):
                try move(id, to: .expired, detail: reason, set: ", reason = ?, final_at = ?, lease_until = NULL", [reason, t])
            }
        }
        return ignored
    }

    /// Settles messages whose dispatcher died mid-send (lease ended while `sending`). For gateways in
    /// `resendable` (they deduplicate by idempotency key) the message is queued again; for any other
    /// the send may have happened, so it becomes `unknown` and waits for a delivery report.
    @discardableResult
    public func recoverAbandonedSends(now: Date, resendable: Set<String>, gatewayFor: (OutboxChannel) -> String) throws -> (requeued: Int, unknown: Int) {
        try writer.write { db in
            let rows = try Row.fetchAll(db, sql: "SELECT id, channel, lease_owner FROM outbox WHERE state = 'sending' AND lease_until < ?",
                                        arguments: [now.timeIntervalSince1970])
            var requeued = 0, unknown = 0
            for row in rows {
                let id: Int64 = row["id"]
                let channel = OutboxChannel(rawValue: row["channel"]) ?? .sms
                let gateway = gatewayFor(channel)
                let owner: String = row["lease_owner"] ?? "?"
                if resendable.contains(gateway) {
                    try CarnationDatabase.moveMessage(db, id: id, from: .sending, to: .queued, at: now,
                                                      detail: "dispatcher \(owner) stopped mid-send; \(gateway) deduplicates, so it is sent again",
                                                      set: ", lease_until = NULL, due_at = ?", arguments: [now.timeIntervalSince1970])
                    requeued += 1
                } else {
                    let reason = "dispatcher \(owner) stopped mid-send; it may have reached \(gateway), so it waits for a delivery report"
                    try CarnationDatabase.moveMessage(db, id: id, from: .sending, to: .unknown, at: now, detail: reason,
                                                      set: ", lease_until = NULL, gateway = ?, reason = ?, sent_at = ?",
                                                      arguments: [gateway, reason, now.timeIntervalSince1970])
                    unknown += 1
                }
            }
            return (requeued, unknown)
        }
    }

    /// Applies a delivery report to message `outboxID`. Safe to call twice: a final state is kept.
    /// Every report is recorded in `delivery_report`, also those for unknown messages.
    public func applyDeliveryReport(outboxID: Int64, kind: DeliveryReportKind, status: String, gateway: String,
                                    detail: String, now: Date) throws -> DeliveryReportEffect {
        try writer.write { db in
            let t = now.timeIntervalSince1970
            let row = try Row.fetchOne(db, sql: "SELECT state FROM outbox WHERE id = ?", arguments: [outboxID])
            let effect: DeliveryReportEffect
            if let row, let state = OutboxState(rawValue: row["state"]) {
                let target: OutboxState
                switch kind {
                case .progress: target = (state == .unknown || state == .sending) ? .accepted : state
                case .delivered: target = .delivered
                case .failed: target = .failed
                }
                if state.isFinal && !(state == .expired && kind != .progress) {
                    effect = .alreadyFinal(state: state)
                } else if target == state {
                    try db.execute(sql: "UPDATE outbox SET delivery_status = ?, updated_at = ? WHERE id = ?", arguments: [status, t, outboxID])
                    effect = .applied(state: state)
                } else if state.canMove(to: target) {
                    let final = target.isFinal ? t : nil
                    let reason: String? = kind == .failed ? "delivery report: \(status)\(detail.isEmpty ? "" : " (\(detail))")" : nil
                    try CarnationDatabase.moveMessage(db, id: outboxID, from: state, to: target, at: now, detail: "delivery report \(status)",
                                                      set: ", delivery_status = ?, final_at = coalesce(?, final_at), reason = coalesce(?, reason), lease_until = NULL",
                                                      arguments: [status, final, reason])
                    effect = .applied(state: target)
                } else {
                    // A report before the gateway answered (queued/held rows cannot have one): keep it on record only.
                    effect = .alreadyFinal(state: state)
                }
            } else {
                effect = .unknownMessage
            }
            try db.execute(sql: "INSERT INTO delivery_report (outbox_id, gateway, status, at, detail, effect) VALUES (?, ?, ?, ?, ?, ?)",
                           arguments: [outboxID, gateway, status, t, detail, "\(effect)"])
            return effect
        }
    }

    /// The delivery reports recorded for outbox id `outboxID` (also when no such message exists), oldest first.
    public func deliveryReports(outboxID: Int64) throws -> [RecordedDeliveryReport] {
        try writer.read { db in
            try Row.fetchAll(db, sql: "SELECT gateway, status, detail, effect FROM delivery_report WHERE outbox_id = ? ORDER BY id", arguments: [outboxID]).map {
                RecordedDeliveryReport(gateway: $0["gateway"], status: $0["status"], detail: $0["detail"], effect: $0["effect"])
            }
        }
    }

    /// Messages accepted (or unknown) longer than `seconds` ago with no final report become `expired`.
    @discardableResult
    public func expireUnreported(olderThan seconds: Double, now: Date) throws -> Int {
        try writer.write { db in
            let cutoff = now.timeIntervalSince1970 - seconds
            let rows = try Row.fetchAll(db, sql: "SELECT id, state FROM outbox WHERE state IN ('accepted', 'unknown') AND sent_at < ?", arguments: [cutoff])
            for row in rows {
                let state = OutboxState(rawValue: row["state"]) ?? .accepted
                try CarnationDatabase.moveMessage(db, id: row["id"], from: state, to: .expired, at: now,
                                                  detail: "no final delivery report within \(Int(seconds / 3600)) h",
                                                  set: ", reason = ?, final_at = ?",
                                                  arguments: ["no final delivery report within \(Int(seconds / 3600)) h", now.timeIntervalSince1970])
            }
            return rows.count
        }
    }

    /// Messages still waiting (queued or held, e.g. in a paused campaign) when their campaign's window
    /// closed become `expired`.
    @discardableResult
    public func expirePastWindow(now: Date) throws -> Int {
        try writer.write { db in
            let rows = try Row.fetchAll(db, sql: "SELECT id, state FROM outbox WHERE state IN ('queued', 'held') AND not_after <= ?",
                                        arguments: [now.timeIntervalSince1970])
            for row in rows {
                try CarnationDatabase.moveMessage(db, id: row["id"], from: OutboxState(rawValue: row["state"]) ?? .queued, to: .expired, at: now,
                                                  detail: "campaign window closed", set: ", reason = ?, final_at = ?",
                                                  arguments: ["campaign window closed before it was sent", now.timeIntervalSince1970])
            }
            return rows.count
        }
    }

    /// Records that `phone` asked for no more messages, and withdraws what is still waiting for it.
    @discardableResult
    public func optOut(phone: String, source: String, now: Date) throws -> Int {
        try writer.write { db in
            try db.execute(sql: "INSERT OR IGNORE INTO opt_out (phone, at, source) VALUES (?, ?, ?)", arguments: [phone, now.timeIntervalSince1970, source])
            let rows = try Row.fetchAll(db, sql: "SELECT id, state FROM outbox WHERE phone = ? AND state IN ('queued', 'held')", arguments: [phone])
            for row in rows {
                try CarnationDatabase.moveMessage(db, id: row["id"], from: OutboxState(rawValue: row["state"]) ?? .queued, to: .cancelled, at: now,
                                                  detail: "phone opted out (\(source))", set: ", reason = ?, final_at = ?",
                                                  arguments: ["phone opted out", now.timeIntervalSince1970])
            }
            return rows.count
        }
    }

    /// Phones that opted out.
    public func optedOutPhones() throws -> Set<String> {
        try writer.read { db in Set(try String.fetchAll(db, sql: "SELECT phone FROM opt_out")) }
    }

    /// How many messages went to each of `phones` (sent, or maybe sent) since `since`, across campaigns.
    public func recentSends(to phones: [String], since: Date) throws -> [String: Int] {
        guard !phones.isEmpty else { return [:] }
        return try writer.read { db in
            var out: [String: Int] = [:]
            let stmt = try db.makeStatement(sql: """
                SELECT count(*) FROM outbox WHERE phone = ? AND sent_at >= ? AND state IN ('accepted', 'delivered', 'unknown', 'expired')
                """)
            for p in Set(phones) { out[p] = try Int.fetchOne(stmt, arguments: [p, since.timeIntervalSince1970]) ?? 0 }
            return out
        }
    }

    /// One message by id.
    public func outboxMessage(_ id: Int64) throws -> OutboxMessage? {
        try writer.read { db in
            try Row.fetchOne(db, sql: "SELECT \(OutboxMessage.columns) FROM outbox WHERE id = ?", arguments: [id]).map(OutboxMessage.init(row:))
        }
    }

    /// A campaign's messages, in id order.
    public func outboxMessages(campaignID: Int64) throws -> [OutboxMessage] {
        try writer.read { db in
            try Row.fetchAll(db, sql: "SELECT \(OutboxMessage.columns) FROM outbox WHERE campaign_id = ? ORDER BY id", arguments: [campaignID]).map(OutboxMessage.init(row:))
        }
    }

    /// The states a message went through, oldest first.
    public func outboxHistory(_ id: Int64) throws -> [(from: OutboxState?, to: OutboxState, detail: String)] {
        try writer.read { db in
            try Row.fetchAll(db, sql: "SELECT from_state, to_state, detail FROM outbox_event WHERE outbox_id = ? ORDER BY id", arguments: [id]).map { row in
                ((row["from_state"] as String?).flatMap(OutboxState.init(rawValue:)), OutboxState(rawValue: row["to_state"]) ?? .queued, row["detail"])
            }
        }
    }

    /// The earliest time a waiting message (on one of `channels`) of a sending campaign becomes due, if any.
    public func nextDue(channels: [OutboxChannel] = OutboxChannel.allCases) throws -> Date? {
        try writer.read { db in
            try Double.fetchOne(db, sql: """
                SELECT min(o.due_at) FROM outbox o JOIN campaign c ON c.id = o.campaign_id
                WHERE o.state IN ('queued', 'held') AND c.state = 'sending'
                  AND o.channel IN (\(channels.map { "'\($0.rawValue)'" }.joined(separator: ",")))
                """).map(Date.init(timeIntervalSince1970:))
        }
    }

    /// Whether any message of a sending campaign is still `sending` (claimed by a live dispatcher).
    public func inFlightCount() throws -> Int {
        try writer.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM outbox WHERE state = 'sending'") ?? 0 }
    }
}

extension CarnationDatabase {
    static func registerOutboxMigration(_ m: inout DatabaseMigrator) {
        m.registerMigration("v2-outbox") { db in
            try db.execute(sql: """
                CREATE TABLE campaign (
                  id INTEGER PRIMARY KEY,
                  name TEXT NOT NULL UNIQUE,
                  explainer TEXT NOT NULL,
                  audience TEXT NOT NULL,
                  channels TEXT NOT NULL,
                  not_before REAL,
                  not_after REAL,
                  state TEXT NOT NULL,
                  created_by TEXT NOT NULL,
                  created_at REAL NOT NULL,
                  approved_by TEXT,
                  approved_at REAL,
                  planned INTEGER,
                  updated_at REAL NOT NULL
                );
                CREATE TABLE outbox (
                  id INTEGER PRIMARY KEY,
                  campaign_id INTEGER NOT NULL REFERENCES campaign(id),
                  resident_id TEXT NOT NULL,
                  channel TEXT NOT NULL,
                  idempotency_key TEXT NOT NULL UNIQUE,
                  phone TEXT NOT NULL,
                  area_code TEXT,
                  body TEXT NOT NULL,
                  segments INTEGER NOT NULL,
                  template TEXT,
                  state TEXT NOT NULL,
                  attempts INTEGER NOT NULL DEFAULT 0,
                  due_at REAL NOT NULL,
                  not_after REAL,
                  lease_until REAL,
                  lease_owner TEXT,
                  gateway TEXT,
                  gateway_message_id TEXT,
                  delivery_status TEXT,
                  reason TEXT,
                  created_at REAL NOT NULL,
                  updated_at REAL NOT NULL,
                  sent_at REAL,
                  final_at REAL,
                  UNIQUE(campaign_id, resident_id, channel)
                );
                CREATE INDEX outbox_due ON outbox(state, due_at);
                CREATE INDEX outbox_campaign ON outbox(campaign_id, state);
                CREATE INDEX outbox_phone ON outbox(phone, sent_at);
                CREATE TABLE outbox_member (
                  campaign_id INTEGER NOT NULL,
                  resident_id TEXT NOT NULL,
                  channel TEXT NOT NULL,
                  outbox_id INTEGER NOT NULL REFERENCES outbox(id),
                  PRIMARY KEY (campaign_id, resident_id, channel)
                ) WITHOUT ROWID;
                CREATE TABLE outbox_event (
                  id INTEGER PRIMARY KEY,
                  outbox_id INTEGER NOT NULL,
                  at REAL NOT NULL,
                  from_state TEXT,
                  to_state TEXT NOT NULL,
                  detail TEXT NOT NULL DEFAULT ''
                );
                CREATE INDEX outbox_event_message ON outbox_event(outbox_id);
                CREATE TABLE delivery_report (
                  id INTEGER PRIMARY KEY,
                  outbox_id INTEGER,
                  gateway TEXT NOT NULL,
                  status TEXT NOT NULL,
                  at REAL NOT NULL,
                  detail TEXT NOT NULL DEFAULT '',
                  effect TEXT NOT NULL
                );
                CREATE TABLE opt_out (
                  phone TEXT PRIMARY KEY NOT NULL,
                  at REAL NOT NULL,
                  source TEXT NOT NULL
                ) WITHOUT ROWID;
                """)
        }
    }
}

extension CarnationDatabase {
    /// Whether `error` means another process holds the database lock (SQLITE_BUSY / SQLITE_LOCKED):
    /// the same operation can simply be tried again.
    public static func isBusy(_ error: any Error) -> Bool {
        guard let e = error as? DatabaseError else { return false }
        return e.resultCode == .SQLITE_BUSY || e.resultCode == .SQLITE_LOCKED
    }
}

