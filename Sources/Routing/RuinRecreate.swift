/// Ruin and recreate in the style of SISR (Christiaens & Vanden Berghe 2020): remove a few strings of
/// consecutive stops around a random seed, then greedily reinsert everything with "blinks".
struct RuinRecreate {
    let m: Model
    /// Average number of nodes removed per ruin.
    var averageRemoved = 10.0
    /// Longest string removed from one route.
    var maxString = 10.0
    /// Probability of skipping an insertion position.
    var blinkRate = 0.01

    /// Removes strings of nodes around a random seed; returns them.
    func ruin(_ s: inout Solution, _ rng: inout Rng) -> [Int] {
        var served = 0, used = 0
        for r in s.routes where !r.isEmpty { served += r.count; used += 1 }
        if served == 0 { return [] }
        let lsMax = min(maxString, Double(served) / Double(used))
        let ksMax = 4 * averageRemoved / (1 + lsMax) - 1
        let ks = Int(rng.unit() * ksMax) + 1
        var seed = rng.below(m.n)
        while s.routeOf[seed] < 0 { seed = rng.below(m.n) }
        var ruined: [Int] = []
        var removed: [Int] = []
        func visit(_ c: Int) {
            let r = s.routeOf[c]
            if r < 0 || ruined.contains(r) { return }
            ruined.append(r)
            let route = s.routes[r]
            let card = route.count
            let lmax = min(Double(card), lsMax)
            let len = Int(rng.unit() * lmax) + 1
            let idx = s.posOf[c] - 1
            if len >= card || rng.unit() < 0.5 {
                let l = min(len, card)
                let lo = max(0, idx - l + 1), hi = min(idx, card - l)
                let start = lo + rng.below(hi - lo + 1)
                removed.append(contentsOf: route[start..<(start + l)])
            } else {
                var keep = 1
                while len + keep < card && rng.unit() < 0.5 { keep += 1 }
                let total = len + keep
                let lo = max(0, idx - total + 1), hi = min(idx, card - total)
                let start = lo + rng.below(hi - lo + 1)
                let keepAt = rng.below(len + 1)
                for (i, u) in route[start..<(start + total)].enumerated() where i < keepAt || i >= keepAt + keep {
                    removed.append(u)
                }
            }
        }
        visit(seed)
        for c in m.neighbours[seed] {
            if ruined.count >= ks { break }
            visit(c)
        }
        s.remove(removed, m)
        return removed
    }

    /// Reinserts every unassigned node at its cheapest position (with blinks). `allowNew`: may open an unused
    /// vehicle when no used one fits. Nodes that fit nowhere stay unassigned.
    func recreate(_ s: inout Solution, _ rng: inout Rng, allowNew: Bool) {
        var pool = s.unassigned
        s.unassigned = []
        if pool.isEmpty { return }
        // Mandatory first, then by priority; within that a random order among SISR's sortings.
        let pick = rng.below(11)
        let key: (Int) -> Double
        switch pick {
        case 0..<4: pool.shuffle(using: &rng); key = { _ in 0 }
        case 4..<8: key = { Double(-self.m.demand[$0]) }
        case 8..<10: key = { -self.m.tt(self.m.vStart[0], self.m.loc[$0]) }
        default: key = { self.m.tt(self.m.vStart[0], self.m.loc[$0]) }
        }
        if pick >= 4 { pool.shuffle(using: &rng) }
        struct Keyed { var u: Int; var group: Int; var k: Double; var i: Int }
        var keyed: [Keyed] = []
        keyed.reserveCapacity(pool.count)
        for (i, u) in pool.enumerated() {
            // Mandatory first, then higher priority, then the sort key.
            let group = m.mandatory[u] ? Int.min : -m.priority[u]
            keyed.append(Keyed(u: u, group: group, k: pick < 4 ? 0 : key(u), i: i))
        }
        keyed.sort { a, b in
            if a.group != b.group { return a.group < b.group }
            if a.k != b.k { return a.k < b.k }
            return a.i < b.i
        }
        pool = keyed.map(\.u)

        for u in pool {
            if let (r, p) = bestInsertion(u, s, &rng, allowNew: allowNew) {
                s.insert(u, r, p, m)
            } else {
                s.unassigned.append(u)
            }
        }
    }

    /// Cheapest (route, position) for node `u`, or nil.
    func bestInsertion(_ u: Int, _ s: Solution, _ rng: inout Rng, allowNew: Bool) -> (Int, Int)? {
        var best = Double.infinity, bestR = -1, bestP = -1
        let lu = m.loc[u], su = m.svc[u], lastClose = m.lastClose[u], metric = m.metric
        for r in 0..<m.nv {
            let route = s.routes[r]
            if route.isEmpty { continue }
            if !m.fits(u, vehicle: r) { continue }
            let k = route.count
            if s.cumLoad[r][k] + m.demand[u] > m.vCap[r] || s.cumJobs[r][k] + m.jobCount[u] > m.vMaxJobs[r] { continue }
            if m.vBreak[r] != nil {
                for p in 0...k where rng.unit() >= blinkRate {
                    if let nd = s.replace(r, p, p + 1, [u][...], m), nd - s.dist[r] < best {
                        best = nd - s.dist[r]; bestR = r; bestP = p
                    }
                }
                continue
            }
            let e = s.est[r], l = s.lst[r]
            var prevLoc = m.vStart[r], prevReady = e[0]
            for p in 0...k {
                let next = p < k ? route[p] : -1
                let nextLoc = p < k ? m.loc[next] : m.vEnd[r]
                let dIn = m.tt(prevLoc, lu)
                let a = prevReady + dIn
                if a > lastClose { if metric { break } else { if p < k { prevLoc = nextLoc; prevReady = e[p + 1] + m.svc[next] }; continue } }
                if blinkRate == 0 || rng.unit() >= blinkRate {
                    let dOut = m.tt(lu, nextLoc)
                    let delta = dIn + dOut - m.tt(prevLoc, nextLoc)
                    if delta < best {
                        let st = m.earliest(u, a)
                        if st + su + dOut <= l[p + 1] + 1e-9 {
                            best = delta; bestR = r; bestP = p
                        }
                    }
                }
                if p < k { prevLoc = nextLoc; prevReady = e[p + 1] + m.svc[next] }
            }
        }
        if bestR < 0 && allowNew {
            var triedClass = Set<Int>()
            for r in 0..<m.nv where s.routes[r].isEmpty && m.fits(u, vehicle: r) {
                if !triedClass.insert(m.vClass[r]).inserted { continue }
                if let nd = s.replace(r, 0, 1, [u][...], m), nd < best { best = nd; bestR = r; bestP = 0 }
            }
        }
        return bestR < 0 ? nil : (bestR, bestP)
    }
}
