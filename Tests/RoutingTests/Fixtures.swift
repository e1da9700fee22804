@testable import Routing

/// Small hand-made questions shared by the tests.
enum Fixture {
    /// Depot at x=0 and doors at x=10, 20, 30 on a straight road (travel time = distance).
    static func line() -> Problem {
        let matrix = TravelMatrix.planar([(0, 0), (10, 0), (20, 0), (30, 0)])
        let jobs = [
            Job(id: "A", location: 1, service: 5, windows: [TimeWindow(0, 100)], skills: ["nurse"], demand: 1),
            Job(id: "B", location: 2, service: 5, windows: [TimeWindow(20, 40)], demand: 2),
            Job(id: "C", location: 3, service: 5, windows: [TimeWindow(0, 10), TimeWindow(50, 80)], demand: 1),
        ]
        let vehicles = [
            Vehicle(id: "t1", start: 0, end: 0, shift: TimeWindow(0, 200),
                    breakTime: Break(window: TimeWindow(60, 120), duration: 10),
                    skills: ["nurse"], maxJobs: 3, capacity: 5),
            Vehicle(id: "t2", start: 0, end: 0, shift: TimeWindow(0, 200), capacity: 5),
        ]
        return Problem(matrix: matrix, jobs: jobs, vehicles: vehicles)
    }

    /// A correct plan for `line()`: team t1 serves A, B, C and takes its break back at the base.
    static func linePlan() -> Plan {
        let stops = [
            PlannedStop(jobs: [0], location: 1, arrival: 10, wait: 0, start: 10, end: 15),
            PlannedStop(jobs: [1], location: 2, arrival: 25, wait: 0, start: 25, end: 30),
            PlannedStop(jobs: [2], location: 3, arrival: 40, wait: 10, start: 50, end: 55),
        ]
        let route = PlannedRoute(vehicle: 0, departure: 0, stops: stops,
                                 breakTime: PlannedBreak(beforeStop: 3, start: 85, end: 95),
                                 returnTime: 85, travel: 60)
        return Plan(routes: [route], unassigned: [])
    }

    /// Seeded random small VRPTW: `n` customers in a 100×100 square, `v` identical vehicles.
    static func random(seed: UInt64, n: Int, v: Int, capacity: Int = 10, horizon: Double = 400) -> Problem {
        var rng = Rng(seed: seed)
        var points: [(x: Double, y: Double)] = [(50, 50)]
        for _ in 0..<n { points.append((rng.unit() * 100, rng.unit() * 100)) }
        let matrix = TravelMatrix.planar(points)
        var jobs: [Job] = []
        for i in 1...n {
            let d = matrix.time(from: 0, to: i)
            let open = rng.unit() * (horizon - 2 * d - 40)
            let width = 40 + rng.unit() * 150
            jobs.append(Job(id: "\(i)", location: i, service: 10, windows: [TimeWindow(max(d, open), max(d, open) + width)],
                            demand: 1 + rng.below(4)))
        }
        let vehicles = (0..<v).map { Vehicle(id: "v\($0)", start: 0, end: 0, shift: TimeWindow(0, horizon), capacity: capacity) }
        return Problem(matrix: matrix, jobs: jobs, vehicles: vehicles)
    }
}
