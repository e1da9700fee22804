import Foundation
import Testing
@testable import Outreach
import Registry
import Routing
@testable import Store

/// End to end over an in-memory database: seed the demo county, plan a week, record outcomes, re-plan.
@Suite struct VisitServiceTests {
    let monday = CalendarDate(year: 2026, month: 11, day: 30)!

    func seededService() throws -> (VisitService, DemoCounty) {
        let db = try CarnationDatabase()
        let county = DemoCounty(residents: 600, seed: 5, today: monday)
        _ = try db.importing(source: "demo", file: "demo", user: "tester", asOf: monday, now: Date(), dryRun: false) { (s: ImportSession) throws -> ((), ImportRecord) in
            for r in county.residents { try s.insert(r) }
            return ((), ImportRecord(source: "demo", file: "demo", encoding: "UTF-8", asOf: monday, user: "tester", counts: ImportCounts()))
        }
        try db.saveAreas((county.townships + county.villages).map { ($0.code, $0.name, $0.latitude, $0.longitude) })
        try db.saveTeams(DemoTeams.make(for: county, seed: 5))
        return (VisitService(database: db, book: try VisitFixtures.shippedBook(), registryRules: VisitFixtures.registryRules), county)
    }

    let options = SolveOptions(timeLimit: .seconds(30), iterationLimit: 100, seed: 1)

    @Test func planAWeekRecordOutcomesAndReplan() throws {
        let (service, _) = try seededService()
        let db = service.database
        let run = try service.plan(from: monday, days: 5, scope: nil, options: options)
        #expect(run.result.feasible)
        #expect(run.refused.isEmpty)
        #expect(!run.saved.isEmpty)
        let week = try db.visits(from: monday, to: monday.adding(days: 6))
        #expect(week.count == run.result.days.reduce(0) { $0 + $1.visits.count })

        // Monday, first team: record an outcome for each of its first visits.
        let team = try #require(run.result.days.first { $0.date == monday }?.team)
        let day = try db.visits(from: monday, to: monday, team: team)
        #expect(day.count >= 3)
        try service.record(day[0].id, outcome: .deceased, note: nil, user: "tester", now: Date())
        try service.record(day[1].id, outcome: .notHome, note: nil, user: "tester", now: Date())
        try service.record(day[2].id, outcome: day[2].kind == "certification" ? .certified : .done, note: nil, user: "tester", now: Date())

        let deceased = try #require(try db.resident(ResidentID(day[0].residentID)))
        #expect(Resident(id: deceased.id, fields: deceased.values).lifeStatus == .deceased)
        #expect(try db.openFollowUps().contains { $0.residentID == day[1].residentID && $0.due == monday.adding(days: 3) })

        // Re-plan from Monday: Monday of that team is kept as it was; the deceased are planned nowhere; the
        // not-home resident has a follow-up in the other half of the day, from Tuesday.
        let again = try service.plan(from: monday, days: 5, scope: nil, options: options)
        #expect(again.result.keptDays == [team + "|" + monday.description])
        #expect(again.result.feasible)
        let kept = try db.visits(from: monday, to: monday, team: team)
        #expect(kept.map(\.id) == day.map(\.id))
        let after = try db.visits(from: monday.adding(days: 1), to: monday.adding(days: 7))
        #expect(!after.contains { $0.residentID == day[0].residentID })
        #expect(!after.contains { $0.residentID == day[2].residentID && $0.rule == day[2].rule })
        if let retry = after.first(where: { $0.residentID == day[1].residentID && $0.kind == "follow-up" }) {
            #expect(retry.date > monday)
            #expect(retry.start >= VisitOutcomes.afternoon.start)
        }

        // The daily list masks IDs and says what to do.
        let list = try service.dailyList(team: team, date: monday)
        let text = list.text()
        #expect(!text.contains(day[2].residentID))
        #expect(text.contains(String(day[2].residentID.suffix(4))))
        #expect(text.contains("已故"))
        #expect(list.stops.count == Set(day.map(\.stop)).count)

        // The printable page escapes what it shows and keeps IDs masked.
        let templateURL = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Templates/print/visit-list.mustache")
        let html = try list.html(template: try String(contentsOf: templateURL, encoding: .utf8), path: templateURL.path)
        #expect(html.contains("<h1>\(team)"))
        #expect(html.contains("第1站"))
        #expect(!html.contains(day[2].residentID))

        // Coverage counts what was recorded.
        let coverage = try service.coverage(from: monday, to: monday.adding(days: 4), scope: nil)
        let line = try #require(coverage.byTeam.first { $0.key == team })
        #expect(line.met == 1 && line.notHome == 1 && line.stopped == 1)
        #expect(line.planned == (try db.visits(from: monday, to: monday.adding(days: 4), team: team)).filter { $0.status == .planned }.count)
        #expect(coverage.seenThisYear.values.allSatisfy { $0 == 1 })  // one resident seen, counted once per category
    }

    @Test func needsRespectTheArea() throws {
        let (service, county) = try seededService()
        let township = try AreaPrefix(String(county.townships[0].code.prefix(9)))
        let all = try service.needs(on: monday, scope: nil)
        let some = try service.needs(on: monday, scope: nil, area: township)
        #expect(!some.isEmpty && some.count < all.count)
        #expect(some.allSatisfy { $0.areaCode.hasPrefix(township.value) })
        // A user scoped to another township sees none of them.
        let other = try AreaPrefix(String(county.townships[1].code.prefix(9)))
        #expect(try service.needs(on: monday, scope: [other], area: township).isEmpty)
    }
}
