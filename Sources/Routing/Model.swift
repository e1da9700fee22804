/// The problem compiled for the search: households merged into single stops ("nodes"), skills as bit masks,
/// windows flattened, nearest-neighbour lists, and the jobs that cannot be served at all with their reasons.
final class Model: @unchecked Sendable {
    let problem: Problem
    let L: Int
    let travel: [Double]

    // Nodes (one per stop-to-be: a single job or a whole household).
    let n: Int
    let nodeJobs: [[Int]]
    let loc: [Int]
    let svc: [Double]
    let demand: [Int]
    let skills: [UInt64]
    let priority: [Int]
    let mandatory: [Bool]
    let jobCount: [Int]
    let winStart: [Int]
    let winEnd: [Int]
    let wOpen: [Double]
    let wClose: [Double]
    /// Latest close over the node's windows (arrivals after it can never be served).
    let lastClose: [Double]
    /// False when the node cannot be served by any team even alone.
    private(set) var usable: [Bool] = []
    /// Reason for each job that cannot be served on its own (reported when it stays out of the plan).
    private(set) var reasons: [Int: UnassignedReason] = [:]

    // Vehicles.
    let nv: Int
    let vStart: [Int]
    let vEnd: [Int]          // -1: route ends at the last stop
    let vOpen: [Double]
    let vClose: [Double]
    let vCap: [Int]
    let vSkills: [UInt64]
    let vMaxJobs: [Int]
    let vBreak: [Break?]
    /// Vehicles with equal class are interchangeable for the route timing data.
    let vClass: [Int]
    let classCount: Int
    /// True when every vehicle has the same skills (suffix swaps need no skill check).
    let sameSkills: Bool

    /// True when travel times satisfy the triangle inequality; lets insertion scans stop early.
    let metric: Bool

    /// For each node, the other usable nodes by increasing symmetric travel time.
    let neighbours: [[Int]]

    init(_ p: Problem) throws(RoutingError) {
        problem = p
        L = p.matrix.count
        travel = p.matrix.times
        guard !p.vehicles.isEmpty else { throw .noVehicles }
        for j in p.jobs where j.location < 0 || j.location >= L {
            throw .locationOutOfRange(owner: "job \(j.id)", location: j.location, matrixSize: L)
        }
        for v in p.vehicles {
            for l in [v.start, v.end ?? 0] where l < 0 || l >= L {
                throw .locationOutOfRange(owner: "vehicle \(v.id)", location: l, matrixSize: L)
            }
        }
        var skillBits: [String: Int] = [:]
        for s in p.jobs.flatMap(\.skills) + p.vehicles.flatMap(\.skills) where skillBits[s] == nil {
            skillBits[s] = skillBits.count
        }
        guard skillBits.count <= 64 else { throw .tooManySkills(count: skillBits.count) }
        func mask(_ s: Set<String>) -> UInt64 { s.reduce(0) { $0 | (1 << UInt64(skillBits[$1]!)) } }

        // Group jobs into nodes.
        var groups: [[Int]] = []
        var householdIndex: [String: Int] = [:]
        for (j, job) in p.jobs.enumerated() {
            if let h = job.household {
                if let g = householdIndex[h] { groups[g].append(j); continue }
                householdIndex[h] = groups.count
            }
            groups.append([j])
        }
        var reasons: [Int: UnassignedReason] = [:]
        var nodeJobs: [[Int]] = [], loc: [Int] = [], svc: [Double] = [], demand: [Int] = [], skills: [UInt64] = []
        var priority: [Int] = [], mandatory: [Bool] = [], winStart: [Int] = [], winEnd: [Int] = []
        var wOpen: [Double] = [], wClose: [Double] = [], lastClose: [Double] = []
        var preReason: [UnassignedReason?] = []
        for g in groups {
            let jobs = g.map { p.jobs[$0] }
            var windows = [TimeWindow.always]
            for job in jobs where !job.windows.isEmpty {
                windows = intersect(windows, normalise(job.windows))
            }
            var reason: UnassignedReason? = nil
            if Set(jobs.map(\.location)).count > 1 { reason = .householdSplitLocations }
            else if windows.isEmpty { reason = .householdNoCommonWindow }
            nodeJobs.append(g)
            loc.append(jobs[0].location)
            svc.append(jobs.reduce(0) { $0 + $1.service })
            demand.append(jobs.reduce(0) { $0 + $1.demand })
            skills.append(jobs.reduce(0) { $0 | mask($1.skills) })
            priority.append(jobs.reduce(0) { $0 + $1.priority })
            mandatory.append(jobs.contains { $0.mandatory })
            winStart.append(wOpen.count)
            for w in windows { wOpen.append(w.open); wClose.append(w.close) }
            winEnd.append(wOpen.count)
            lastClose.append(windows.last?.close ?? -.infinity)
            preReason.append(reason)
        }
        n = groups.count
        self.nodeJobs = nodeJobs; self.loc = loc; self.svc = svc; self.demand = demand; self.skills = skills
        self.priority = priority; self.mandatory = mandatory; self.jobCount = groups.map(\.count)
        self.winStart = winStart; self.winEnd = winEnd; self.wOpen = wOpen; self.wClose = wClose
        self.lastClose = lastClose

        nv = p.vehicles.count
        vStart = p.vehicles.map(\.start)
        vEnd = p.vehicles.map { $0.end ?? -1 }
        vOpen = p.vehicles.map(\.shift.open)
        vClose = p.vehicles.map(\.shift.close)
        vCap = p.vehicles.map { $0.capacity ?? Int.max }
        vSkills = p.vehicles.map { mask($0.skills) }
        vMaxJobs = p.vehicles.map { $0.maxJobs ?? Int.max }
        vBreak = p.vehicles.map(\.breakTime)
        var classes: [String: Int] = [:]
        var vClass: [Int] = []
        for i in 0..<p.vehicles.count {
            let v = p.vehicles[i]
            let key = "\(v.start)|\(v.end ?? -1)|\(v.shift.open)|\(v.shift.close)|\(vCap[i])|\(vSkills[i])|\(vMaxJobs[i])|\(String(describing: v.breakTime))"
            if classes[key] == nil { classes[key] = classes.count }
            vClass.append(classes[key]!)
        }
        self.vClass = vClass
        classCount = classes.count
        sameSkills = Set(vSkills).count == 1

        metric = Model.isMetric(p.matrix)

        // Neighbours by symmetric travel.
        let travel = self.travel, Lc = L
        var neighbours: [[Int]] = []
        for u in 0..<n {
            let others = (0..<n).filter { $0 != u }
            let keyed = others.map { v in (v, travel[loc[u] * Lc + loc[v]] + travel[loc[v] * Lc + loc[u]]) }
            neighbours.append(keyed.sorted { $0.1 < $1.1 || ($0.1 == $1.1 && $0.0 < $1.0) }.map(\.0))
        }
        self.neighbours = neighbours

        // Which nodes can be served at all, and why not.
        var usable = [Bool](repeating: true, count: n)
        for u in 0..<n {
            var reason = preReason[u]
            if reason == nil {
                let skilled = (0..<nv).filter { skills[u] & vSkills[$0] == skills[u] }
                if skilled.isEmpty { reason = .noTeamWithSkills }
                else {
                    let roomy = skilled.filter { demand[u] <= vCap[$0] && jobCount[u] <= vMaxJobs[$0] }
                    if roomy.isEmpty { reason = .exceedsCapacity }
                    else if !roomy.contains(where: { schedule(vehicle: $0, nodes: [u]) != nil }) { reason = .unreachableInTime }
                }
            }
            if let reason {
                // Unreachable alone may still be reachable through another stop when the matrix breaks the
                // triangle inequality: keep searching for it, report the reason only if it stays out.
                if reason != .unreachableInTime { usable[u] = false }
                for j in nodeJobs[u] { reasons[j] = reason }
            }
        }
        self.usable = usable
        self.reasons = reasons
    }

    /// Triangle inequality over all triples (stops at the first violation).
    static func isMetric(_ m: TravelMatrix) -> Bool {
        let n = m.count, t = m.times
        for i in 0..<n {
            for k in 0..<n where k != i {
                let ik = t[i * n + k]
                for j in 0..<n where t[i * n + j] > ik + t[k * n + j] + 1e-9 { return false }
            }
        }
        return true
    }

    @inline(__always) func tt(_ a: Int, _ b: Int) -> Double {
        (a < 0 || b < 0) ? 0 : travel[a &* L &+ b]
    }

    /// Earliest start of service at node `u` for an arrival at `a` (infinity: too late for every window).
    @inline(__always) func earliest(_ u: Int, _ a: Double) -> Double {
        var i = winStart[u]
        let e = winEnd[u]
        while i < e {
            if a <= wClose[i] { return a > wOpen[i] ? a : wOpen[i] }
            i &+= 1
        }
        return .infinity
    }

    /// Latest start of service at node `u` not after `b` (-infinity: none).
    @inline(__always) func latest(_ u: Int, _ b: Double) -> Double {
        var i = winEnd[u] &- 1
        let s = winStart[u]
        while i >= s {
            if b >= wOpen[i] { return b < wClose[i] ? b : wClose[i] }
            i &-= 1
        }
        return -.infinity
    }

    @inline(__always) func fits(_ u: Int, vehicle v: Int) -> Bool { skills[u] & vSkills[v] == skills[u] }

    struct Schedule {
        var departure: Double
        var arrivals: [Double]
        var starts: [Double]
        var returnTime: Double
        var breakAt: Int?
        var breakStart: Double
        var travel: Double
    }

    /// Times along a route (earliest start everywhere), with the break placed where the day ends earliest.
    /// nil when infeasible. Capacity and skills are not checked here.
    func schedule(vehicle v: Int, nodes: [Int]) -> Schedule? {
        if nodes.isEmpty {
            return Schedule(departure: vOpen[v], arrivals: [], starts: [], returnTime: vOpen[v], breakAt: nil, breakStart: 0, travel: 0)
        }
        guard let b = vBreak[v] else { return simulate(v, nodes, breakAt: nil, b: nil) }
        var best: Schedule? = nil
        for pos in 0...nodes.count {
            if let s = simulate(v, nodes, breakAt: pos, b: b), best == nil || s.returnTime < best!.returnTime { best = s }
        }
        return best
    }

    private func simulate(_ v: Int, _ nodes: [Int], breakAt: Int?, b: Break?) -> Schedule? {
        var t = vOpen[v], l = vStart[v], prevSvc = 0.0, dist = 0.0
        var arrivals: [Double] = [], starts: [Double] = []
        arrivals.reserveCapacity(nodes.count); starts.reserveCapacity(nodes.count)
        var breakStart = 0.0
        for (i, u) in nodes.enumerated() {
            let leg = tt(l, loc[u])
            dist += leg
            let a = t + prevSvc + leg
            var ready = a
            if breakAt == i, let b {
                breakStart = max(a, b.window.open)
                if breakStart > b.window.close { return nil }
                ready = breakStart + b.duration
            }
            let s = earliest(u, ready)
            if s == .infinity { return nil }
            arrivals.append(a); starts.append(s)
            t = s; prevSvc = svc[u]; l = loc[u]
        }
        let leg = tt(l, vEnd[v])
        dist += leg
        let ret = t + prevSvc + leg
        var finish = ret
        if breakAt == nodes.count, let b {
            breakStart = max(ret, b.window.open)
            if breakStart > b.window.close { return nil }
            finish = breakStart + b.duration
        }
        if finish > vClose[v] + 1e-9 { return nil }
        // Leave as late as possible without changing the first start (less waiting at the first door).
        var dep = vOpen[v]
        if breakAt != 0 { dep = max(vOpen[v], starts[0] - tt(vStart[v], loc[nodes[0]])) }
        if dep > vOpen[v] { arrivals[0] = starts[0] }
        return Schedule(departure: dep, arrivals: arrivals, starts: starts, returnTime: ret, breakAt: breakAt,
                        breakStart: breakStart, travel: dist)
    }
}

/// Sorted, merged windows.
func normalise(_ ws: [TimeWindow]) -> [TimeWindow] {
    let s = ws.filter { $0.open <= $0.close }.sorted { $0.open < $1.open }
    var out: [TimeWindow] = []
    for w in s {
        if let last = out.last, w.open <= last.close { out[out.count - 1].close = max(last.close, w.close) }
        else { out.append(w) }
    }
    return out
}

/// Intersection of two sorted, merged window lists.
func intersect(_ a: [TimeWindow], _ b: [TimeWindow]) -> [TimeWindow] {
    var out: [TimeWindow] = []
    var i = 0, j = 0
    while i < a.count && j < b.count {
        let o = max(a[i].open, b[j].open), c = min(a[i].close, b[j].close)
        if o <= c { out.append(TimeWindow(o, c)) }
        if a[i].close < b[j].close { i += 1 } else { j += 1 }
    }
    return out
}
