import Dispatch
import Registry
import Routing
import Store

/// One door on a team's day: who, why, and when (minutes since midnight).
public struct PlannedVisit: Sendable, Equatable {
    public var need: VisitNeed
    /// Position of the stop in the day (household members share it), from 1.
    public var stop: Int
    public var arrival: Int
    public var start: Int
    public var end: Int
}

/// A team's planned day, checked against its routing problem.
public struct TeamDayPlan: Sendable {
    public var team: String
    public var date: CalendarDate
    public var visits: [PlannedVisit]
    public var departure: Int
    public var returnTime: Int
    public var travelMinutes: Double
    /// What the routing checker found wrong (empty: feasible).
    public var violations: [String]
}

/// A need the plan could not place, and why (plain Chinese for the coordinator, the routing reason in English).
public struct UnplannedNeed: Sendable {
    public var need: VisitNeed
    public var team: String?
    public var reason: String
}

/// The plan for a run of days: each team's days, and what is left over.
public struct VisitPlanResult: Sendable {
    public var days: [TeamDayPlan]
    public var unplanned: [UnplannedNeed]
    /// Team-days left as they were because visits on them already have outcomes.
    public var keptDays: [String]
    public var feasible: Bool { days.allSatisfy { $0.violations.isEmpty } }
}

/// Plans the next working days of every team with the routing solver: due and overdue needs first, then by
/// priority; what does not fit carried to the team's next day; what is left reported with the reason.
/// Pure apart from the solver's time budget.
public struct VisitPlanner: Sendable {
    public var book: VisitRuleBook
    public var teams: [Team]
    /// Coordinator travel times by mode, `[from][to]` minutes.
    public var overrides: [TravelMode: [String: [String: Double]]]
    /// Village centres, for residents without coordinates.
    public var areaCentres: [String: (latitude: Double, longitude: Double)]
    public var options: SolveOptions
    /// Households offered to the solver per team-day, as a multiple of the team's maximum visits.
    public var candidateFactor = 3

    public init(book: VisitRuleBook, teams: [Team], overrides: [TravelMode: [String: [String: Double]]] = [:],
                areaCentres: [String: (latitude: Double, longitude: Double)] = [:], options: SolveOptions = SolveOptions(timeLimit: .seconds(1))) {
        self.book = book; self.teams = teams; self.overrides = overrides; self.areaCentres = areaCentres; self.options = options
    }

    /// The first `count` working days of `team` from `start` (inclusive).
    public static func workingDays(of team: Team, from start: CalendarDate, count: Int) -> [CalendarDate] {
        guard !team.workingDays.isEmpty, count > 0 else { return [] }
        var out: [CalendarDate] = [], d = start
        while out.count < count { if team.workingDays.contains(d.weekday) { out.append(d) }; d = d.adding(days: 1) }
        return out
    }

    /// Plans `days` working days per team from `start`. `keep` holds "team|date" keys of days not to touch.
    public func plan(_ needs: [VisitNeed], from start: CalendarDate, days: Int, keep: Set<String> = []) throws(RoutingError) -> VisitPlanResult {
        var unplanned: [UnplannedNeed] = []
        // 1. Each need to the team that covers its area most specifically, preferring teams with the skills.
        var pools: [Int: [VisitNeed]] = [:]
        for n in needs {
            let covering = teams.indices.compactMap { i in teams[i].coverage(of: n.areaCode).map { (i, $0) } }
            guard !covering.isEmpty else {
                unplanned.append(UnplannedNeed(need: n, team: nil, reason: "没有队伍负责该村（\(n.areaCode)）：用 teams add 增加或扩大队伍的片区")); continue
            }
            let skilled = covering.filter { Set(n.skills).isSubset(of: teams[$0.0].skills) }
            guard let best = (skilled.isEmpty ? [] : skilled).max(by: { ($0.1, -$0.0) < ($1.1, -$1.0) }) else {
                let missing = Set(n.skills).subtracting(covering.reduce(into: Set<String>()) { $0.formUnion(teams[$1.0].skills) })
                unplanned.append(UnplannedNeed(need: n, team: teams[covering[0].0].name,
                                               reason: "负责该村的队伍没有所需技能：\(missing.sorted().joined(separator: "、"))")); continue
            }
            guard locate(n) != nil else {
                unplanned.append(UnplannedNeed(need: n, team: teams[best.0].name, reason: "没有坐标：补充住址坐标或村的中心坐标")); continue
            }
            pools[best.0, default: []].append(n)
        }
        // 2. Each team's days in turn, carrying what is left. Teams are independent: planned in parallel.
        let order = teams.indices.sorted { teams[$0].name < teams[$1].name }
        let outcomes = TeamSlots(count: order.count)
        let planner = self, teamPools = pools
        DispatchQueue.concurrentPerform(iterations: order.count) { k in
            outcomes.set(k, Result { () throws(RoutingError) in try planner.planTeam(order[k], pool: teamPools[order[k]] ?? [], from: start, days: days, keep: keep) })
        }
        var result: [TeamDayPlan] = []
        var kept: [String] = []
        for k in order.indices {
            let (d, u, kd) = try outcomes.get(k).get()
            result += d; unplanned += u; kept += kd
        }
        return VisitPlanResult(days: result, unplanned: unplanned, keptDays: kept)
    }

    /// One team's days: plan each, carry what is left to the next, report the rest.
    func planTeam(_ ti: Int, pool initial: [VisitNeed], from start: CalendarDate, days: Int, keep: Set<String>) throws(RoutingError)
        -> ([TeamDayPlan], [UnplannedNeed], [String]) {
        var pool = initial
        var result: [TeamDayPlan] = [], kept: [String] = [], unplanned: [UnplannedNeed] = []
        var lastReason: [String: String] = [:]
        for date in VisitPlanner.workingDays(of: teams[ti], from: start, count: days) {
            if keep.contains(teams[ti].name + "|" + date.description) { kept.append(teams[ti].name + "|" + date.description); continue }
            guard !pool.isEmpty else { continue }
            let (day, served, reasons) = try planDay(team: teams[ti], date: date, pool: pool)
            if !day.visits.isEmpty { result.append(day) }
            pool.removeAll { served.contains($0.key) }
            lastReason.merge(reasons) { $1 }
        }
        for n in pool {
            unplanned.append(UnplannedNeed(need: n, team: teams[ti].name,
                                           reason: lastReason[n.key] ?? (n.earliest > start ? "还未到可上门的日期（\(n.earliest)起）" : "计划天数内排不下：增加天数或队伍")))
        }
        return (result, unplanned, kept)
    }

    func locate(_ n: VisitNeed) -> (latitude: Double, longitude: Double)? {
        if let la = n.latitude, let lo = n.longitude { return (la, lo) }
        return areaCentres[n.areaCode]
    }

    /// Urgency order: overdue, then due, then priority, then due date, then ID (stable across runs).
    static func urgency(_ a: VisitNeed, _ b: VisitNeed, on date: CalendarDate) -> Bool {
        let ka = (a.isOverdue(on: date) ? 0 : 1, a.isDue(on: date) ? 0 : 1, -a.priority), kb = (b.isOverdue(on: date) ? 0 : 1, b.isDue(on: date) ? 0 : 1, -b.priority)
        if ka != kb { return ka < kb }
        let da = a.due ?? CalendarDate(year: 2100, month: 12, day: 31)!, db = b.due ?? CalendarDate(year: 2100, month: 12, day: 31)!
        if da != db { return da < db }
        return a.key < b.key
    }

    /// The routing weight of a need on `date`: being due outweighs any priority.
    static func weight(_ n: VisitNeed, on date: CalendarDate) -> Int {
        n.priority + (n.isDue(on: date) ? 10_000 : 0) + (n.isOverdue(on: date) ? 10_000 : 0)
    }

    /// Builds and solves one team-day; returns the day, the keys served, and reasons for candidates left out.
    func planDay(team: Team, date: CalendarDate, pool: [VisitNeed]) throws(RoutingError) -> (TeamDayPlan, Set<String>, [String: String]) {
        let open = pool.filter { $0.earliest <= date }.sorted { VisitPlanner.urgency($0, $1, on: date) }
        // Candidates: whole households, most urgent first.
        var households: [String] = [], members: [String: [VisitNeed]] = [:]
        for n in open {
            if members[n.household] == nil { households.append(n.household) }
            members[n.household, default: []].append(n)
        }
        let chosen = Array(households.prefix(max(1, team.maxVisits * candidateFactor)))
        var points = [TravelPoint(latitude: team.baseLatitude, longitude: team.baseLongitude, area: team.baseArea)]
        var jobs: [Job] = [], jobNeeds: [VisitNeed] = []
        for h in chosen {
            let first = members[h]![0]
            let spot = locate(first)!
            points.append(TravelPoint(latitude: spot.latitude, longitude: spot.longitude, area: first.areaCode.isEmpty ? nil : first.areaCode))
            for n in members[h]! {
                var windows: [TimeWindow] = []
                if let s = n.windowStart, let e = n.windowEnd { windows = [TimeWindow(Double(s), Double(e))] }
                jobs.append(Job(id: n.key, location: points.count - 1, service: Double(n.durationMinutes), windows: windows,
                                priority: VisitPlanner.weight(n, on: date), skills: Set(n.skills), mandatory: false, household: h))
                jobNeeds.append(n)
            }
        }
        let matrix = try TravelTimes.matrix(points, speed: book.speed(team.mode), overrides: overrides[team.mode] ?? [:])
        let breakTime = team.breakMinutes > 0
            ? Break(window: TimeWindow(Double(team.breakOpen), Double(max(team.breakOpen, team.breakClose - team.breakMinutes))), duration: Double(team.breakMinutes))
            : nil
        let vehicle = Vehicle(id: team.name, start: 0, end: 0, shift: TimeWindow(Double(team.dayStart), Double(team.dayEnd)),
                              breakTime: breakTime, skills: team.skills, maxJobs: team.maxVisits)
        let problem = Problem(matrix: matrix, jobs: jobs, vehicles: [vehicle])
        let report = try Solver.solve(problem, options: options)
        let violations = Checker.verify(report.plan, for: problem).map(\.description)
        var visits: [PlannedVisit] = [], served = Set<String>()
        var departure = team.dayStart, back = team.dayStart, travel = 0.0
        if let route = report.plan.routes.first {
            // Waiting at the first door is slack: leave the base that much later instead.
            let firstWait = route.stops.first?.wait ?? 0
            departure = Int((route.departure + firstWait).rounded(.down)); back = Int(route.returnTime.rounded(.up)); travel = route.travel
            for (s, stop) in route.stops.enumerated() {
                var t = stop.start
                for j in stop.jobs {
                    let n = jobNeeds[j]
                    let end = t + Double(n.durationMinutes)
                    let startMinute = Int(t.rounded(.down))  // whole minutes; durations are whole, so stops stay in sequence
                    let arrival = Int((stop.arrival + (s == 0 ? stop.wait : 0)).rounded(.down))
                    visits.append(PlannedVisit(need: n, stop: s + 1, arrival: arrival, start: startMinute, end: startMinute + n.durationMinutes))
                    served.insert(n.key)
                    t = end
                }
            }
        }
        var reasons: [String: String] = [:]
        for u in report.plan.unassigned { reasons[jobNeeds[u.job].key] = VisitPlanner.chinese(u.reason) }
        return (TeamDayPlan(team: team.name, date: date, visits: visits, departure: departure, returnTime: back, travelMinutes: travel,
                            violations: violations), served, reasons)
    }

    static func chinese(_ r: UnassignedReason) -> String {
        switch r {
        case .noTeamWithSkills: return "队伍没有所需技能（语言、手语等）"
        case .exceedsCapacity: return "超出队伍的承载能力"
        case .unreachableInTime: return "在工作时间和约定时段内到不了：调整时段或队伍"
        case .householdNoCommonWindow: return "同户成员约定的时段没有交集"
        case .householdSplitLocations: return "同户成员住址坐标不一致"
        case .noRoomInPlan: return "当天排满：增加天数或队伍"
        }
    }
}

/// Per-team results filled in from parallel threads.
final class TeamSlots: @unchecked Sendable {
    private var slots: [Result<([TeamDayPlan], [UnplannedNeed], [String]), RoutingError>?]
    private let lock = DispatchQueue(label: "visits.plan.teams")
    init(count: Int) { slots = Array(repeating: nil, count: count) }
    func set(_ i: Int, _ r: Result<([TeamDayPlan], [UnplannedNeed], [String]), RoutingError>) { lock.sync { slots[i] = r } }
    func get(_ i: Int) -> Result<([TeamDayPlan], [UnplannedNeed], [String]), RoutingError> { lock.sync { slots[i]! } }
}
