import Testing
@testable import Routing

@Suite("Travel matrix")
struct MatrixTests {
    @Test func geographicDistanceAndSpeed() {
        // Beijing (39.9042, 116.4074) to Shanghai (31.2304, 121.4737): about 1,067 km great-circle.
        let m = TravelMatrix.geographic([(39.9042, 116.4074), (31.2304, 121.4737)], metresPerUnit: 1000, roadFactor: 1)
        #expect(abs(m.time(from: 0, to: 1) - 1067) < 5)
        #expect(m.time(from: 0, to: 1) == m.time(from: 1, to: 0))
        // A road factor of 1.5 on mountain roads and a walking speed of 1 m/s.
        let w = TravelMatrix.geographic([(25.0, 110.0), (25.01, 110.0)], metresPerUnit: 1, roadFactor: 1.5)
        #expect(abs(w.time(from: 0, to: 1) - 1.5 * 1112) < 5)
    }

    @Test func suppliedMatrixIsValidated() throws {
        #expect(throws: RoutingError.matrixSize(expected: 4, got: 3)) { try TravelMatrix(count: 2, times: [0, 1, 1]) }
        #expect(throws: RoutingError.self) { try TravelMatrix(count: 2, times: [0, -1, 1, 0]) }
        let m = try TravelMatrix(count: 2, times: [0, 7, 9, 0])
        #expect(m.time(from: 0, to: 1) == 7 && m.time(from: 1, to: 0) == 9)
        // A job pointing outside the matrix is refused with the place named.
        let p = Problem(matrix: m, jobs: [Job(id: "x", location: 5)],
                        vehicles: [Vehicle(id: "t", start: 0, end: 0, shift: TimeWindow(0, 10))])
        #expect(throws: RoutingError.locationOutOfRange(owner: "job x", location: 5, matrixSize: 2)) { try Solver.solve(p) }
    }

    @Test func asymmetricMatrixIsRespected() throws {
        // Uphill 0→1 takes 50, downhill 1→0 takes 10; the window at 1 closes at 40: unreachable.
        let m = try TravelMatrix(count: 3, times: [0, 50, 5, 10, 0, 5, 5, 5, 0])
        let p = Problem(matrix: m, jobs: [Job(id: "up", location: 1, windows: [TimeWindow(0, 40)]),
                                          Job(id: "near", location: 2)],
                        vehicles: [Vehicle(id: "t", start: 0, end: 0, shift: TimeWindow(0, 100))])
        let r = try Solver.solve(p, options: SolveOptions(timeLimit: nil, iterationLimit: 200))
        #expect(Checker.verify(r.plan, for: p).isEmpty)
        // Via 2 it takes 5 + 5 = 10: reachable through the other stop, so both are served.
        #expect(r.plan.unassigned.isEmpty)
        #expect(r.plan.routes.first?.stops.map { $0.jobs[0] } == [1, 0])
    }
}
