/// A closed interval of time, in the same unit as the travel matrix (for example seconds since midnight).
public struct TimeWindow: Sendable, Hashable, Codable {
    public var open: Double
    public var close: Double

    public init(_ open: Double, _ close: Double) {
        self.open = open
        self.close = close
    }

    /// Any time at all.
    public static let always = TimeWindow(-.infinity, .infinity)

    public func contains(_ t: Double, tolerance: Double = 1e-6) -> Bool {
        t >= open - tolerance && t <= close + tolerance
    }
}

/// A visit to make: one resident at one location.
public struct Job: Sendable, Hashable {
    /// Caller's identifier (for Solomon instances, the customer number).
    public var id: String
    /// Index into the travel matrix.
    public var location: Int
    /// Time spent at the door.
    public var service: Double
    /// Allowed start-of-service windows; empty means any time.
    public var windows: [TimeWindow]
    /// Weight of an optional job; the plan maximises the summed priority of optional jobs served.
    public var priority: Int
    public var skills: Set<String>
    /// A mandatory job must be served; an optional one is served when the teams can.
    public var mandatory: Bool
    /// Jobs sharing a household key are served together, in one stop, by one team.
    public var household: String?
    /// Load the job takes (Solomon's demand); 0 when capacity does not matter.
    public var demand: Int

    public init(id: String, location: Int, service: Double = 0, windows: [TimeWindow] = [], priority: Int = 0,
                skills: Set<String> = [], mandatory: Bool = true, household: String? = nil, demand: Int = 0) {
        self.id = id
        self.location = location
        self.service = service
        self.windows = windows
        self.priority = priority
        self.skills = skills
        self.mandatory = mandatory
        self.household = household
        self.demand = demand
    }
}

/// A rest the team must take during its shift: it starts inside `window` and lasts `duration`.
public struct Break: Sendable, Hashable {
    public var window: TimeWindow
    public var duration: Double

    public init(window: TimeWindow, duration: Double) {
        self.window = window
        self.duration = duration
    }
}

/// A team with its base, shift and abilities.
public struct Vehicle: Sendable, Hashable {
    public var id: String
    /// Where the team leaves from (matrix index).
    public var start: Int
    /// Where the team must end; nil means the route ends at the last visit.
    public var end: Int?
    /// Leave no earlier than `shift.open`, be back no later than `shift.close`.
    public var shift: TimeWindow
    public var breakTime: Break?
    public var skills: Set<String>
    public var maxJobs: Int?
    /// Total load the team can carry; nil means unlimited.
    public var capacity: Int?

    public init(id: String, start: Int, end: Int?, shift: TimeWindow, breakTime: Break? = nil,
                skills: Set<String> = [], maxJobs: Int? = nil, capacity: Int? = nil) {
        self.id = id
        self.start = start
        self.end = end
        self.shift = shift
        self.breakTime = breakTime
        self.skills = skills
        self.maxJobs = maxJobs
        self.capacity = capacity
    }
}

/// Travel times between locations, row-major: `time(from: a, to: b)`.
public struct TravelMatrix: Sendable, Hashable {
    public let count: Int
    public let times: [Double]

    /// A matrix supplied by the coordinator (villages joined by mountain roads are not straight lines).
    public init(count: Int, times: [Double]) throws(RoutingError) {
        guard times.count == count * count else {
            throw .matrixSize(expected: count * count, got: times.count)
        }
        if let bad = times.firstIndex(where: { !$0.isFinite || $0 < 0 }) {
            throw .badTravelTime(from: bad / count, to: bad % count, value: times[bad])
        }
        self.count = count
        self.times = times
    }

    /// Straight-line distance on a plane times `roadFactor`, divided by `speed` (Solomon: both 1).
    public static func planar(_ points: [(x: Double, y: Double)], speed: Double = 1, roadFactor: Double = 1) -> TravelMatrix {
        let n = points.count
        var t = [Double](repeating: 0, count: n * n)
        for i in 0..<n {
            for j in 0..<n where i != j {
                let dx = points[i].x - points[j].x, dy = points[i].y - points[j].y
                t[i * n + j] = (dx * dx + dy * dy).squareRoot() * roadFactor / speed
            }
        }
        return TravelMatrix(unchecked: n, t)
    }

    /// Great-circle distance (metres) times `roadFactor`, divided by `metresPerUnit` (speed per time unit),
    /// for one travel mode (walking, motorbike, car) given its speed and a road factor for winding roads.
    public static func geographic(_ points: [(latitude: Double, longitude: Double)], metresPerUnit: Double,
                                  roadFactor: Double = 1.3) -> TravelMatrix {
        let n = points.count
        var t = [Double](repeating: 0, count: n * n)
        let r = 6_371_000.0, rad = Double.pi / 180
        for i in 0..<n {
            for j in 0..<n where i != j {
                let p1 = points[i].latitude * rad, p2 = points[j].latitude * rad
                let dp = p2 - p1, dl = (points[j].longitude - points[i].longitude) * rad
                let s1 = sinApprox(dp / 2), s2 = sinApprox(dl / 2)
                let a = s1 * s1 + cosApprox(p1) * cosApprox(p2) * s2 * s2
                let d = 2 * r * asinApprox(min(1, a.squareRoot()))
                t[i * n + j] = d * roadFactor / metresPerUnit
            }
        }
        return TravelMatrix(unchecked: n, t)
    }

    init(unchecked count: Int, _ times: [Double]) {
        self.count = count
        self.times = times
    }

    @inline(__always) public func time(from a: Int, to b: Int) -> Double { times[a * count + b] }
}

/// The whole question: where, who, when.
public struct Problem: Sendable {
    public var matrix: TravelMatrix
    public var jobs: [Job]
    public var vehicles: [Vehicle]

    public init(matrix: TravelMatrix, jobs: [Job], vehicles: [Vehicle]) {
        self.matrix = matrix
        self.jobs = jobs
        self.vehicles = vehicles
    }
}

// Foundation-free trigonometry (the module has no dependencies); Taylor/series good to ~1e-12 on the ranges used.
private func sinApprox(_ x: Double) -> Double {
    var term = x, sum = x
    let x2 = x * x
    for k in 1..<12 {
        term *= -x2 / Double((2 * k) * (2 * k + 1))
        sum += term
    }
    return sum
}

private func cosApprox(_ x: Double) -> Double { sinApprox(Double.pi / 2 - x) }

private func asinApprox(_ x: Double) -> Double {
    // Newton on sin(y) = x, starting from x; converges for |x| <= 1 in a few steps except near 1.
    if x >= 1 { return Double.pi / 2 }
    var y = x
    for _ in 0..<40 {
        let c = cosApprox(y)
        if abs(c) < 1e-12 { break }
        let dy = (sinApprox(y) - x) / c
        y -= dy
        if abs(dy) < 1e-14 { break }
    }
    return y
}
