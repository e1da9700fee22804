/// Neighbourhood moves between and within routes, each checked in O(segment) with the forward/backward
/// timing data of `Solution`, and a granular first-improvement descent over them.
struct LocalSearch {
    let m: Model
    /// How many nearest neighbours of a node are considered.
    var granularity = 20
    /// Longest segment moved by relocate / or-opt and exchanged by cross-exchange.
    var maxSegment = 3

    /// Travel change of exchanging segment [i, i+a) of route `ra` with [j, j+b) of route `rb` (ra != rb; a or b
    /// may be 0: pure relocation, inserted before position i or j). nil when infeasible.
    /// Covers relocate (a=1, b=0), or-opt (a<=3, b=0), exchange (1,1) and cross-exchange (a,b>=1).
    func exchangeDelta(_ s: Solution, _ ra: Int, _ i: Int, _ a: Int, _ rb: Int, _ j: Int, _ b: Int) -> Double? {
        let A = s.routes[ra], B = s.routes[rb]
        guard ra != rb, i >= 1, j >= 1, i + a - 1 <= A.count, j + b - 1 <= B.count else { return nil }
        let segA = A[(i - 1)..<(i - 1 + a)], segB = B[(j - 1)..<(j - 1 + b)]
        guard let na = s.replace(ra, i - 1, i + a, segB, m) else { return nil }
        guard let nb = s.replace(rb, j - 1, j + b, segA, m) else { return nil }
        return na + nb - s.dist[ra] - s.dist[rb]
    }

    mutating func applyExchange(_ s: inout Solution, _ ra: Int, _ i: Int, _ a: Int, _ rb: Int, _ j: Int, _ b: Int) {
        let segA = Array(s.routes[ra][(i - 1)..<(i - 1 + a)]), segB = Array(s.routes[rb][(j - 1)..<(j - 1 + b)])
        s.apply(ra, i - 1, i + a, segB, m)
        s.apply(rb, j - 1, j + b, segA, m)
    }

    /// 2-opt*: route `ra` keeps positions 1...i and takes `rb`'s tail after j; `rb` keeps 1...j and takes `ra`'s tail.
    func twoOptStarDelta(_ s: Solution, _ ra: Int, _ i: Int, _ rb: Int, _ j: Int) -> Double? {
        let A = s.routes[ra], B = s.routes[rb]
        guard ra != rb, i >= 0, j >= 0, i <= A.count, j <= B.count else { return nil }
        guard let na = s.replace(ra, i, A.count + 1, B[j...], m) else { return nil }
        guard let nb = s.replace(rb, j, B.count + 1, A[i...], m) else { return nil }
        return na + nb - s.dist[ra] - s.dist[rb]
    }

    func applyTwoOptStar(_ s: inout Solution, _ ra: Int, _ i: Int, _ rb: Int, _ j: Int) {
        let tailA = Array(s.routes[ra][i...]), tailB = Array(s.routes[rb][j...])
        let ka = s.routes[ra].count, kb = s.routes[rb].count
        s.apply(ra, i, ka + 1, tailB, m)
        s.apply(rb, j, kb + 1, tailA, m)
    }

    /// Within one route: move segment [i, i+a) so that it follows position `after` (an index of the route
    /// without the segment, 0 = right after the start base). nil when infeasible or a no-op.
    func moveWithinDelta(_ s: Solution, _ r: Int, _ i: Int, _ a: Int, after: Int) -> (Double, [Int])? {
        var route = s.routes[r]
        guard i >= 1, a >= 1, i + a - 1 <= route.count else { return nil }
        let seg = Array(route[(i - 1)..<(i - 1 + a)])
        route.removeSubrange((i - 1)..<(i - 1 + a))
        guard after >= 0, after <= route.count, after != i - 1 else { return nil }
        route.insert(contentsOf: seg, at: after)
        guard let nd = s.replace(r, 0, s.routes[r].count + 1, route[...], m) else { return nil }
        return (nd - s.dist[r], route)
    }

    /// First-improvement descent until no move improves travel. Returns the number of moves applied.
    @discardableResult
    mutating func run(_ s: inout Solution, _ rng: inout Rng) -> Int {
        var applied = 0
        var improved = true
        var order = (0..<m.n).filter { m.usable[$0] }
        while improved {
            improved = false
            order.shuffle(using: &rng)
            for u in order where s.routeOf[u] >= 0 {
                if improveNode(u, &s) { improved = true; applied += 1 }
            }
        }
        return applied
    }

    private mutating func improveNode(_ u: Int, _ s: inout Solution) -> Bool {
        let eps = -1e-7
        for v in m.neighbours[u].prefix(granularity) where s.routeOf[v] >= 0 && s.routeOf[u] >= 0 {
            let ra = s.routeOf[u], i = s.posOf[u], rb = s.routeOf[v], j = s.posOf[v]
            if ra != rb {
                for a in 1...maxSegment where i + a - 1 <= s.routes[ra].count {
                    // Relocate u's segment after v, or before v.
                    for jj in [j + 1, j] {
                        if let d = exchangeDelta(s, ra, i, a, rb, jj, 0), d < eps {
                            applyExchange(&s, ra, i, a, rb, jj, 0); return true
                        }
                    }
                    // Exchange / cross-exchange starting at u and v.
                    for b in 1...maxSegment where j + b - 1 <= s.routes[rb].count {
                        if let d = exchangeDelta(s, ra, i, a, rb, j, b), d < eps {
                            applyExchange(&s, ra, i, a, rb, j, b); return true
                        }
                    }
                }
                // 2-opt*: make u -> v an edge, or v -> u.
                if let d = twoOptStarDelta(s, ra, i, rb, j - 1), d < eps {
                    applyTwoOptStar(&s, ra, i, rb, j - 1); return true
                }
                if let d = twoOptStarDelta(s, ra, i - 1, rb, j), d < eps {
                    applyTwoOptStar(&s, ra, i - 1, rb, j); return true
                }
            } else {
                for a in 1...maxSegment where i + a - 1 <= s.routes[ra].count {
                    if j >= i && j < i + a { continue }
                    // Positions of v in the route without the segment.
                    let jv = j > i ? j - a : j
                    for after in [jv, jv - 1] {
                        if let (d, route) = moveWithinDelta(s, ra, i, a, after: after), d < eps {
                            s.apply(ra, 0, s.routes[ra].count + 1, route, m); return true
                        }
                    }
                }
            }
        }
        return false
    }
}
