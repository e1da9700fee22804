import ArgumentParser
import Foundation
import Outreach
import Registry
import Routing
import Store

/// `carnation bench plan`: seed a county in memory, find the visit needs, plan every team's days; the reference
/// in the same run is the same planning with construction only (no search iterations).
struct BenchPlan: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Time visit planning for a synthetic county (needs and routes), against construction-only planning.")
    @Option(help: "Residents in the county.") var residents = 50_000
    @Option(help: "Visiting teams.") var teams = 30
    @Option(help: "Working days to plan.") var days = 5
    @Option(name: .customLong("time-limit"), help: "Solver seconds per team-day.") var timeLimit = 0.2
    @Option(help: "Random seed.") var seed: UInt64 = 1
    @Flag(help: "Print JSON.") var json = false

    struct Output: Encodable {
        var residents: Int, needs: Int, teams: Int, days: Int, teamDays: Int, visits: Int
        var secondsNeeds: Double, secondsPlan: Double, secondsPerPlannedDay: Double, secondsPerTeamDay: Double
        var visitsPerTeamDay: Double, feasible: Bool
        var referenceSecondsPlan: Double, referenceVisitsPerTeamDay: Double, referenceFeasible: Bool
        var travelMinutesPerTeamDay: Double, referenceTravelMinutesPerTeamDay: Double
        var timeRatio: Double, visitsRatio: Double, travelRatio: Double
    }

    func run() async throws {
        guard residents > 0, teams > 0, (1...31).contains(days), timeLimit > 0 else { throw CLIError.usage("give positive --residents, --teams, --time-limit and 1–31 --days") }
        let book = try loadVisitRules()
        let rulesURL = try CarnationPaths.content("registry.yaml")
        let registryRules = try RegistryRules.parse(try String(contentsOf: rulesURL, encoding: .utf8), file: rulesURL.path)
        let start = CalendarDate(year: 2026, month: 11, day: 30)!  // a Monday
        let county = DemoCounty(residents: residents, seed: seed, today: start)
        let teamList = DemoTeams.make(for: county, seed: seed, count: teams)
        let clock = ContinuousClock()
        var needs: [VisitNeed] = []
        let finder = VisitNeedFinder(book: book, registryRules: registryRules, today: start)
        let tNeeds = clock.measure { for r in county.residents { needs += finder.needs(of: r) } }
        let centres = Dictionary(uniqueKeysWithValues: county.villages.map { ($0.code, (latitude: $0.latitude, longitude: $0.longitude)) })
        func plan(_ options: SolveOptions) throws -> (VisitPlanResult, Duration) {
            var result: VisitPlanResult?
            let t = try clock.measure { result = try VisitPlanner(book: book, teams: teamList, areaCentres: centres, options: options).plan(needs, from: start, days: days) }
            return (result!, t)
        }
        let (reference, tRef) = try plan(SolveOptions(timeLimit: nil, iterationLimit: 0, seed: seed))
        let (result, tPlan) = try plan(SolveOptions(timeLimit: .milliseconds(Int(timeLimit * 1000)), seed: seed))
        func seconds(_ d: Duration) -> Double { Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18 }
        let teamDays = teamList.count * days
        let travel = result.days.reduce(0) { $0 + $1.travelMinutes }, refTravel = reference.days.reduce(0) { $0 + $1.travelMinutes }
        let visits = result.days.reduce(0) { $0 + $1.visits.count }, refVisits = reference.days.reduce(0) { $0 + $1.visits.count }
        let out = Output(residents: county.residents.count, needs: needs.count, teams: teamList.count, days: days, teamDays: teamDays, visits: visits,
                         secondsNeeds: seconds(tNeeds), secondsPlan: seconds(tPlan), secondsPerPlannedDay: seconds(tPlan) / Double(days),
                         secondsPerTeamDay: seconds(tPlan) / Double(teamDays), visitsPerTeamDay: Double(visits) / Double(teamDays), feasible: result.feasible,
                         referenceSecondsPlan: seconds(tRef), referenceVisitsPerTeamDay: Double(refVisits) / Double(teamDays), referenceFeasible: reference.feasible,
                         travelMinutesPerTeamDay: travel / Double(teamDays), referenceTravelMinutesPerTeamDay: refTravel / Double(teamDays),
                         timeRatio: seconds(tPlan) / max(1e-9, seconds(tRef)), visitsRatio: Double(visits) / Double(max(1, refVisits)),
                         travelRatio: travel / max(1e-9, refTravel))
        if json { try printJSON(out); return }
        print(String(format: "County of %d residents: %d visit needs found in %.2f s; %d teams × %d days.", out.residents, out.needs, out.secondsNeeds, out.teams, days))
        print(table(["planning", "seconds", "s / planned day", "s / team-day", "visits / team-day", "travel min / team-day", "checked"], [
            ["construction only (reference)", String(format: "%.2f", out.referenceSecondsPlan), String(format: "%.3f", out.referenceSecondsPlan / Double(days)),
             String(format: "%.3f", out.referenceSecondsPlan / Double(teamDays)), String(format: "%.2f", out.referenceVisitsPerTeamDay), String(format: "%.0f", out.referenceTravelMinutesPerTeamDay), reference.feasible ? "feasible" : "VIOLATIONS"],
            ["search, \(timeLimit) s per team-day", String(format: "%.2f", out.secondsPlan), String(format: "%.3f", out.secondsPerPlannedDay),
             String(format: "%.3f", out.secondsPerTeamDay), String(format: "%.2f", out.visitsPerTeamDay), String(format: "%.0f", out.travelMinutesPerTeamDay), result.feasible ? "feasible" : "VIOLATIONS"],
        ]), terminator: "")
        print(String(format: "Search vs reference: %.1f× the time, %.3f× the visits, %.3f× the travel.", out.timeRatio, out.visitsRatio, out.travelRatio))
    }
}
