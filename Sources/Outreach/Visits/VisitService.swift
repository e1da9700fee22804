import Foundation
import Registry
import Routing
import Store

/// The visit use cases over the office's database: needs, plans (saved), outcomes.
public struct VisitService: Sendable {
    public let database: CarnationDatabase
    public let book: VisitRuleBook
    public let registryRules: RegistryRules
    /// The office's time zone: which calendar day a message failed on.
    public let timeZone: TimeZone

    public init(database: CarnationDatabase, book: VisitRuleBook, registryRules: RegistryRules,
                timeZone: TimeZone = TimeZone(identifier: "Asia/Shanghai")!) {
        self.database = database; self.book = book; self.registryRules = registryRules; self.timeZone = timeZone
    }

    /// Every visit need on `date` among residents in `scope` (nil: everywhere) and `area` (nil: all), most urgent first.
    public func needs(on date: CalendarDate, scope: [AreaPrefix]?, area: AreaPrefix? = nil) throws -> [VisitNeed] {
        let finder = VisitNeedFinder(book: book, registryRules: registryRules, today: date,
                                     history: VisitHistory(try database.visitOutcomeFacts()), followUps: try database.openFollowUps(),
                                     availability: try database.availability(), missed: try missedMessages(on: date))
        var prefixes = scope
        if let area {
            if let s = scope, !s.contains(where: { area.value.hasPrefix($0.value) }) { return [] }
            prefixes = [area]
        }
        var out: [VisitNeed] = []
        try database.forEachResident(scope: prefixes) { out += finder.needs(of: $0) }
        return out.sorted { VisitPlanner.urgency($0, $1, on: date) }
    }

    /// Campaign messages that failed or expired within the unreached rule's look-back before `date`.
    func missedMessages(on date: CalendarDate) throws -> [MissedMessage] {
        guard let rule = book.unreached else { return [] }
        let from = date.adding(days: -rule.lookBackDays)
        let fromSeconds = Double(from.daysSinceEpoch * 86400)
        let since = Date(timeIntervalSince1970: fromSeconds - Double(timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: fromSeconds))))
        return try database.unreachedResidents(since: since).map { u in
            let seconds = Int(u.at.timeIntervalSince1970.rounded(.down)) + timeZone.secondsFromGMT(for: u.at)
            let day = CalendarDate(daysSinceEpoch: Int((Double(seconds) / 86400).rounded(.down)))!
            return MissedMessage(residentID: u.residentID, campaign: u.campaign, channel: u.channel, expired: u.state == .expired, day: day)
        }
    }

    /// What `plan` did.
    public struct PlanRun: Sendable {
        public var result: VisitPlanResult
        public var needs: Int
        /// Team-days saved (feasible), and those refused because the checker found a violation.
        public var saved: [String]
        public var refused: [String]
    }

    /// Plans `days` working days per team from `date` and saves the feasible days. Days where a visit already has an
    /// outcome are kept as they are; the other planned visits in the horizon are replaced.
    public func plan(from date: CalendarDate, days: Int, scope: [AreaPrefix]?, area: AreaPrefix? = nil,
                     options: SolveOptions) throws -> PlanRun {
        guard days >= 1 && days <= 31 else { throw VisitError.invalid("--days must be from 1 to 31") }
        var teams = try database.teams()
        guard !teams.isEmpty else { throw VisitError.invalid("no teams yet: add them with `carnation teams import FILE` or `teams add`") }
        if let area {
            // Only teams wholly inside the area: re-planning a team replaces its whole day.
            teams = teams.filter { t in t.areas.allSatisfy { $0.hasPrefix(area.value) } }
            guard !teams.isEmpty else {
                throw VisitError.invalid("no team works only inside area \(area.value): plan a larger area (a team's whole day is re-planned), or leave out --area")
            }
        }
        let horizon = Dictionary(uniqueKeysWithValues: teams.map { ($0.name, VisitPlanner.workingDays(of: $0, from: date, count: days)) })
        let last = horizon.values.compactMap(\.last).max() ?? date
        let saved = try database.visits(from: date, to: last.adding(days: 366))
        var keep = Set<String>(), excluded = Set<String>()
        for v in saved where v.status != .planned { keep.insert(v.team + "|" + v.date.description) }
        for v in saved where v.status == .planned {
            let dayKey = v.team + "|" + v.date.description
            let inHorizon = horizon[v.team]?.contains(v.date) ?? false
            if keep.contains(dayKey) || !inHorizon { excluded.insert(v.residentID + "|" + v.rule) }
        }
        let needs = try self.needs(on: date, scope: scope, area: area).filter { !excluded.contains($0.key) }
        var overrides: [TravelMode: [String: [String: Double]]] = [:]
        for mode in Set(teams.map(\.mode)) { overrides[mode] = TravelTimes.overrides(try database.travelTimes(mode: mode)) }
        let centres = try database.areaCentres().mapValues { (latitude: $0.latitude, longitude: $0.longitude) }
        let planner = VisitPlanner(book: book, teams: teams, overrides: overrides, areaCentres: centres, options: options)
        let result = try planner.plan(needs, from: date, days: days, keep: keep)
        // Clear the horizon's planned visits (not on kept days), then save each feasible day.
        for t in teams { for d in horizon[t.name] ?? [] where !keep.contains(t.name + "|" + d.description) {
            try database.replacePlannedVisits(team: t.name, date: d, with: [])
        } }
        var savedDays: [String] = [], refused: [String] = []
        for day in result.days {
            let key = day.team + "|" + day.date.description
            guard day.violations.isEmpty else { refused.append(key); continue }
            let records = day.visits.map { p in
                VisitRecord(date: day.date, team: day.team, stop: p.stop, residentID: p.need.residentID, household: p.need.household,
                            rule: p.need.rule, kind: p.need.kind.rawValue, arrival: p.arrival, start: p.start, end: p.end, due: p.need.due,
                            reason: p.need.reason, followUp: p.need.followUp)
            }
            try database.replacePlannedVisits(team: day.team, date: day.date, with: records)
            savedDays.append(key)
        }
        return PlanRun(result: result, needs: needs.count, saved: savedDays, refused: refused)
    }

    /// Records what happened at the door and applies its effects to the register.
    @discardableResult
    public func record(_ visitID: Int64, outcome: VisitStatus, note: String?, user: String, now: Date) throws -> (VisitRecord, [VisitFinding], FollowUp?) {
        guard let visit = try database.visit(visitID) else { throw VisitError.unknownVisit(visitID) }
        let (findings, followUp) = VisitOutcomes.effects(of: outcome, for: visit, book: book)
        try database.recordVisitOutcome(visitID, status: outcome, note: note, findings: findings, newFollowUp: followUp, user: user, now: now)
        var updated = visit
        updated.status = outcome; updated.note = note
        return (updated, findings, followUp)
    }

    /// A team's day as saved, with what the team needs to know at each door.
    /// The team's list for the day. `explain` gives, for a resident and an explainer name, what the
    /// team explains at the door (the figures for this person, the audio to play).
    public func dailyList(team: String, date: CalendarDate,
                          explain: ((Resident, String) -> DailyList.Explanation?)? = nil) throws -> DailyList {
        let teams = try database.teams()
        guard let t = teams.first(where: { $0.name == team }) else { throw VisitError.unknownTeam(team, known: teams.map(\.name)) }
        let visits = try database.visits(from: date, to: date, team: team)
        let areaNames = try database.areaNames()
        var residents: [String: StoredResident] = [:]
        for v in visits where residents[v.residentID] == nil {
            if let id = try? ResidentID(v.residentID), let r = try database.resident(id) { residents[v.residentID] = r }
        }
        var explanations: [Int64: DailyList.Explanation] = [:]
        if let explain {
            for v in visits {
                guard let name = book.rule(v.rule)?.explainer, let stored = residents[v.residentID] else { continue }
                if let x = explain(Resident(id: stored.id, fields: stored.values), name) { explanations[v.id] = x }
            }
        }
        return DailyList.make(team: t, date: date, visits: visits, residents: residents, areaNames: areaNames, book: book, registryRules: registryRules,
                              availability: try database.availability(), explanations: explanations)
    }
}
