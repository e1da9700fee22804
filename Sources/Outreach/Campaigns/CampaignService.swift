import Foundation
import Messaging
import Registry
import Store

/// The campaign use cases: create, preview, approve, send (write the outbox), status, pause, resume, cancel.
/// Dispatching is `Dispatcher`'s job.
public struct CampaignService: Sendable {
    public let database: CarnationDatabase
    public let settings: CampaignSettings
    /// Who is acting (creator, approver).
    public let user: String
    /// The user's areas; nil: everywhere.
    public let scope: [AreaPrefix]?
    public let rules: RegistryRules
    public let today: CalendarDate

    public init(database: CarnationDatabase, settings: CampaignSettings, user: String, scope: [AreaPrefix]?, rules: RegistryRules, today: CalendarDate) {
        self.database = database
        self.settings = settings
        self.user = user
        self.scope = scope
        self.rules = rules
        self.today = today
    }

    /// Stores a new campaign as a draft.
    public func create(name: String, explainer: String, knownExplainers: [String], audience: ResidentFilter,
                       channels: [OutboxChannel], notBefore: Date?, notAfter: Date?, now: Date) throws -> CampaignRecord {
        let trimmed = name.trimmingCharacters(in: .whitespaces)
        guard (1...64).contains(trimmed.count), trimmed.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }) else {
            throw CampaignError.invalidName(name)
        }
        guard !channels.isEmpty else { throw CampaignError.noChannels }
        guard knownExplainers.contains(explainer) else { throw CampaignError.unknownExplainer(name: explainer, known: knownExplainers) }
        if let a = notBefore, let b = notAfter, a >= b { throw CampaignError.invalidWindow("--not-before is not before --not-after") }
        if let b = notAfter, b <= now { throw CampaignError.invalidWindow("--not-after is already past") }
        return try database.createCampaign(CampaignRecord(
            name: trimmed, explainer: explainer, audienceJSON: CampaignAudience(audience).json(), channels: channels,
            notBefore: notBefore, notAfter: notAfter, createdBy: user, createdAt: now))
    }

    public func campaign(_ name: String) throws -> CampaignRecord { try database.campaign(named: name) }

    /// Everything the campaign would write now, computed from the register as it is.
    public func plan(_ c: CampaignRecord, source: any CampaignMessageSource, now: Date) throws -> CampaignPlan {
        let audience = try CampaignAudience.decode(c.audienceJSON, campaign: c.name)
        let filter: ResidentFilter
        do { filter = try audience.filter } catch { throw CampaignError.storedAudienceUnreadable(campaign: c.name, detail: "\(error)") }
        let stored = try database.residents(matching: filter, scope: scope, on: today, rules: rules, limit: nil)
        let residents = stored.map { Resident(id: $0.id, fields: $0.values) }
        let optedOut = try database.optedOutPhones()
        var plan = CampaignPlanner.plan(audience: residents, channels: c.channels, source: source, signature: settings.signature, optedOut: optedOut)
        if let cap = settings.phoneCap {
            let recent = try database.recentSends(to: plan.messages.map(\.phone), since: now.addingTimeInterval(-cap.hours * 3600))
            for i in plan.messages.indices { plan.messages[i].capped = (recent[plan.messages[i].phone] ?? 0) >= cap.messages }
        }
        return plan
    }

    /// Whether a plan of this size needs approval.
    public func needsApproval(_ plan: CampaignPlan) -> Bool { plan.messages.count > settings.approvalThreshold }

    /// Approves a campaign (by a different user when the configuration says so), recording its size.
    public func approve(_ name: String, source: any CampaignMessageSource, now: Date) throws -> (CampaignRecord, CampaignPlan) {
        let c = try campaign(name)
        guard c.state == .draft || c.state == .approved else {
            throw CampaignError.wrongState(campaign: c.name, state: c.state.rawValue, action: "approve", hint: "Only a draft campaign is approved.")
        }
        if settings.approverMustDiffer && c.createdBy == user { throw CampaignError.sameApprover(campaign: c.name, user: user) }
        let p = try plan(c, source: source, now: now)
        try database.setCampaignState(c.id, to: .approved, now: now, approvedBy: user, planned: p.messages.count)
        try database.audit(user: user, action: "campaign-approve", subject: c.name, detail: "\(p.messages.count) messages", now: now)
        return (try campaign(name), p)
    }

    /// What `send` did.
    public struct SendReport: Sendable {
        public var campaign: CampaignRecord
        public var plan: CampaignPlan
        public var written: Int
        /// Already in the outbox from an earlier `send` (or to a phone that opted out since).
        public var skipped: Int
        public var dryRun: Bool
        /// Dry run: messages quiet hours would hold now, and until when (the earliest).
        public var wouldHold: Int
        public var holdUntil: Date?
        /// Dry run: messages a gateway would refuse before sending (bad phone…), with the reason.
        public var invalid: [(id: String, reason: String)]
    }

    /// Writes every planned message into the outbox in one transaction and marks the campaign sending.
    /// With `dryRun` nothing is written: the plan, the approval rule, each message's phone and
    /// the quiet hours are checked as the dispatcher would.
    public func send(_ name: String, source: any CampaignMessageSource, now: Date, dryRun: Bool) throws -> SendReport {
        let c = try campaign(name)
        switch c.state {
        case .cancelled:
            throw CampaignError.wrongState(campaign: c.name, state: c.state.rawValue, action: "send", hint: "Create a new campaign to send again.")
        case .paused:
            throw CampaignError.wrongState(campaign: c.name, state: c.state.rawValue, action: "send", hint: "Resume it with `carnation campaign resume \(c.name)`.")
        case .draft, .approved, .sending, .finished: break  // sending again writes only residents not yet in the outbox
        }
        if let end = c.notAfter, end <= now { throw CampaignError.windowClosed(campaign: c.name, notAfter: localTime(end)) }
        if c.channels.contains(.sms) && settings.signature == nil { throw CampaignError.noSignature }
        let p = try plan(c, source: source, now: now)
        if needsApproval(p) && c.approvedBy == nil && !dryRun {
            throw CampaignError.needsApproval(campaign: c.name, messages: p.messages.count, threshold: settings.approvalThreshold)
        }
        let due = max(c.notBefore ?? now, now)
        if dryRun {
            var wouldHold = 0
            var until: Date? = nil
            var invalid: [(String, String)] = []
            for m in p.messages {
                let policy = m.channel == .sms ? settings.smsQuietHours : settings.voiceQuietHours
                if case let .hold(u) = policy.hours(forArea: m.members[0].areaCode).decision(at: due, timeZone: settings.timeZone) {
                    wouldHold += 1
                    until = min(until ?? u, u)
                }
                do { try OutgoingSMS.validatePhone(m.phone) } catch { invalid.append((m.members[0].residentID.masked, error.description)) }
            }
            return SendReport(campaign: c, plan: p, written: 0, skipped: 0, dryRun: true, wouldHold: wouldHold, holdUntil: until, invalid: invalid)
        }
        let result = try database.enqueue(campaignID: c.id, p.messages.map(\.outboxMessage), due: due, notAfter: c.notAfter, now: now)
        try database.setCampaignState(c.id, to: .sending, now: now, planned: c.planned ?? p.messages.count)
        try database.audit(user: user, action: "campaign-send", subject: c.name, detail: "\(result.written) written, \(result.skipped) already there", now: now)
        return SendReport(campaign: try campaign(name), plan: p, written: result.written, skipped: result.skipped, dryRun: false,
                          wouldHold: 0, holdUntil: nil, invalid: [])
    }

    /// The error for campaign `c` when its explainer is not among `known` any more, with what its outbox holds:
    /// messages already written keep their text and are still dispatched; only new writes are impossible.
    public func explainerGone(_ c: CampaignRecord, known: [String], now: Date) throws -> CampaignError {
        let counts = try database.campaignCounts(c.id, now: now)
        return .explainerGone(campaign: c.name, explainer: c.explainer, known: known, inOutbox: counts.total,
                              waiting: counts.count(.queued) + counts.count(.held) + counts.count(.sending))
    }

    /// Pauses (the dispatcher stops claiming its messages), resumes, or cancels (waiting messages are withdrawn).
    public func setState(_ name: String, to target: CampaignState, now: Date) throws -> CampaignRecord {
        let c = try campaign(name)
        let allowed: Bool
        switch target {
        case .paused: allowed = c.state == .sending
        case .sending: allowed = c.state == .paused
        case .cancelled: allowed = c.state != .cancelled && c.state != .finished
        default: allowed = false
        }
        guard allowed else {
            let action = target == .paused ? "pause" : target == .sending ? "resume" : "cancel"
            throw CampaignError.wrongState(campaign: c.name, state: c.state.rawValue, action: action,
                                           hint: target == .sending ? "Only a paused campaign resumes; a draft is sent with `campaign send`." : "")
        }
        try database.setCampaignState(c.id, to: target, now: now)
        try database.audit(user: user, action: "campaign-\(target.rawValue)", subject: c.name, now: now)
        return try campaign(name)
    }

    /// Where a campaign's messages are.
    public struct Status: Sendable {
        public var campaign: CampaignRecord
        public var counts: CampaignCounts
        /// Messages per second over the last minute (or since sending began, if later).
        public var rate: Double
        /// Seconds until the waiting messages are sent at the current rate; nil when nothing moves.
        public var secondsLeft: Double?
    }

    public func status(_ name: String, now: Date) throws -> Status {
        let c = try campaign(name)
        let counts = try database.campaignCounts(c.id, now: now, window: 60)
        // Messages per second since the first of the last minute's sends (at least one second).
        let span = counts.recentSince.map { max(1, min(60, now.timeIntervalSince($0))) } ?? 60
        let rate = Double(counts.recentlySent) / span
        let waiting = counts.count(.queued) + counts.count(.sending) + counts.count(.held)
        return Status(campaign: c, counts: counts, rate: rate, secondsLeft: rate > 0 && waiting > 0 ? Double(waiting) / rate : nil)
    }

    /// A time as the office reads it, e.g. `2026-11-30 08:00`.
    public func localTime(_ d: Date) -> String { CampaignTime.format(d, timeZone: settings.timeZone) }
}

/// Local time in and out for campaign windows.
public enum CampaignTime {
    public static func format(_ d: Date, timeZone: TimeZone) -> String {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = timeZone
        f.dateFormat = "yyyy-MM-dd HH:mm"
        return f.string(from: d)
    }

    /// Reads `YYYY-MM-DDTHH:MM` or `YYYY-MM-DD HH:MM` (local time) or a full ISO 8601 instant.
    public static func parse(_ text: String, timeZone: TimeZone) -> Date? {
        let iso = ISO8601DateFormatter()
        if let d = iso.date(from: text) { return d }
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = timeZone
        for format in ["yyyy-MM-dd'T'HH:mm", "yyyy-MM-dd HH:mm", "yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd"] {
            f.dateFormat = format
            if let d = f.date(from: text) { return d }
        }
        return nil
    }
}
