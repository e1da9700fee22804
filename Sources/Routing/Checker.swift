/// One way a plan breaks the rules of its problem.
public struct Violation: Sendable, Hashable, CustomStringConvertible {
    public enum Kind: String, Sendable, Hashable {
        case unknownVehicle, vehicleUsedTwice, unknownJob, jobServedTwice, jobNeitherServedNorReported
        case wrongLocation, householdSplit, missingSkill, overCapacity, tooManyJobs, travelMismatch
        case departsBeforeShift, returnsAfterShift, arrivesTooEarly, startBeforeArrival, outsideWindow
        case wrongWait, wrongEnd, breakMissing, breakOutsideWindow, breakTooShort, breakOverlaps
    }

    public var kind: Kind
    /// Index into `Plan.routes`, when the violation is on a route.
    public var route: Int?
    /// Index into `Problem.jobs`, when one job is concerned.
    public var job: Int?
    public var detail: String

    public var description: String {
        var s = kind.rawValue
        if let route { s += " (route \(route))" }
        if let job { s += " (job \(job))" }
        return s + ": " + detail
    }
}

/// Verifies any plan against its problem: every constraint, every time on every stop.
/// Used by tests, by the benchmark and before a plan is saved.
public enum Checker {
    /// Absolute slack allowed when comparing times and travel (floating-point sums).
    public static let tolerance = 1e-6

    public static func verify(_ plan: Plan, for problem: Problem) -> [Violation] {
        var out: [Violation] = []
        let eps = tolerance
        func add(_ k: Violation.Kind, _ r: Int?, _ j: Int?, _ d: String) {
            out.append(Violation(kind: k, route: r, job: j, detail: d))
        }
        let m = problem.matrix
        var servedAt = [(route: Int, stop: Int)?](repeating: nil, count: problem.jobs.count)
        var vehicleUsed = Set<Int>()

        for (ri, route) in plan.routes.enumerated() {
            guard route.vehicle >= 0 && route.vehicle < problem.vehicles.count else {
                add(.unknownVehicle, ri, nil, "vehicle index \(route.vehicle) does not exist")
                continue
            }
            if !vehicleUsed.insert(route.vehicle).inserted {
                add(.vehicleUsedTwice, ri, nil, "vehicle \(problem.vehicles[route.vehicle].id) has two routes")
            }
            let v = problem.vehicles[route.vehicle]
            if route.stops.isEmpty { continue }
            var load = 0, jobs = 0, travel = 0.0
            var loc = v.start, time = route.departure
            if route.departure < v.shift.open - eps {
                add(.departsBeforeShift, ri, nil, "leaves at \(route.departure), shift opens \(v.shift.open)")
            }
            if let b = v.breakTime {
                if let pb = route.breakTime {
                    if !b.window.contains(pb.start, tolerance: eps) {
                        add(.breakOutsideWindow, ri, nil, "break starts \(pb.start), allowed \(b.window.open)...\(b.window.close)")
                    }
                    if pb.end - pb.start < b.duration - eps {
                        add(.breakTooShort, ri, nil, "break lasts \(pb.end - pb.start), needs \(b.duration)")
                    }
                    if pb.beforeStop < 0 || pb.beforeStop > route.stops.count {
                        add(.breakOverlaps, ri, nil, "break placed before stop \(pb.beforeStop), which does not exist")
                    }
                } else {
                    add(.breakMissing, ri, nil, "team \(v.id) must take a break of \(b.duration)")
                }
            }
            for (si, stop) in route.stops.enumerated() {
                let leg = m.time(from: loc, to: stop.location)
                travel += leg
                if stop.arrival < time + leg - eps {
                    add(.arrivesTooEarly, ri, stop.jobs.first, "stop \(si) arrival \(stop.arrival) but cannot be there before \(time + leg)")
                }
                var earliestStart = stop.arrival
                if let pb = route.breakTime, pb.beforeStop == si {
                    if pb.start < stop.arrival - eps || stop.start < pb.end - eps {
                        add(.breakOverlaps, ri, nil, "break \(pb.start)...\(pb.end) is not between arrival \(stop.arrival) and start \(stop.start) of stop \(si)")
                    } else {
                        earliestStart = max(earliestStart, pb.end)
                    }
                }
                if stop.start < earliestStart - eps {
                    add(.startBeforeArrival, ri, stop.jobs.first, "stop \(si) starts \(stop.start) before \(earliestStart)")
                }
                if abs(stop.wait - (stop.start - stop.arrival)) > eps {
                    add(.wrongWait, ri, stop.jobs.first, "stop \(si) wait \(stop.wait) but start - arrival = \(stop.start - stop.arrival)")
                }
                var service = 0.0
                for j in stop.jobs {
                    guard j >= 0 && j < problem.jobs.count else {
                        add(.unknownJob, ri, j, "job index \(j) does not exist")
                        continue
                    }
                    let job = problem.jobs[j]
                    if servedAt[j] != nil {
                        add(.jobServedTwice, ri, j, "job \(job.id) appears more than once")
                    }
                    servedAt[j] = (ri, si)
                    if job.location != stop.location {
                        add(.wrongLocation, ri, j, "job \(job.id) is at \(job.location), stop is at \(stop.location)")
                    }
                    if !job.skills.isSubset(of: v.skills) {
                        add(.missingSkill, ri, j, "team \(v.id) lacks \(job.skills.subtracting(v.skills).sorted())")
                    }
                    if !job.windows.isEmpty && !job.windows.contains(where: { $0.contains(stop.start, tolerance: eps) }) {
                        add(.outsideWindow, ri, j, "job \(job.id) starts \(stop.start), outside its windows")
                    }
                    service += job.service
                    load += job.demand
                    jobs += 1
                }
                if abs(stop.end - (stop.start + service)) > eps {
                    add(.wrongEnd, ri, stop.jobs.first, "stop \(si) ends \(stop.end), expected start + service = \(stop.start + service)")
                }
                loc = stop.location
                time = stop.end
            }
            var ret = time
            if let end = v.end {
                let leg = m.time(from: loc, to: end)
                travel += leg
                ret = time + leg
            }
            if route.returnTime < ret - eps {
                add(.arrivesTooEarly, ri, nil, "returns \(route.returnTime) but cannot be back before \(ret)")
            }
            var finish = max(route.returnTime, ret)
            if let pb = route.breakTime, pb.beforeStop == route.stops.count {
                if pb.start < finish - eps {
                    add(.breakOverlaps, ri, nil, "break at the end starts \(pb.start) before the team is back at \(finish)")
                }
                finish = max(finish, pb.end)
            }
            if finish > v.shift.close + eps {
                add(.returnsAfterShift, ri, nil, "day ends \(finish), shift closes \(v.shift.close)")
            }
            if let cap = v.capacity, load > cap {
                add(.overCapacity, ri, nil, "load \(load) exceeds capacity \(cap)")
            }
            if let mj = v.maxJobs, jobs > mj {
                add(.tooManyJobs, ri, nil, "\(jobs) jobs, at most \(mj)")
            }
            if abs(travel - route.travel) > eps * max(1, travel) {
                add(.travelMismatch, ri, nil, "route says travel \(route.travel), legs sum to \(travel)")
            }
        }

        var reported = Set<Int>()
        for u in plan.unassigned {
            guard u.job >= 0 && u.job < problem.jobs.count else {
                add(.unknownJob, nil, u.job, "unassigned job index \(u.job) does not exist")
                continue
            }
            if servedAt[u.job] != nil || !reported.insert(u.job).inserted {
                add(.jobServedTwice, nil, u.job, "job \(problem.jobs[u.job].id) is both served and reported, or reported twice")
            }
        }
        var households: [String: [Int]] = [:]
        for (j, job) in problem.jobs.enumerated() {
            if servedAt[j] == nil && !reported.contains(j) {
                add(.jobNeitherServedNorReported, nil, j, "job \(job.id) is neither on a route nor reported unassigned")
            }
            if let h = job.household { households[h, default: []].append(j) }
        }
        for (h, members) in households.sorted(by: { $0.key < $1.key }) {
            let places = Set(members.map { servedAt[$0].map { "\($0.route)/\($0.stop)" } ?? "-" })
            if places.count > 1 {
                add(.householdSplit, nil, members.first, "household \(h) is not served in one stop")
            }
        }
        return out
    }
}
