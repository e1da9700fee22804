import Foundation
import Testing

/// Seeds the demo county, plans a week, records outcomes at the door and re-plans — with the built binary.
@Suite(.serialized) struct VisitsEndToEndTests {
    @Test func planAWeekRecordOutcomesAndReplan() throws {
        let c = try CarnationBinary()
        #expect(try c.run(["demo", "seed", "--residents", "600", "--seed", "8"]).status == 0)
        // 2026-11-30 is a Monday (CARNATION_TODAY): plan Monday to Friday, reproducibly.
        let plan = try c.json(["visits", "plan", "--date", "2026-11-30", "--days", "5", "--time-limit", "30", "--iterations", "300"]) as! [String: Any]
        #expect(plan["feasible"] as? Bool == true)
        let planned = plan["planned"] as! Int
        #expect(planned > 0)
        let days = plan["days"] as! [[String: Any]]
        let first = try #require(days.first { ($0["visits"] as! Int) > 0 })
        let team = first["team"] as! String, date = first["date"] as! String

        // The team's list: stops in order, masked IDs, tasks with visit numbers, a navigation link.
        let list = try c.json(["visits", "list", "--team", team, "--date", date]) as! [String: Any]
        let stops = list["stops"] as! [[String: Any]]
        #expect(!stops.isEmpty)
        #expect(stops.map { $0["number"] as! Int } == stops.map { $0["number"] as! Int }.sorted())
        #expect(stops.allSatisfy { ($0["navigation"] as? String)?.hasPrefix("https://uri.amap.com/") ?? true })
        let people = stops.flatMap { $0["people"] as! [[String: Any]] }
        #expect(people.allSatisfy { ($0["maskedID"] as! String).contains("**********") })
        let tasks = people.flatMap { $0["tasks"] as! [[String: Any]] }
        let visitIDs = tasks.map { $0["visit"] as! Int }
        #expect(visitIDs.count >= 1)
        let text = try c.run(["visits", "list", "--team", team, "--date", date])
        #expect(text.status == 0 && text.out.contains("【第1站】"))

        // Outcomes: the first visit done, the second resident deceased.
        let done = try c.json(["visits", "record", String(visitIDs[0]), "--outcome", "done"]) as! [String: String]
        #expect(done["outcome"] != nil)
        var deceasedVisit: Int?
        if visitIDs.count > 1 {
            deceasedVisit = visitIDs[1]
            let dead = try c.run(["visits", "record", String(visitIDs[1]), "--outcome", "deceased", "--note", "家属告知"])
            #expect(dead.status == 0, "\(dead.err)")
        }

        // Re-plan: the day with recorded outcomes is kept as it was; the rest is planned again.
        let again = try c.json(["visits", "plan", "--date", "2026-11-30", "--days", "5", "--time-limit", "30", "--iterations", "300"]) as! [String: Any]
        #expect(again["feasible"] as? Bool == true)
        #expect((again["keptDays"] as! [String]).contains { $0.contains(team) && $0.contains(date) })
        let kept = try c.json(["visits", "list", "--team", team, "--date", date]) as! [String: Any]
        let keptIDs = (kept["stops"] as! [[String: Any]]).flatMap { ($0["people"] as! [[String: Any]]).flatMap { ($0["tasks"] as! [[String: Any]]).map { $0["visit"] as! Int } } }
        #expect(keptIDs.contains(visitIDs[0]))

        // The deceased resident has no needs any more, and the register says so.
        if let deceasedVisit {
            let dead = try #require(people.first { p in (p["tasks"] as! [[String: Any]]).contains { $0["visit"] as? Int == deceasedVisit } })
            let needs = try c.json(["visits", "needs", "--limit", "0"]) as! [[String: Any]]
            #expect(!needs.contains { $0["name"] as? String == dead["name"] as? String && $0["resident"] as? String == dead["maskedID"] as? String })
            let stats = try c.json(["registry", "stats"]) as! [String: Any]
            #expect((stats["deceased"] as! Int) >= 1)
        }
    }
}
