/// Insertion with ejection (after Nagata & Bräysy's route minimisation): put a customer that fits nowhere into a
/// route by taking out one or two customers next to its position, choosing those that were left out least often
/// so far (lowest absence count). The ejected customers go back to the pool.
struct Ejection {
    let m: Model
    /// Customers considered on each side of the insertion point.
    var reach = 2
    /// Routes considered: those serving one of this many nearest neighbours.
    var nearRoutes = 1_000_000

    /// The cheapest ejection (by summed absence) that lets `u` in, applied to `s`; returns the ejected nodes.
    func insert(_ u: Int, _ s: inout Solution, absence: [Int], _ rng: inout Rng) -> [Int]? {
        var bestSum = Int.max, bestR = -1, bestLo = 0, bestHi = 0
        var bestSeg: [Int] = [], bestOut: [Int] = []
        var ties = 0
        // Only routes that visit one of u's nearest neighbours.
        var routes: [Int] = []
        for v in m.neighbours[u].prefix(nearRoutes) {
            let r = s.routeOf[v]
            if r >= 0 && !routes.contains(r) && m.fits(u, vehicle: r) { routes.append(r) }
        }
        for r in routes {
            let route = s.routes[r]
            let k = route.count
            let e = s.est[r]
            for p in 0...k {
                // Stop once even the earliest arrival from position p - reach is past u's last window.
                let from = max(0, p - reach)
                if m.vBreak[r] == nil && m.metric {
                    let fromLoc = from == 0 ? m.vStart[r] : m.loc[route[from - 1]]
                    let ready = e[from] + (from == 0 ? 0 : m.svc[route[from - 1]])
                    if ready + m.tt(fromLoc, m.loc[u]) > m.lastClose[u] + 1e-9 && from > 0 { break }
                }
                let lo = max(0, p - reach), hi = min(k + 1, p + reach + 1)
                // Nodes at positions lo+1 ... hi-1; u goes right after position p.
                let window = Array(route[lo..<(hi - 1)])
                let cut = p - lo
                for a in 0..<window.count {
                    for b in a..<window.count {
                        let out = a == b ? [window[a]] : [window[a], window[b]]
                        let sum = out.reduce(0) { $0 + absence[$1] }
                        if sum > bestSum { continue }
                        var seg: [Int] = []
                        seg.reserveCapacity(window.count)
                        for (i, x) in window.enumerated() {
                            if i == cut { seg.append(u) }
                            if i != a && i != b { seg.append(x) }
                        }
                        if cut == window.count { seg.append(u) }
                        guard s.replace(r, lo, hi, seg[...], m) != nil else { continue }
                        if sum < bestSum { ties = 0 }
                        ties += 1
                        if sum < bestSum || rng.below(ties) == 0 {
                            bestSum = sum; bestR = r; bestLo = lo; bestHi = hi; bestSeg = seg; bestOut = out
                        }
                    }
                }
            }
        }
        guard bestR >= 0 else { return nil }
        s.unassigned.removeAll { $0 == u }
        s.apply(bestR, bestLo, bestHi, bestSeg, m)
        for x in bestOut { s.routeOf[x] = -1 }
        s.unassigned.append(contentsOf: bestOut)
        return bestOut
    }
}
