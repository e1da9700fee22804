/// One door on a route: when the team arrives, waits, starts and finishes.
public struct PlannedStop: Sendable, Hashable {
    /// Indices into `Problem.jobs` served at this stop (several for a household).
    public var jobs: [Int]
    public var location: Int
    public var arrival: Double
    public var wait: Double
    public var start: Double
    public var end: Double
}

/// The rest a team takes, placed just before `beforeStop` (== stops.count: before driving home).
public struct PlannedBreak: Sendable, Hashable {
    public var beforeStop: Int
    public var start: Double
    public var end: Double
}

/// One team's day.
public struct PlannedRoute: Sendable, Hashable {
    /// Index into `Problem.vehicles`.
    public var vehicle: Int
    public var departure: Double
    public var stops: [PlannedStop]
    public var breakTime: PlannedBreak?
    /// Arrival at the end base (or end of the last visit when the team has no end base).
    public var returnTime: Double
    public var travel: Double
}

/// Why a job is not in the plan.
public enum UnassignedReason: Sendable, Hashable, CustomStringConvertible {
    /// No team has every skill the job needs.
    case noTeamWithSkills
    /// The job's load exceeds every suitable team's capacity.
    case exceedsCapacity
    /// Even alone, no suitable team can reach it inside its windows and be back before its shift ends.
    case unreachableInTime
    /// The household's members have no time window in common.
    case householdNoCommonWindow
    /// The household's members are at different locations.
    case householdSplitLocations
    /// The job fits on its own, but not together with the rest of the plan (too few teams or hours).
    case noRoomInPlan

    public var description: String {
        switch self {
        case .noTeamWithSkills: return "no team has the skills this visit needs"
        case .exceedsCapacity: return "the visit needs more than any suitable team can carry"
        case .unreachableInTime: return "no team can reach it inside its time windows and be back before the shift ends"
        case .householdNoCommonWindow: return "the household's members have no time window in common"
        case .householdSplitLocations: return "the household's members are at different locations"
        case .noRoomInPlan: return "the teams' days are full; add a team or widen the windows"
        }
    }
}

public struct UnassignedJob: Sendable, Hashable {
    public var job: Int
    public var reason: UnassignedReason
}

/// Lexicographic objective: fewer mandatory jobs missed, then more optional priority served,
/// then fewer teams, then less travel.
public struct Objective: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var missedMandatory: Int
    public var missedPriority: Int
    public var vehicles: Int
    public var travel: Double

    public init(missedMandatory: Int, missedPriority: Int, vehicles: Int, travel: Double) {
        self.missedMandatory = missedMandatory
        self.missedPriority = missedPriority
        self.vehicles = vehicles
        self.travel = travel
    }

    public static func < (a: Objective, b: Objective) -> Bool {
        if a.missedMandatory != b.missedMandatory { return a.missedMandatory < b.missedMandatory }
        if a.missedPriority != b.missedPriority { return a.missedPriority < b.missedPriority }
        if a.vehicles != b.vehicles { return a.vehicles < b.vehicles }
        return a.travel < b.travel - 1e-9
    }

    public var description: String {
        "missed mandatory \(missedMandatory), missed priority \(missedPriority), vehicles \(vehicles), travel \(travel)"
    }
}

/// The answer: routes, the jobs left out with their reasons, and the objective.
public struct Plan: Sendable, Hashable {
    public var routes: [PlannedRoute]
    public var unassigned: [UnassignedJob]

    public init(routes: [PlannedRoute], unassigned: [UnassignedJob]) {
        self.routes = routes
        self.unassigned = unassigned
    }

    public func objective(for problem: Problem) -> Objective {
        var missedM = 0, missedP = 0
        for u in unassigned {
            if problem.jobs[u.job].mandatory { missedM += 1 } else { missedP += problem.jobs[u.job].priority }
        }
        return Objective(missedMandatory: missedM, missedPriority: missedP,
                         vehicles: routes.filter { !$0.stops.isEmpty }.count,
                         travel: routes.reduce(0) { $0 + $1.travel })
    }
}
