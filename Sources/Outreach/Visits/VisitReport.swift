import Registry
import Store

/// Coverage of visits over a period: by team and township, on time or late, and who was seen this year.
public struct VisitCoverage: Sendable, Encodable {
    public struct Line: Sendable, Encodable {
        public var key: String
        public var name: String
        /// Visits still planned (date passed or to come).
        public var planned = 0
        /// Visits whose purpose was met; of those, on or before the due date.
        public var met = 0
        public var onTime = 0
        public var notHome = 0
        public var refused = 0
        /// Deceased or moved out found at the door.
        public var stopped = 0
    }

    public var from: String
    public var to: String
    public var byTeam: [Line]
    public var byTownship: [Line]
    /// Needs overdue on `to`, by township code.
    public var overdue: [String: Int]
    /// Residents of each category (Chinese name) with a visit that met its purpose in the calendar year of `to`.
    public var seenThisYear: [String: Int]

    /// Aggregates saved visits (pure). `residents` holds the residents the visits concern; `yearVisits` the visits of the year.
    public static func make(from: CalendarDate, to: CalendarDate, visits: [VisitRecord], yearVisits: [VisitRecord], residents: [String: StoredResident],
                            overdueNeeds: [VisitNeed], areaNames: [String: String], registryRules: RegistryRules) -> VisitCoverage {
        var teams: [String: Line] = [:], townships: [String: Line] = [:]
        func township(_ rid: String) -> String { String((residents[rid]?.values[.areaCode] ?? "unknown").prefix(9)) }
        for v in visits {
            let tw = township(v.residentID)
            for key in [0, 1] {
                var line = key == 0 ? teams[v.team] ?? Line(key: v.team, name: v.team)
                    : townships[tw] ?? Line(key: tw, name: areaNames[tw + "000"] ?? tw)
                switch v.status {
                case .planned: line.planned += 1
                case .notHome: line.notHome += 1
                case .refused: line.refused += 1
                case .moved, .deceased: line.stopped += 1
                case .done, .enrolled, .certified, .claimed:
                    line.met += 1
                    if v.due.map({ v.date <= $0 }) ?? true { line.onTime += 1 }
                }
                if key == 0 { teams[v.team] = line } else { townships[tw] = line }
            }
        }
        var overdue: [String: Int] = [:]
        for n in overdueNeeds where n.isOverdue(on: to) { overdue[String(n.areaCode.prefix(9)), default: 0] += 1 }
        var seen: [String: Int] = [:]
        var counted = Set<String>()
        for v in yearVisits where v.status.metNeed && v.date.year == to.year && counted.insert(v.residentID).inserted {
            guard let s = residents[v.residentID] else { continue }
            for c in Resident(id: s.id, fields: s.values).categories(on: to, rules: registryRules) { seen[c.chinese, default: 0] += 1 }
        }
        return VisitCoverage(from: from.description, to: to.description, byTeam: teams.values.sorted { $0.key < $1.key },
                             byTownship: townships.values.sorted { $0.key < $1.key }, overdue: overdue, seenThisYear: seen)
    }
}

extension VisitService {
    /// Coverage between two dates (inclusive), within `scope`.
    public func coverage(from: CalendarDate, to: CalendarDate, scope: [AreaPrefix]?, area: AreaPrefix? = nil) throws -> VisitCoverage {
        guard from <= to else { throw VisitError.invalid("--from must not be after --to") }
        let yearStart = CalendarDate(year: to.year, month: 1, day: 1)!
        var all = try database.visits(from: min(from, yearStart), to: to)
        var residents: [String: StoredResident] = [:]
        for v in all where residents[v.residentID] == nil {
            if let id = try? ResidentID(v.residentID), let r = try database.resident(id) { residents[v.residentID] = r }
        }
        let prefixes = (area.map { [$0] } ?? []) + (scope ?? [])
        if !prefixes.isEmpty || scope != nil {
            all = all.filter { v in
                guard let code = residents[v.residentID]?.values[.areaCode] else { return false }
                return (area.map { code.hasPrefix($0.value) } ?? true) && (scope.map { s in s.contains { code.hasPrefix($0.value) } } ?? true)
            }
        }
        let inPeriod = all.filter { $0.date >= from && $0.date <= to }
        return VisitCoverage.make(from: from, to: to, visits: inPeriod, yearVisits: all, residents: residents,
                                  overdueNeeds: try needs(on: to, scope: scope, area: area), areaNames: try database.areaNames(), registryRules: registryRules)
    }
}
