import Testing
@testable import Routing

/// Each move's feasibility and travel change, checked against an independent simulation of the routes it produces.
@Suite("Moves")
struct MoveTests {
    /// Independent route check (no break in these fixtures): times, windows, shift, capacity.
    static func routeCost(_ p: Problem, vehicle v: Int, jobs: [Int]) -> Double? {
        let veh = p.vehicles[v]
        if jobs.isEmpty { return 0 }
        var t = veh.shift.open, loc = veh.start, travel = 0.0, load = 0
        for j in jobs {
            let job = p.jobs[j]
            let leg = p.matrix.time(from: loc, to: job.location)
            travel += leg
            let a = t + leg
            guard let w = job.windows.first(where: { a <= $0.close }) else { return nil }
            t = max(a, w.open) + job.service
            loc = job.location
            load += job.demand
        }
        let back = p.matrix.time(from: loc, to: veh.end!)
        travel += back
        if t + back > veh.shift.close + 1e-9 { return nil }
        if let c = veh.capacity, load > c { return nil }
        return travel
    }

    static func solution(_ m: Model, _ routes: [[Int]]) -> Solution {
        var s = Solution(m)
        for (r, route) in routes.enumerated() { s.routes[r] = route; s.refresh(r, m) }
        s.unassigned = (0..<m.n).filter { s.routeOf[$0] < 0 && m.usable[$0] }
        return s
    }

    /// A random feasible solution of a random instance (greedy insertion).
    static func start(seed: UInt64) throws -> (Problem, Model, Solution) {
        let p = Fixture.random(seed: seed, n: 14, v: 5, capacity: 12)
        let m = try Model(p)
        var s = Solution(m)
        var rng = Rng(seed: seed)
        RuinRecreate(m: m, blinkRate: 0).recreate(&s, &rng, allowNew: true)
        return (p, m, s)
    }

    static func check(_ p: Problem, _ m: Model, _ before: Solution, _ after: Solution, delta: Double?) {
        let costs = (0..<m.nv).map { routeCost(p, vehicle: $0, jobs: after.routes[$0]) }
        let feasible = costs.allSatisfy { $0 != nil }
        #expect((delta != nil) == feasible)
        if let delta, feasible {
            let total = costs.reduce(0) { $0 + $1! }
            #expect(abs(before.travel + delta - total) < 1e-6)
        }
    }

    @Test func relocateOrOptExchangeCrossMatchSimulation() throws {
        var improving = [String: Int]()
        for seed in 1...6 as ClosedRange<UInt64> {
            let (p, m, s) = try Self.start(seed: seed)
            var ls = LocalSearch(m: m)
            let used = (0..<m.nv).filter { !s.routes[$0].isEmpty }
            for ra in used { for rb in used where ra != rb {
                for i in 1...s.routes[ra].count { for j in 1...(s.routes[rb].count + 1) {
                    for a in 1...3 where i + a - 1 <= s.routes[ra].count { for b in 0...3 where j + b - 1 <= s.routes[rb].count {
                        let d = ls.exchangeDelta(s, ra, i, a, rb, j, b)
                        // Build the result independently of `apply`.
                        var manual = s
                        let segA = Array(s.routes[ra][(i - 1)..<(i - 1 + a)]), segB = Array(s.routes[rb][(j - 1)..<(j - 1 + b)])
                        manual.routes[ra].replaceSubrange((i - 1)..<(i - 1 + a), with: segB)
                        manual.routes[rb].replaceSubrange((j - 1)..<(j - 1 + b), with: segA)
                        Self.check(p, m, s, manual, delta: d)
                        if let d {
                            var applied = s
                            ls.applyExchange(&applied, ra, i, a, rb, j, b)
                            #expect(applied.routes == manual.routes)
                            #expect(abs(applied.travel - (s.travel + d)) < 1e-6)
                            if d < -1e-7 { improving[b == 0 ? (a == 1 ? "relocate" : "or-opt") : (a == 1 && b == 1 ? "exchange" : "cross"), default: 0] += 1 }
                        }
                    } }
                } }
            } }
        }
        // Every move kind found improvements on greedy solutions (they are exercised, not just rejected).
        #expect(Set(improving.keys) == ["relocate", "or-opt", "exchange", "cross"])
    }

    @Test func twoOptStarMatchesSimulation() throws {
        var improving = 0
        for seed in 1...6 as ClosedRange<UInt64> {
            let (p, m, s) = try Self.start(seed: seed)
            let ls = LocalSearch(m: m)
            let used = (0..<m.nv).filter { !s.routes[$0].isEmpty }
            for ra in used { for rb in used where ra != rb {
                for i in 0...s.routes[ra].count { for j in 0...s.routes[rb].count {
                    let d = ls.twoOptStarDelta(s, ra, i, rb, j)
                    var manual = s
                    manual.routes[ra] = Array(s.routes[ra][..<i] + s.routes[rb][j...])
                    manual.routes[rb] = Array(s.routes[rb][..<j] + s.routes[ra][i...])
                    Self.check(p, m, s, manual, delta: d)
                    if let d {
                        var applied = s
                        ls.applyTwoOptStar(&applied, ra, i, rb, j)
                        #expect(applied.routes == manual.routes)
                        if d < -1e-7 { improving += 1 }
                    }
                } }
            } }
        }
        #expect(improving > 0)
    }

    @Test func moveWithinRouteMatchesSimulation() throws {
        var improving = 0
        for seed in 1...6 as ClosedRange<UInt64> {
            let (p, m, s) = try Self.start(seed: seed)
            let ls = LocalSearch(m: m)
            for r in 0..<m.nv where s.routes[r].count >= 2 {
                let k = s.routes[r].count
                for i in 1...k { for a in 1...3 where i + a - 1 <= k { for after in 0...(k - a) where after != i - 1 {
                    var expected = s.routes[r]
                    let seg = Array(expected[(i - 1)..<(i - 1 + a)])
                    expected.removeSubrange((i - 1)..<(i - 1 + a))
                    expected.insert(contentsOf: seg, at: after)
                    var manual = s
                    manual.routes[r] = expected
                    let res = ls.moveWithinDelta(s, r, i, a, after: after)
                    Self.check(p, m, s, manual, delta: res?.0)
                    if let res { #expect(res.1 == expected); if res.0 < -1e-7 { improving += 1 } }
                } } }
            }
        }
        #expect(improving > 0)
    }

    @Test func insertionMatchesSimulation() throws {
        let (p, m, s0) = try Self.start(seed: 9)
        var s = s0
        let victim = s.routes.first { !$0.isEmpty }![0]
        s.remove([victim], m)
        for r in 0..<m.nv where !s.routes[r].isEmpty {
            for pos in 0...s.routes[r].count {
                var manual = s
                manual.routes[r].insert(victim, at: pos)
                let nd = s.replace(r, pos, pos + 1, [victim][...], m)
                Self.check(p, m, s, manual, delta: nd.map { $0 - s.dist[r] })
            }
        }
        // The best insertion the recreate picks is feasible and no worse than any checked one.
        var rng = Rng(seed: 1)
        let rr = RuinRecreate(m: m, blinkRate: 0)
        let (r, pos) = try #require(rr.bestInsertion(victim, s, &rng, allowNew: true))
        var manual = s
        manual.routes[r].insert(victim, at: pos)
        #expect(Self.routeCost(p, vehicle: r, jobs: manual.routes[r]) != nil)
    }

    @Test func localSearchNeverWorsensAndStaysFeasible() throws {
        for seed in 1...6 as ClosedRange<UInt64> {
            let (p, m, s0) = try Self.start(seed: seed)
            var s = s0
            var ls = LocalSearch(m: m)
            var rng = Rng(seed: seed)
            let moves = ls.run(&s, &rng)
            #expect(moves > 0)
            #expect(s.travel < s0.travel)
            #expect(s.vehicleCount <= s0.vehicleCount)
            let plan = Solver.plan(s, m)
            #expect(Checker.verify(plan, for: p).isEmpty)
            #expect(abs(plan.objective(for: p).travel - s.travel) < 1e-6)
        }
    }

    @Test func ruinRemovesStringsAndRecreateRestores() throws {
        let (p, m, s0) = try Self.start(seed: 3)
        var s = s0
        var rng = Rng(seed: 5)
        let rr = RuinRecreate(m: m)
        let removed = rr.ruin(&s, &rng)
        #expect(!removed.isEmpty)
        #expect(Set(s.unassigned) == Set(removed))
        #expect(removed.allSatisfy { s.routeOf[$0] == -1 })
        rr.recreate(&s, &rng, allowNew: true)
        #expect(s.unassigned.isEmpty)
        #expect(Checker.verify(Solver.plan(s, m), for: p).isEmpty)
    }
}
