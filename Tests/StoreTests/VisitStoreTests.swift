import Foundation
import Testing
@testable import Registry
@testable import Store

@Suite struct VisitStoreTests {
    let day = CalendarDate(year: 2026, month: 12, day: 1)!
    let asOf = CalendarDate(year: 2026, month: 11, day: 1)!

    func seeded() throws -> (CarnationDatabase, StoredResident) {
        let db = try CarnationDatabase()
        let id = ResidentID(area: "532999", birth: CalendarDate(year: 1940, month: 5, day: 6)!, sequence: 11)
        let values: [ResidentField: String] = [.name: "张秀英", .areaCode: "532999001201", .pensionScheme: "receiving", .lastCertification: "2025-12-01"]
        let r = StoredResident(id: id, values: values, provenance: values.mapValues { _ in Provenance(source: "hrss", asOf: asOf) })
        _ = try db.importing(source: "test", file: "t.csv", user: "tester", asOf: asOf, now: Date(), dryRun: false) { (s: ImportSession) throws -> ((), ImportRecord) in
            try s.insert(r)
            return ((), ImportRecord(source: "test", file: "t.csv", encoding: "UTF-8", asOf: asOf, user: "tester", counts: ImportCounts()))
        }
        return (db, r)
    }

    func visit(_ r: StoredResident, date: CalendarDate, stop: Int = 1, kind: String = "certification", followUp: Int64? = nil) -> VisitRecord {
        VisitRecord(date: date, team: "龙泉队", stop: stop, residentID: r.id.value, household: nil, rule: kind, kind: kind,
                    arrival: 540, start: 540, end: 565, due: date, reason: "测试", followUp: followUp)
    }

    @Test func teamsRoundTripAndReplaceByName() throws {
        let db = try CarnationDatabase()
        var t = Team(name: "龙泉队", areas: ["532999001"], members: [TeamMember(name: "李海燕", phone: "13800000000", skills: ["彝语"])],
                     baseName: "社保所", baseLatitude: 25.7, baseLongitude: 100.3, baseArea: "532999001000", mode: .car, maxVisits: 6)
        try db.saveTeam(t)
        #expect(try db.teams() == [t])
        t.maxVisits = 9
        try db.saveTeams([t])
        #expect(try db.teams().map(\.maxVisits) == [9])
        try db.saveTravelTimes([TravelTimeEntry(mode: .car, from: "532999001201", to: "532999001202", minutes: 12.5)])
        #expect(try db.travelTimes(mode: .car).map(\.minutes) == [12.5])
        #expect(try db.travelTimes(mode: .foot).isEmpty)
    }

    @Test func replanningReplacesOnlyPlannedVisits() throws {
        let (db, r) = try seeded()
        let saved = try db.replacePlannedVisits(team: "龙泉队", date: day, with: [visit(r, date: day), visit(r, date: day, stop: 2, kind: "welfare-check")])
        #expect(saved.allSatisfy { $0.id > 0 })
        try db.recordVisitOutcome(saved[1].id, status: .done, note: nil, findings: [], newFollowUp: nil, user: "t", now: Date())
        try db.replacePlannedVisits(team: "龙泉队", date: day, with: [])
        let left = try db.visits(from: day, to: day)
        #expect(left.map(\.id) == [saved[1].id])
        #expect(left.first?.status == .done)
        #expect(try db.visitOutcomeFacts() == [VisitOutcomeFact(residentID: r.id.value, kind: "welfare-check", status: .done, last: day)])
    }

    @Test func certifiedUpdatesTheRegisterWithVisitProvenance() throws {
        let (db, r) = try seeded()
        let v = try db.replacePlannedVisits(team: "龙泉队", date: day, with: [visit(r, date: day)])[0]
        try db.recordVisitOutcome(v.id, status: .certified, note: "人脸识别", findings: [.certified(on: day)], newFollowUp: nil, user: "t", now: Date())
        let after = try #require(try db.resident(r.id))
        #expect(after.values[.lastCertification] == "2026-12-01")
        #expect(after.provenance[.lastCertification] == Provenance(source: "visit", asOf: day))
        #expect(after.provenance[.name] == Provenance(source: "hrss", asOf: asOf))
        #expect(try db.visit(v.id)?.note == "人脸识别")
        #expect(try db.auditEntries(limit: 1).first?.action == "visit-outcome")
    }

    @Test func deceasedStopsAllOutreach() throws {
        let (db, r) = try seeded()
        let f = try db.addFollowUp(FollowUp(residentID: r.id.value, source: "sms", reason: "短信未送达", created: day, due: day.adding(days: 5)))
        let v = try db.replacePlannedVisits(team: "龙泉队", date: day, with: [visit(r, date: day)])[0]
        try db.replacePlannedVisits(team: "龙泉队", date: day.adding(days: 2), with: [visit(r, date: day.adding(days: 2), kind: "welfare-check")])
        try db.recordVisitOutcome(v.id, status: .deceased, note: nil, findings: [.deceased(on: day)], newFollowUp: nil, user: "t", now: Date())
        let after = try #require(try db.resident(r.id))
        #expect(Resident(id: after.id, fields: after.values).lifeStatus == .deceased)
        #expect(try db.openFollowUps().filter { $0.id == f }.isEmpty)
        #expect(try db.visits(from: day.adding(days: 1), to: day.adding(days: 10)).isEmpty)
    }

    @Test func availabilitySetAndCleared() throws {
        let (db, r) = try seeded()
        try db.setAvailability(Availability(residentID: r.id.value, start: 480, end: 720, note: "儿媳上午在家"), for: r.id.value)
        #expect(try db.availability()[r.id.value]?.end == 720)
        try db.setAvailability(nil, for: r.id.value)
        #expect(try db.availability().isEmpty)
    }

    @Test func movedOutAndNotHome() throws {
        let (db, r) = try seeded()
        let v = try db.replacePlannedVisits(team: "龙泉队", date: day, with: [visit(r, date: day), visit(r, date: day, stop: 2, kind: "welfare-check")])
        let retry = FollowUp(residentID: r.id.value, source: "visit", reason: "无人在家", created: day, due: day.adding(days: 3), windowStart: 810, windowEnd: 1050)
        try db.recordVisitOutcome(v[0].id, status: .notHome, note: nil, findings: [], newFollowUp: retry, user: "t", now: Date())
        let open = try db.openFollowUps()
        #expect(open.count == 1)
        #expect(open.first?.windowStart == 810 && open.first?.due == day.adding(days: 3))
        try db.recordVisitOutcome(v[1].id, status: .moved, note: nil, findings: [.movedOut(on: day)], newFollowUp: nil, user: "t", now: Date())
        #expect(try db.resident(r.id)?.values[.moveOutDate] == "2026-12-01")
        #expect(try db.openFollowUps().isEmpty)
        #expect(throws: StoreError.self) { try db.recordVisitOutcome(999, status: .done, note: nil, findings: [], newFollowUp: nil, user: "t", now: Date()) }
    }
}
