/// A working solution of the search: one node sequence per vehicle plus, per route, the data that makes
/// feasibility checks O(1): earliest start (forward), latest start (backward), cumulative travel, load and jobs.
/// Position 0 is the start base, positions 1...k the stops, k+1 the end base.
struct Solution {
    var routes: [[Int]]
    var est: [[Double]]
    var lst: [[Double]]
    var cum: [[Double]]
    var cumLoad: [[Int]]
    var cumJobs: [[Int]]
    var dist: [Double]
    var routeOf: [Int]      // -1: unassigned
    var posOf: [Int]        // 1-based position in its route
    var unassigned: [Int]

    init(_ m: Model) {
        routes = Array(repeating: [], count: m.nv)
        est = Array(repeating: [], count: m.nv)
        lst = Array(repeating: [], count: m.nv)
        cum = Array(repeating: [], count: m.nv)
        cumLoad = Array(repeating: [], count: m.nv)
        cumJobs = Array(repeating: [], count: m.nv)
        dist = Array(repeating: 0, count: m.nv)
        routeOf = Array(repeating: -1, count: m.n)
        posOf = Array(repeating: 0, count: m.n)
        unassigned = (0..<m.n).filter { m.usable[$0] }
        for r in 0..<m.nv { refresh(r, m) }
    }

    var vehicleCount: Int { routes.reduce(0) { $0 + ($1.isEmpty ? 0 : 1) } }
    var travel: Double { dist.reduce(0, +) }

    func objective(_ m: Model) -> Objective {
        var mm = 0, mp = 0
        for u in unassigned {
            if m.mandatory[u] { mm += m.jobCount[u] } else { mp += m.priority[u] }
        }
        return Objective(missedMandatory: mm, missedPriority: mp, vehicles: vehicleCount, travel: travel)
    }

    /// Recompute the timing data of route `r` (O(route length)).
    mutating func refresh(_ r: Int, _ m: Model) {
        let route = routes[r]
        let k = route.count
        var e = [Double](repeating: 0, count: k + 2)
        var l = [Double](repeating: 0, count: k + 2)
        var c = [Double](repeating: 0, count: k + 2)
        var ld = [Int](repeating: 0, count: k + 2)
        var jb = [Int](repeating: 0, count: k + 2)
        e[0] = m.vOpen[r]
        var prev = m.vStart[r], prevSvc = 0.0
        for p in 1...max(1, k) where k > 0 {
            let u = route[p - 1]
            let leg = m.tt(prev, m.loc[u])
            c[p] = c[p - 1] + leg
            e[p] = m.earliest(u, e[p - 1] + prevSvc + leg)
            ld[p] = ld[p - 1] + m.demand[u]
            jb[p] = jb[p - 1] + m.jobCount[u]
            prev = m.loc[u]; prevSvc = m.svc[u]
            routeOf[u] = r; posOf[u] = p
        }
        if k > 0 {
            let leg = m.tt(prev, m.vEnd[r])
            c[k + 1] = c[k] + leg
            e[k + 1] = e[k] + prevSvc + leg
        } else {
            e[1] = m.vOpen[r]
        }
        ld[k + 1] = ld[k]; jb[k + 1] = jb[k]
        l[k + 1] = m.vClose[r]
        var next = m.vEnd[r]
        var p = k
        while p >= 1 {
            let u = route[p - 1]
            l[p] = m.latest(u, l[p + 1] - m.tt(m.loc[u], next) - m.svc[u])
            next = m.loc[u]
            p -= 1
        }
        l[0] = k > 0 ? l[1] - m.tt(m.vStart[r], m.loc[route[0]]) : m.vClose[r]
        est[r] = e; lst[r] = l; cum[r] = c; cumLoad[r] = ld; cumJobs[r] = jb
        dist[r] = c[k + 1]
    }

    /// True when route `r` satisfies time windows and shift (including its break).
    func timeFeasible(_ r: Int, _ m: Model) -> Bool {
        if m.vBreak[r] != nil { return m.schedule(vehicle: r, nodes: routes[r]) != nil }
        let e = est[r], l = lst[r]
        for p in 0..<e.count where e[p] > l[p] + 1e-9 { return false }
        return true
    }

    /// New travel of route `r` if positions p+1...q-1 are replaced by `seg` (p in 0...k, q in p+1...k+1),
    /// or nil when the result breaks a constraint. O(|seg|) for vehicles without a break.
    func replace(_ r: Int, _ p: Int, _ q: Int, _ seg: ArraySlice<Int>, _ m: Model) -> Double? {
        let route = routes[r]
        let k = route.count
        let cl = cumLoad[r], cj = cumJobs[r]
        var segLoad = 0, segJobs = 0
        for u in seg {
            if !m.fits(u, vehicle: r) { return nil }
            segLoad += m.demand[u]; segJobs += m.jobCount[u]
        }
        let newJobs = cj[k] - (cj[q - 1] - cj[p]) + segJobs
        if newJobs == 0 { return 0 }
        if newJobs > m.vMaxJobs[r] { return nil }
        if cl[k] - (cl[q - 1] - cl[p]) + segLoad > m.vCap[r] { return nil }
        let prevLoc = p == 0 ? m.vStart[r] : m.loc[route[p - 1]]
        let nextLoc = q == k + 1 ? m.vEnd[r] : m.loc[route[q - 1]]
        // Travel: prefix + middle + suffix; an emptied-then-refilled route starts from 0.
        var mid = 0.0, l = prevLoc
        for u in seg { mid += m.tt(l, m.loc[u]); l = m.loc[u] }
        var newDist: Double
        if k == 0 || (p == 0 && q == k + 1) {
            newDist = mid + m.tt(l, nextLoc)
        } else {
            let c = cum[r]
            newDist = c[p] + mid + m.tt(l, nextLoc) + (c[k + 1] - c[q])
        }
        if m.vBreak[r] != nil {
            var nodes = Array(route[0..<p]); nodes.append(contentsOf: seg); nodes.append(contentsOf: route[(q - 1)..<k])
            return m.schedule(vehicle: r, nodes: nodes) == nil ? nil : newDist
        }
        var t = est[r][p]
        var prevSvc = p == 0 ? 0 : m.svc[route[p - 1]]
        l = prevLoc
        for u in seg {
            let s = m.earliest(u, t + prevSvc + m.tt(l, m.loc[u]))
            if s == .infinity { return nil }
            t = s; prevSvc = m.svc[u]; l = m.loc[u]
        }
        if t + prevSvc + m.tt(l, nextLoc) > lst[r][q] + 1e-9 { return nil }
        return newDist
    }

    /// Apply a replacement checked with `replace`.
    mutating func apply(_ r: Int, _ p: Int, _ q: Int, _ seg: [Int], _ m: Model) {
        for u in routes[r][p..<(q - 1)] where routeOf[u] == r { routeOf[u] = -1 }
        routes[r].replaceSubrange(p..<(q - 1), with: seg)
        refresh(r, m)
    }

    /// Insert node `u` after position `p` of route `r`.
    mutating func insert(_ u: Int, _ r: Int, _ p: Int, _ m: Model) {
        routes[r].insert(u, at: p)
        refresh(r, m)
    }

    /// Remove a set of nodes from their routes (they become unassigned).
    mutating func remove(_ nodes: [Int], _ m: Model) {
        var touched: [Int] = []
        var dropped: [Int] = []
        for u in nodes where routeOf[u] >= 0 {
            let r = routeOf[u]
            if !touched.contains(r) { touched.append(r) }
            dropped.append(u)
            routeOf[u] = -1
        }
        touched.sort()
        for r in touched {
            // Nodes of this route that stay are those still marked as on it.
            routes[r].removeAll { routeOf[$0] != r }
            refresh(r, m)
            // With a non-metric matrix removal can break timing: then empty the route.
            if !timeFeasible(r, m) {
                for u in routes[r] { routeOf[u] = -1; unassigned.append(u) }
                routes[r] = []
                refresh(r, m)
            }
        }
        unassigned.append(contentsOf: dropped)
    }
}
