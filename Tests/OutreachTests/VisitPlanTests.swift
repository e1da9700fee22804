import Foundation
import Testing
@testable import Outreach
import Registry
import Routing
import Store

@Suite struct VisitPlanTests {
    let book: VisitRuleBook
    init() throws { book = try VisitFixtures.shippedBook() }

    /// Reproducible: the iteration limit, not the clock, stops the search.
    let options = SolveOptions(timeLimit: .seconds(30), iterationLimit: 300, seed: 1)
    let monday = CalendarDate(year: 2026, month: 11, day: 30)!

    func finder(_ date: CalendarDate) -> VisitNeedFinder {
        VisitNeedFinder(book: book, registryRules: VisitFixtures.registryRules, today: date)
    }

    @Test func weekdaysAndWorkingDays() {
        #expect(monday.weekday == 1)
        #expect(CalendarDate(year: 2026, month: 12, day: 6)!.weekday == 7)
        let days = VisitPlanner.workingDays(of: VisitFixtures.team(), from: CalendarDate(year: 2026, month: 12, day: 4)!, count: 3)
        #expect(days.map(\.description) == ["2026-12-04", "2026-12-07", "2026-12-08"])
    }

    @Test func householdMembersAreServedInOneStop() throws {
        let a = VisitFixtures.resident(born: CalendarDate(year: 1940, month: 1, day: 1)!, [.pensionScheme: "receiving", .householdID: "H1", .livingArrangement: "spouse_only"])
        let b = VisitFixtures.resident(born: CalendarDate(year: 1942, month: 1, day: 1)!, [.pensionScheme: "receiving", .householdID: "H1", .livingArrangement: "spouse_only"])
        let c = VisitFixtures.resident(born: CalendarDate(year: 1941, month: 1, day: 1)!, [.pensionScheme: "receiving", .latitude: "25.83", .longitude: "100.45"])
        let needs = [a, b, c].flatMap(finder(monday).needs(of:))
        let result = try VisitPlanner(book: book, teams: [VisitFixtures.team()], options: options).plan(needs, from: monday, days: 1)
        #expect(result.feasible)
        #expect(result.unplanned.isEmpty)
        let day = try #require(result.days.first)
        let stops = Dictionary(grouping: day.visits, by: \.need.household).mapValues { Set($0.map(\.stop)) }
        #expect(stops["H1"]?.count == 1)
        #expect(Set(day.visits.map(\.stop)).count == 2)
        // Within a stop, one visit follows another.
        let h1 = day.visits.filter { $0.need.household == "H1" }.sorted { $0.start < $1.start }
        for (x, y) in zip(h1, h1.dropFirst()) { #expect(x.end <= y.start) }
    }

    @Test func aYiOnlySpeakerGoesToATeamWithAYiSpeaker() throws {
        let r = VisitFixtures.resident(born: CalendarDate(year: 1935, month: 1, day: 1)!, [.pensionScheme: "receiving", .languages: "彝语"])
        let needs = finder(monday).needs(of: r)
        let without = try VisitPlanner(book: book, teams: [VisitFixtures.team("汉语队")], options: options).plan(needs, from: monday, days: 2)
        #expect(without.days.isEmpty)
        #expect(without.unplanned.count == needs.count)
        #expect(without.unplanned.allSatisfy { $0.reason.contains("彝语") })
        let teams = [VisitFixtures.team("汉语队"), VisitFixtures.team("彝语队", skills: ["彝语"])]
        let with = try VisitPlanner(book: book, teams: teams, options: options).plan(needs, from: monday, days: 1)
        #expect(with.unplanned.isEmpty)
        #expect(with.days.map(\.team) == ["彝语队"])
    }

    @Test func dueNeedsComeFirstAndTheRestIsCarried() throws {
        // Ten uninsured (no deadline) and two overdue certifications; a team of 2 visits a day.
        var residents: [StoredResident] = []
        for i in 0..<10 { residents.append(VisitFixtures.resident(born: CalendarDate(year: 1980, month: 1, day: 1 + i)!, [.pensionScheme: "none"])) }
        for i in 0..<2 { residents.append(VisitFixtures.resident(born: CalendarDate(year: 1940, month: 1, day: 1 + i)!, [.pensionScheme: "receiving", .lastCertification: "2025-10-01"])) }
        let needs = residents.flatMap(finder(monday).needs(of:))
        let result = try VisitPlanner(book: book, teams: [VisitFixtures.team(maxVisits: 2)], options: options).plan(needs, from: monday, days: 3)
        #expect(result.feasible)
        let first = try #require(result.days.first)
        #expect(first.date == monday)
        #expect(Set(first.visits.map(\.need.kind)) == [.certification])
        #expect(result.days.count == 3)
        #expect(result.unplanned.count == 12 - 6)
        #expect(result.unplanned.allSatisfy { $0.need.kind == .enrolment })
        #expect(result.days[1].date == monday.adding(days: 1))
    }

    @Test func availabilityBecomesATimeWindowTheRouteKeeps() throws {
        let r = VisitFixtures.resident(born: CalendarDate(year: 1940, month: 1, day: 1)!, [.pensionScheme: "receiving", .bedridden: "1"])
        let finder = VisitNeedFinder(book: book, registryRules: VisitFixtures.registryRules, today: monday,
                                     availability: [r.id.value: Availability(residentID: r.id.value, start: 14 * 60, end: 16 * 60, note: "女儿下午在家")])
        let needs = finder.needs(of: r)
        #expect(needs.count == 2 && needs.allSatisfy { $0.windowStart == 14 * 60 && $0.windowEnd == 16 * 60 })
        let result = try VisitPlanner(book: book, teams: [VisitFixtures.team()], options: options).plan(needs, from: monday, days: 1)
        let visits = try #require(result.days.first?.visits)
        #expect(visits.count == 2)
        #expect(visits.allSatisfy { $0.start >= 14 * 60 && $0.start <= 16 * 60 })
    }

    @Test func keptDaysAreLeftAlone() throws {
        let r = VisitFixtures.resident(born: CalendarDate(year: 1940, month: 1, day: 1)!, [.pensionScheme: "receiving"])
        let result = try VisitPlanner(book: book, teams: [VisitFixtures.team()], options: options)
            .plan(finder(monday).needs(of: r), from: monday, days: 2, keep: ["测试队|2026-11-30"])
        #expect(result.keptDays == ["测试队|2026-11-30"])
        #expect(result.days.map(\.date) == [monday.adding(days: 1)])
    }

    @Test func theDemoCountyPlansAWeekThatPassesTheChecker() throws {
        let county = DemoCounty(residents: 800, seed: 3, today: monday)
        let teams = DemoTeams.make(for: county, seed: 3)
        let needs = county.residents.flatMap(finder(monday).needs(of:))
        #expect(!needs.isEmpty)
        let centres = Dictionary(uniqueKeysWithValues: county.villages.map { ($0.code, (latitude: $0.latitude, longitude: $0.longitude)) })
        let planner = VisitPlanner(book: book, teams: teams, areaCentres: centres, options: SolveOptions(timeLimit: .seconds(30), iterationLimit: 100, seed: 1))
        let result = try planner.plan(needs, from: monday, days: 5)
        #expect(result.feasible)
        #expect(result.days.allSatisfy { $0.violations.isEmpty && $0.visits.count <= 8 })
        // Every need is either planned exactly once or reported with a reason.
        let planned = result.days.flatMap { $0.visits.map(\.need.key) }
        #expect(Set(planned).count == planned.count)
        #expect(planned.count + result.unplanned.count == needs.count)
        #expect(result.unplanned.allSatisfy { !$0.reason.isEmpty })
        // Skills respected: a team only visits people whose needs its members can meet.
        let skills = Dictionary(uniqueKeysWithValues: teams.map { ($0.name, $0.skills) })
        for d in result.days { for v in d.visits { #expect(Set(v.need.skills).isSubset(of: skills[d.team]!)) } }
        // Nobody deceased or moved out is on a list.
        let gone = Set(county.residents.filter { $0.values[.deathDate] != nil || $0.values[.moveOutDate] != nil }.map(\.id.value))
        #expect(!gone.isEmpty)
        #expect(planned.allSatisfy { !gone.contains(String($0.prefix(18))) })
        #expect(planned.count * 2 >= needs.count)
    }

    @Test func coordinatorTravelTimesOverrideEstimatesBetweenVillages() throws {
        let csv = "from,to,minutes\n532999001201,532999001202,45\n# comment\n532999001202,532999001203,20\n"
        let entries = try TravelTimes.parseCSV(csv, mode: .motorbike, file: "t.csv")
        #expect(entries.count == 4)  // each also the other way
        let points = [TravelPoint(latitude: 25.8, longitude: 100.4, area: "532999001201"), TravelPoint(latitude: 25.81, longitude: 100.41, area: "532999001202"),
                      TravelPoint(latitude: 25.811, longitude: 100.41, area: "532999001202")]
        let m = try TravelTimes.matrix(points, speed: TravelSpeed(kilometresPerHour: 25, roadFactor: 1.6), overrides: TravelTimes.overrides(entries))
        #expect(m.time(from: 0, to: 1) == 45)
        #expect(m.time(from: 1, to: 0) == 45)
        #expect(m.time(from: 1, to: 2) < 1)  // same village: estimated
        #expect(throws: VisitError.self) { try TravelTimes.parseCSV("532999001201,5329990012,3\n", mode: .car, file: "bad.csv") }
    }

    @Test func teamsFileReadsAndRejectsMistakes() throws {
        let yaml = """
            teams:
              - name: 龙泉队
                areas: ["532999001"]
                base: {name: 龙泉镇社保所, latitude: 25.71, longitude: 100.32}
                days: [mon, wed, 周五]
                hours: "08:00-17:00"
                break: {window: "12:00-13:30", minutes: 45}
                mode: foot
                max_visits: 6
                members:
                  - {name: 李海燕, phone: "+86 138 0000 0000", skills: [彝语, 急救]}
            """
        let t = try #require(try TeamsFile.parse(yaml, file: "teams.yaml").first)
        #expect(t.workingDays == [1, 3, 5])
        #expect(t.dayStart == 480 && t.dayEnd == 1020 && t.breakMinutes == 45)
        #expect(t.mode == .foot && t.maxVisits == 6)
        #expect(t.members.first?.phone == "13800000000")
        #expect(t.skills == ["彝语", "急救"])
        #expect(throws: VisitError.self) { try TeamsFile.parse(yaml.replacingOccurrences(of: "mode: foot", with: "mode: horse"), file: "teams.yaml") }
        #expect(throws: VisitError.self) { try TeamsFile.parse(yaml.replacingOccurrences(of: "08:00-17:00", with: "17:00-08:00"), file: "teams.yaml") }
    }
}
