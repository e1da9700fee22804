/// How long and how the solver searches.
public struct SolveOptions: Sendable {
    /// Wall-clock budget for the search (per thread). nil: only `iterationLimit` counts.
    public var timeLimit: Duration?
    /// Ruin-and-recreate iterations (per thread). With this set and a generous `timeLimit` (or none), the
    /// result depends only on the seed: the way to get reproducible plans.
    public var iterationLimit: Int?
    public var seed: UInt64
    /// Independent searches run in parallel (seeds seed, seed+1, …); the best plan wins. 1 = single-threaded.
    public var threads: Int
    /// Share of the budget spent removing teams before minimising travel.
    public var fleetShare: Double

    public init(timeLimit: Duration? = .seconds(1), iterationLimit: Int? = nil, seed: UInt64 = 1, threads: Int = 1,
                fleetShare: Double = 0.5) {
        self.timeLimit = timeLimit
        self.iterationLimit = iterationLimit
        self.seed = seed
        self.threads = threads
        self.fleetShare = fleetShare
    }
}

/// What the solver did, besides the plan.
public struct SolveReport: Sendable {
    public var plan: Plan
    public var objective: Objective
    public var iterations: Int
}

/// The visit-route solver: greedy construction, then an iterated ruin-and-recreate (SISR strings, simulated
/// annealing on travel) preceded by a route-elimination phase (remove a route, reinsert its customers; absence
/// counters steer which customers get placed first) and polished by local search (relocate, or-opt, exchange,
/// cross-exchange, 2-opt*).
///
/// Time: the solver reads the clock passed in (default `ContinuousClock`) only inside its search loop, to honour
/// `timeLimit`; everything else is pure. Plans are reproducible when `iterationLimit` is what stops the search.
public enum Solver {
    public static func solve<C: Clock>(_ problem: Problem, options: SolveOptions = SolveOptions(),
                                       clock: C) throws(RoutingError) -> SolveReport where C.Duration == Duration {
        let model = try Model(problem)
        let threads = max(1, options.threads)
        if threads == 1 {
            var search = Search(m: model, seed: options.seed, options: options)
            return search.run(clock: clock)
        }
        let results = ResultSlots(count: threads)
        runParallel(threads) { t in
            var search = Search(m: model, seed: options.seed &+ UInt64(t), options: options)
            let r = search.run(clock: clock)
            results.set(t, r)
        }
        var best = results.get(0)!
        for t in 1..<threads { if let r = results.get(t), r.objective < best.objective { best = r } }
        return best
    }

    public static func solve(_ problem: Problem, options: SolveOptions = SolveOptions()) throws(RoutingError) -> SolveReport {
        try solve(problem, options: options, clock: ContinuousClock())
    }

    /// Turns a node sequence per vehicle into a plan with times (used by the search and by tests).
    static func plan(_ s: Solution, _ m: Model) -> Plan {
        var routes: [PlannedRoute] = []
        for r in 0..<m.nv where !s.routes[r].isEmpty {
            let nodes = s.routes[r]
            guard let sc = m.schedule(vehicle: r, nodes: nodes) else { continue }
            var stops: [PlannedStop] = []
            for (i, u) in nodes.enumerated() {
                stops.append(PlannedStop(jobs: m.nodeJobs[u], location: m.loc[u], arrival: sc.arrivals[i],
                                         wait: sc.starts[i] - sc.arrivals[i], start: sc.starts[i],
                                         end: sc.starts[i] + m.svc[u]))
            }
            var pb: PlannedBreak? = nil
            if let b = m.vBreak[r], let at = sc.breakAt {
                // A break before a stop is part of that stop's wait (arrival → start).
                pb = PlannedBreak(beforeStop: at, start: sc.breakStart, end: sc.breakStart + b.duration)
            }
            routes.append(PlannedRoute(vehicle: r, departure: sc.departure, stops: stops, breakTime: pb,
                                       returnTime: sc.returnTime, travel: sc.travel))
        }
        var unassigned: [UnassignedJob] = []
        var served = Set<Int>()
        for r in s.routes { for u in r { served.formUnion(m.nodeJobs[u]) } }
        for j in 0..<m.problem.jobs.count where !served.contains(j) {
            unassigned.append(UnassignedJob(job: j, reason: m.reasons[j] ?? .noRoomInPlan))
        }
        return Plan(routes: routes, unassigned: unassigned)
    }
}

/// One search thread.
struct Search {
    let m: Model
    var rng: Rng
    let options: SolveOptions
    var rr: RuinRecreate
    var ls: LocalSearch
    /// Route elimination also inserts the most-left-out customer by ejecting one or two neighbours.
    var useEjection = true

    init(m: Model, seed: UInt64, options: SolveOptions) {
        self.m = m
        rng = Rng(seed: seed)
        self.options = options
        rr = RuinRecreate(m: m)
        ls = LocalSearch(m: m)
    }

    /// Lower bound on vehicles from capacity alone (stops the route-elimination phase early).
    func vehicleLowerBound(_ s: Solution) -> Int {
        var total = 0
        for r in s.routes { for u in r { total += m.demand[u] } }
        let cap = m.vCap.max() ?? Int.max
        if cap == Int.max || cap <= 0 { return 1 }
        return max(1, (total + cap - 1) / cap)
    }

    mutating func run<C: Clock>(clock: C) -> SolveReport where C.Duration == Duration {
        let start = clock.now
        let limit = options.timeLimit
        let iterLimit = options.iterationLimit
        var iterations = 0
        func progress() -> Double {
            var p = 0.0
            if let limit {
                let el = start.duration(to: clock.now)
                p = max(p, ratio(el, limit))
            }
            if let iterLimit { p = max(p, Double(iterations) / Double(max(1, iterLimit))) }
            if limit == nil && iterLimit == nil { p = Double(iterations) / 10_000 }
            return p
        }

        var s = Solution(m)
        rr.recreate(&s, &rng, allowNew: true)
        ls.run(&s, &rng)
        var best = s
        if !best.routes.contains(where: { !$0.isEmpty }) {
            // Nothing can be served: no search to do.
            let plan = Solver.plan(best, m)
            return SolveReport(plan: plan, objective: plan.objective(for: m.problem), iterations: 0)
        }

        // Phase 1: route elimination.
        let lb = vehicleLowerBound(best)
        let fleetShare = options.fleetShare
        if best.vehicleCount > lb && fleetShare > 0 {
            var wanted = [Bool](repeating: false, count: m.n)
            for r in best.routes { for u in r { wanted[u] = true } }
            var absence = [Int](repeating: 0, count: m.n)
            var cur = best
            removeRoute(&cur)
            while progress() < fleetShare {
                iterations += 1
                if !cur.unassigned.contains(where: { wanted[$0] }) {
                    best = cur
                    if best.vehicleCount <= lb { break }
                    removeRoute(&cur)
                }
                var cand = cur
                _ = rr.ruin(&cand, &rng)
                rr.recreate(&cand, &rng, allowNew: false)
                let a1 = cand.unassigned.filter { wanted[$0] }, a0 = cur.unassigned.filter { wanted[$0] }
                if a1.count < a0.count || a1.reduce(0, { $0 + absence[$1] }) < a0.reduce(0, { $0 + absence[$1] }) {
                    cur = cand
                }
                for u in cur.unassigned where wanted[u] { absence[u] += 1 }
                if useEjection, let u = cur.unassigned.filter({ wanted[$0] }).max(by: { absence[$0] < absence[$1] }) {
                    _ = Ejection(m: m).insert(u, &cur, absence: absence, &rng)
                }
            }
            if !cur.unassigned.contains(where: { wanted[$0] }) && cur.objective(m) < best.objective(m) { best = cur }
        }

        // Phase 2: travel, by ruin and recreate under simulated annealing.
        var cur = best
        var curObj = cur.objective(m)
        var bestObj = curObj
        let served = max(1, m.n - cur.unassigned.count)
        let meanLeg = cur.travel / Double(served + cur.vehicleCount)
        let t0 = max(1e-6, 8 * meanLeg), tf = max(1e-8, 0.08 * meanLeg)
        let p0 = progress()
        var p = p0
        while p < 1 {
            iterations += 1
            let frac = p0 < 1 ? (p - p0) / (1 - p0) : 1
            let temp = t0 * pow(tf / t0, frac)
            var cand = cur
            _ = rr.ruin(&cand, &rng)
            rr.recreate(&cand, &rng, allowNew: true)
            let obj = cand.objective(m)
            var accept = false
            if (obj.missedMandatory, obj.missedPriority, obj.vehicles) != (curObj.missedMandatory, curObj.missedPriority, curObj.vehicles) {
                accept = obj < curObj
            } else {
                accept = obj.travel < curObj.travel - temp * log(rng.unit())
            }
            if accept {
                cur = cand; curObj = obj
                if obj < bestObj {
                    ls.run(&cur, &rng)
                    curObj = cur.objective(m)
                    best = cur; bestObj = curObj
                }
            }
            if iterations & 7 == 0 || iterLimit != nil { p = progress() }
        }
        let plan = Solver.plan(best, m)
        return SolveReport(plan: plan, objective: plan.objective(for: m.problem), iterations: iterations)
    }

    /// Empties one route (often the shortest) into the unassigned pool.
    mutating func removeRoute(_ s: inout Solution) {
        let used = (0..<m.nv).filter { !s.routes[$0].isEmpty }
        guard !used.isEmpty else { return }
        let r: Int
        if rng.unit() < 0.5 {
            r = used.min { s.routes[$0].count < s.routes[$1].count }!
        } else {
            r = used[rng.below(used.count)]
        }
        s.remove(s.routes[r], m)
    }
}

@inline(__always) func ratio(_ a: Duration, _ b: Duration) -> Double {
    let ac = a.components, bc = b.components
    let x = Double(ac.seconds) + Double(ac.attoseconds) * 1e-18
    let y = Double(bc.seconds) + Double(bc.attoseconds) * 1e-18
    return y <= 0 ? 1 : x / y
}

/// Natural logarithm and power without Foundation (the module has no dependencies).
@inline(__always) func log(_ x: Double) -> Double {
    if x <= 0 { return -.infinity }
    // x = f * 2^e with f in [1, 2); ln x = e ln2 + 2 atanh((f-1)/(f+1)).
    let e = x.exponent
    let f = x.significand
    let y = (f - 1) / (f + 1), y2 = y * y
    var term = y, sum = 0.0
    var k = 1.0
    for _ in 0..<20 {
        sum += term / k
        term *= y2; k += 2
    }
    return Double(e) * 0.693_147_180_559_945_3 + 2 * sum
}

@inline(__always) func exp(_ x: Double) -> Double {
    if x < -700 { return 0 }
    if x > 700 { return .infinity }
    let k = (x / 0.693_147_180_559_945_3).rounded()
    let r = x - k * 0.693_147_180_559_945_3
    var term = 1.0, sum = 1.0
    for i in 1..<20 {
        term *= r / Double(i)
        sum += term
    }
    return sum * Double(sign: .plus, exponent: Int(k), significand: 1)
}

@inline(__always) func pow(_ a: Double, _ b: Double) -> Double { exp(b * log(a)) }
