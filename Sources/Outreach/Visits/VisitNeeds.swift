import Registry
import Store

/// What past visits tell the rules: per resident, the latest date of each (kind, outcome).
public struct VisitHistory: Sendable {
    private var facts: [String: [VisitOutcomeFact]] = [:]

    public init(_ facts: [VisitOutcomeFact]) {
        for f in facts { self.facts[f.residentID, default: []].append(f) }
    }

    /// The latest date a visit of `kind` to `resident` ended with a status satisfying `matching`.
    public func last(_ resident: String, kind: VisitKind, where matching: (VisitStatus) -> Bool) -> CalendarDate? {
        facts[resident]?.filter { $0.kind == kind.rawValue && matching($0.status) }.map(\.last).max()
    }

    /// The latest date any visit to `resident` had an outcome recorded.
    public func lastOutcome(_ resident: String) -> CalendarDate? { facts[resident]?.map(\.last).max() }
}

/// A campaign message that did not reach a resident: it failed or expired on `day` (the office's calendar day).
public struct MissedMessage: Sendable, Equatable {
    public var residentID: String
    public var campaign: String
    public var channel: OutboxChannel
    /// Expired (no final report in time, or the campaign window closed) rather than failed.
    public var expired: Bool
    public var day: CalendarDate

    public init(residentID: String, campaign: String, channel: OutboxChannel, expired: Bool, day: CalendarDate) {
        self.residentID = residentID; self.campaign = campaign; self.channel = channel; self.expired = expired; self.day = day
    }

    /// What the team reads: "短信未送达", "语音电话未确认接听"…
    var chinese: String {
        switch (channel, expired) {
        case (.sms, false): return "短信未送达"
        case (.sms, true): return "短信未确认送达"
        case (.voice, false): return "语音电话未接通"
        case (.voice, true): return "语音电话未确认接听"
        }
    }
}

/// Turns residents into visit needs by the rules in content (pure: the date comes in).
public struct VisitNeedFinder: Sendable {
    public var book: VisitRuleBook
    public var registryRules: RegistryRules
    public var today: CalendarDate
    public var history: VisitHistory
    /// Open follow-ups, by resident ID.
    public var followUps: [String: [FollowUp]]
    /// When residents can be visited, by resident ID (the rest: any time of the team's day).
    public var availability: [String: Availability]
    /// Campaign messages that did not reach them, by resident ID.
    public var missed: [String: [MissedMessage]]

    public init(book: VisitRuleBook, registryRules: RegistryRules, today: CalendarDate, history: VisitHistory = VisitHistory([]),
                followUps: [FollowUp] = [], availability: [String: Availability] = [:], missed: [MissedMessage] = []) {
        self.book = book; self.registryRules = registryRules; self.today = today; self.history = history
        self.followUps = Dictionary(grouping: followUps, by: \.residentID)
        self.availability = availability
        self.missed = Dictionary(grouping: missed, by: \.residentID)
    }

    /// The needs of one resident on `today`: none for the deceased and moved-out; at most one welfare check.
    public func needs(of stored: StoredResident) -> [VisitNeed] {
        let r = Resident(id: stored.id, fields: stored.values)
        guard r.lifeStatus == .alive else { return [] }
        let categories = r.categories(on: today, rules: registryRules)
        var out: [VisitNeed] = []
        var welfare: VisitNeed?
        for rule in book.rules where rule.who.holds(for: r, categories: categories, on: today) {
            if let pausedSince = history.last(r.id.value, kind: rule.kind, where: { $0 == .refused }),
               pausedSince.adding(days: book.refusalPauseDays) > today { continue }
            guard let n = need(rule, r) else { continue }
            if rule.kind == .welfareCheck {
                // One welfare check covers every reason for one: keep the most urgent.
                if let w = welfare, (w.due ?? today, -w.priority) <= (n.due ?? today, -n.priority) { continue }
                welfare = n
            } else {
                out.append(n)
            }
        }
        if let welfare { out.append(welfare) }
        for f in followUps[r.id.value] ?? [] {
            var n = base(book.followUp, r)
            n.due = f.due
            n.earliest = max(f.created.adding(days: 1), f.due.adding(days: -book.followUp.leadDays))
            n.reason = f.reason
            if let fs = f.windowStart, let fe = f.windowEnd {
                // The follow-up's slot, within the resident's availability when the two overlap.
                let (ws, we) = (max(fs, n.windowStart ?? fs), min(fe, n.windowEnd ?? fe))
                (n.windowStart, n.windowEnd) = ws < we ? (ws, we) : (fs, fe)
            }
            n.followUp = f.id
            out.append(n)
        }
        if let u = book.unreached, let n = unreachedNeed(u, r) { out.append(n) }
        return out
    }

    /// One need for all the messages that missed the resident within the look-back and after their last visit outcome.
    private func unreachedNeed(_ u: UnreachedRule, _ r: Resident) -> VisitNeed? {
        let seen = history.lastOutcome(r.id.value)
        // In the order they ended (the store gives them oldest first).
        let open = (missed[r.id.value] ?? []).enumerated().filter { _, m in
            m.day <= today && m.day.adding(days: u.lookBackDays) >= today && !(seen.map { $0 >= m.day } ?? false)
        }.sorted { ($0.element.day, $0.offset) < ($1.element.day, $1.offset) }.map(\.element)
        guard let first = open.first else { return nil }
        var n = base(u.rule, r)
        n.due = first.day.adding(days: u.dueDays)
        n.earliest = first.day.adding(days: 1)
        // "短信未送达：A、B；语音电话未接通：C", each campaign once, oldest first.
        var campaigns: [String: [String]] = [:], order: [String] = []
        for m in open {
            if campaigns[m.chinese] == nil { order.append(m.chinese) }
            if !(campaigns[m.chinese] ?? []).contains(m.campaign) { campaigns[m.chinese, default: []].append(m.campaign) }
        }
        n.reason = order.map { $0 + "：" + campaigns[$0]!.joined(separator: "、") }.joined(separator: "；")
        return n
    }

    private func base(_ rule: VisitRule, _ r: Resident) -> VisitNeed {
        VisitNeed(residentID: r.id.value, name: r.name, household: r[.householdID] ?? r.id.value, areaCode: r[.areaCode] ?? "",
                  latitude: r[.latitude].flatMap(Double.init), longitude: r[.longitude].flatMap(Double.init),
                  rule: rule.id, kind: rule.kind, title: rule.title, due: nil, earliest: today, priority: rule.priority,
                  durationMinutes: rule.durationMinutes, skills: skills(rule, r), windowStart: availability[r.id.value]?.start,
                  windowEnd: availability[r.id.value]?.end, reason: "", followUp: nil)
    }

    /// The rule's skills, a language of the resident's when they speak no common one, and what their disability calls for.
    func skills(_ rule: VisitRule, _ r: Resident) -> [String] {
        var s = rule.skills
        let languages = r.languages
        if !languages.isEmpty && !languages.contains(where: book.commonLanguages.contains), let first = languages.first { s.append(first) }
        if let d = r.disabilityType, let skill = book.disabilitySkills[d.rawValue] { s.append(skill) }
        var seen = Set<String>()
        return s.filter { seen.insert($0).inserted }
    }

    private func need(_ rule: VisitRule, _ r: Resident) -> VisitNeed? {
        var n = base(rule, r)
        switch rule.kind {
        case .certification:
            if let last = r[.lastCertification].flatMap(CalendarDate.init(parsing:)) {
                let due = last.adding(months: rule.cycleMonths)
                guard today >= due.adding(days: -rule.leadDays) else { return nil }
                n.due = due
                n.reason = "上次认证\(last)，须在\(due)前再次认证"
            } else {
                n.due = today
                n.reason = "没有资格认证记录，须尽快认证"
            }
        case .pensionClaim:
            let birthday = r.birthDate.birthday(turning: rule.pensionAge)
            guard today >= birthday.adding(days: -rule.withinDays) else { return nil }
            n.due = birthday
            n.reason = today < birthday ? "\(birthday)年满\(rule.pensionAge)周岁，可申领城乡居民养老金"
                : "\(birthday)已满\(rule.pensionAge)周岁，尚未申领养老金"
        case .enrolment:
            if let last = history.last(r.id.value, kind: .enrolment, where: { $0 != .notHome }), last.adding(days: rule.repeatDays) > today { return nil }
            n.due = nil
            n.reason = "\(r.age(on: today))岁，未参加养老保险"
        case .welfareCheck:
            if let last = history.last(r.id.value, kind: .welfareCheck, where: { $0.metNeed }) {
                let due = last.adding(days: rule.everyDays)
                guard today >= due.adding(days: -rule.leadDays) else { return nil }
                n.due = due
                n.reason = "\(rule.title)：上次探访\(last)，每\(rule.everyDays)天一次"
            } else {
                n.due = today
                n.reason = "\(rule.title)：尚无探访记录，每\(rule.everyDays)天一次"
            }
        case .followUp, .unreached:
            return nil
        }
        return n
    }
}
