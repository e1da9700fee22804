import Testing
@testable import Routing

@Suite("Checker")
struct CheckerTests {
    let problem = Fixture.line()

    func kinds(_ plan: Plan, _ p: Problem? = nil) -> Set<Violation.Kind> {
        Set(Checker.verify(plan, for: p ?? problem).map(\.kind))
    }

    func mutate(_ f: (inout PlannedRoute) -> Void) -> Plan {
        var plan = Fixture.linePlan()
        f(&plan.routes[0])
        return plan
    }

    @Test func handMadeFeasiblePlanPasses() {
        #expect(Checker.verify(Fixture.linePlan(), for: problem).isEmpty)
        let obj = Fixture.linePlan().objective(for: problem)
        #expect(obj == Objective(missedMandatory: 0, missedPriority: 0, vehicles: 1, travel: 60))
    }

    @Test func timeWindowViolated() {
        // C served at 12: between its two windows.
        let plan = mutate { r in
            r.stops[2].wait = 0; r.stops[2].start = 40; r.stops[2].end = 45; r.returnTime = 75
            r.breakTime = PlannedBreak(beforeStop: 3, start: 75, end: 85)
        }
        #expect(kinds(plan) == [.outsideWindow])
        // The second window of C is fine: the reference plan uses it.
        #expect(kinds(Fixture.linePlan()).isEmpty)
    }

    @Test func capacityExceeded() {
        var p = problem
        p.vehicles[0].capacity = 3
        #expect(kinds(Fixture.linePlan(), p) == [.overCapacity])
    }

    @Test func skillMissing() {
        var plan = Fixture.linePlan()
        plan.routes[0].vehicle = 1  // t2 has no "nurse" skill and no break
        plan.routes[0].breakTime = nil
        #expect(kinds(plan) == [.missingSkill])
    }

    @Test func maxJobsExceeded() {
        var p = problem
        p.vehicles[0].maxJobs = 2
        #expect(kinds(Fixture.linePlan(), p) == [.tooManyJobs])
    }

    @Test func shiftBounds() {
        var p = problem
        p.vehicles[0].shift = TimeWindow(0, 90)
        #expect(kinds(Fixture.linePlan(), p) == [.returnsAfterShift])
        p.vehicles[0].shift = TimeWindow(5, 200)
        #expect(kinds(Fixture.linePlan(), p) == [.departsBeforeShift])
    }

    @Test func travelAndTimesMustAddUp() {
        #expect(kinds(mutate { $0.stops[1].arrival = 20; $0.stops[1].wait = 5 }).contains(.arrivesTooEarly))
        #expect(kinds(mutate { $0.stops[1].start = 22; $0.stops[1].wait = -3 }).contains(.startBeforeArrival))
        #expect(kinds(mutate { $0.stops[2].wait = 3 }) == [.wrongWait])
        #expect(kinds(mutate { $0.stops[0].end = 12 }).contains(.wrongEnd))
        #expect(kinds(mutate { $0.travel = 50 }) == [.travelMismatch])
        #expect(kinds(mutate { $0.returnTime = 80 }).contains(.arrivesTooEarly))
        #expect(kinds(mutate { $0.stops[1].location = 3 }).contains(.wrongLocation))
    }

    @Test func breakRules() {
        #expect(kinds(mutate { $0.breakTime = nil }) == [.breakMissing])
        #expect(kinds(mutate { $0.breakTime = PlannedBreak(beforeStop: 3, start: 125, end: 135) }) == [.breakOutsideWindow])
        #expect(kinds(mutate { $0.breakTime = PlannedBreak(beforeStop: 3, start: 85, end: 90) }) == [.breakTooShort])
        // Break during the wait before C (arrive 40, break 40..50 would start before its window opens at 60).
        #expect(kinds(mutate { $0.breakTime = PlannedBreak(beforeStop: 2, start: 40, end: 50) }) == [.breakOutsideWindow])
        // Break overlapping C's service.
        #expect(kinds(mutate { $0.breakTime = PlannedBreak(beforeStop: 2, start: 60, end: 70) }) == [.breakOverlaps])
        // A break that fits in the wait is fine when the window allows it.
        var p = problem
        p.vehicles[0].breakTime = Break(window: TimeWindow(40, 45), duration: 10)
        #expect(kinds(mutate { $0.breakTime = PlannedBreak(beforeStop: 2, start: 40, end: 50) }, p).isEmpty)
    }

    @Test func everyJobAccountedForOnce() {
        var plan = Fixture.linePlan()
        plan.unassigned = [UnassignedJob(job: 1, reason: .noRoomInPlan)]
        #expect(kinds(plan) == [.jobServedTwice])
        plan = mutate { $0.stops.removeLast(); $0.breakTime = PlannedBreak(beforeStop: 2, start: 60, end: 70); $0.returnTime = 50; $0.travel = 40 }
        #expect(kinds(plan) == [.jobNeitherServedNorReported])
        plan.unassigned = [UnassignedJob(job: 2, reason: .noRoomInPlan)]
        #expect(kinds(plan).isEmpty)
        plan.unassigned = [UnassignedJob(job: 7, reason: .noRoomInPlan)]
        #expect(kinds(plan).contains(.unknownJob))
    }

    @Test func vehicles() {
        var plan = Fixture.linePlan()
        plan.routes.append(PlannedRoute(vehicle: 0, departure: 0, stops: [], breakTime: nil, returnTime: 0, travel: 0))
        #expect(kinds(plan) == [.vehicleUsedTwice])
        plan.routes[1].vehicle = 9
        #expect(kinds(plan) == [.unknownVehicle])
    }

    @Test func householdServedInOneStop() {
        var p = problem
        p.jobs[1].household = "h"
        p.jobs[2].household = "h"
        #expect(kinds(Fixture.linePlan(), p) == [.householdSplit])
    }
}
