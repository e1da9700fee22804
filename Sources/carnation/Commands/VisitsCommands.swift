import ArgumentParser
import Foundation
import Outreach
import Registry
import Routing
import Store

/// Loads `content/visit-rules.yaml`.
func loadVisitRules() throws -> VisitRuleBook {
    let url = try CarnationPaths.content("visit-rules.yaml")
    guard let text = try? String(contentsOf: url, encoding: .utf8) else { throw CLIError.notFound("cannot read \(url.path)") }
    return try VisitRuleBook.parse(text, file: url.path)
}

func parseDate(_ s: String, _ option: String) throws -> CalendarDate {
    guard let d = CalendarDate(parsing: s) else { throw CLIError.usage("\(option) '\(s)' is not a date (YYYY-MM-DD)") }
    return d
}

func parseArea(_ s: String?) throws -> AreaPrefix? {
    guard let s else { return nil }
    do { return try AreaPrefix(s) } catch { throw CLIError.usage("--area: \(error.description)") }
}

// MARK: teams

/// `carnation teams …`: the visiting teams.
struct TeamsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "teams",
        abstract: "Visiting teams: who covers which villages, when, how they travel, what languages they speak.",
        subcommands: [TeamsImport.self, TeamsAdd.self, TeamsList.self, TeamsTravelTimes.self]
    )
}

struct TeamsImport: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import", abstract: "Add or replace teams from a YAML file (see `teams:` in ops/ or the TeamsFile doc).")
    @Argument(help: "The teams file (YAML).") var file: String
    @OptionGroup var office: OfficeOptions

    func run() async throws {
        let context = try Office(office)
        guard let text = try? String(contentsOfFile: file, encoding: .utf8) else { throw CLIError.notFound("cannot read \(file)") }
        let teams = try TeamsFile.parse(text, file: file)
        try context.database.saveTeams(teams)
        try context.database.audit(user: context.access.user, action: "teams-import", subject: file, detail: "\(teams.count) teams", now: Date())
        if office.json { try printJSON(teams.map(\.name)) } else { print("Imported \(teams.count) teams: " + teams.map(\.name).joined(separator: ", ")) }
    }
}

struct TeamsAdd: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "add", abstract: "Add or replace one team.")
    @Option(help: "Team name.") var name: String
    @Option(help: "Area-code prefixes covered, comma-separated (e.g. 532999001,532999002201).") var areas: String
    @Option(name: .customLong("base-name"), help: "Where the team starts from.") var baseName: String?
    @Option(name: .customLong("base-lat"), help: "Base latitude (WGS-84).") var baseLatitude: Double
    @Option(name: .customLong("base-lon"), help: "Base longitude (WGS-84).") var baseLongitude: Double
    @Option(name: .customLong("base-area"), help: "The base's village code (for coordinator travel times).") var baseArea: String?
    @Option(help: "Working days, comma-separated (mon,tue,… or 1–7).") var days = "mon,tue,wed,thu,fri"
    @Option(help: "Working hours.") var hours = "08:30-17:30"
    @Option(name: .customLong("break"), help: "Break window and minutes, e.g. 12:00-13:30/60 (0 minutes: none).") var breakSpec = "12:00-13:30/60"
    @Option(help: "Travel mode: foot, motorbike or car.") var mode = "motorbike"
    @Option(name: .customLong("max-visits"), help: "Most visits in a day.") var maxVisits = 8
    @Option(name: .customLong("member"), help: "A member as NAME[:PHONE[:SKILL+SKILL]] (repeat), e.g. 李海燕:13800000000:彝语+急救.")
    var members: [String] = []
    @OptionGroup var office: OfficeOptions

    func run() async throws {
        let context = try Office(office)
        // Reuse the file reader's checks by writing the team as YAML.
        func quote(_ s: String) -> String { "\"" + s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\"" }
        let parts = breakSpec.split(separator: "/")
        guard parts.count == 2, let minutes = Int(parts[1]) else { throw CLIError.usage("--break must look like 12:00-13:30/60") }
        var yaml = "teams:\n  - name: \(quote(name))\n    areas: [\(areas.split(separator: ",").map { quote(String($0)) }.joined(separator: ", "))]\n"
        yaml += "    base: {name: \(quote(baseName ?? name)), latitude: \(baseLatitude), longitude: \(baseLongitude)\(baseArea.map { ", area: " + quote($0) } ?? "")}\n"
        yaml += "    days: [\(days.split(separator: ",").map { quote(String($0)) }.joined(separator: ", "))]\n"
        yaml += "    hours: \(quote(hours))\n    break: {window: \(quote(String(parts[0]))), minutes: \(minutes)}\n"
        yaml += "    mode: \(quote(mode))\n    max_visits: \(maxVisits)\n    members:\n"
        for m in members {
            let f = m.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
            let skills = f.count > 2 ? f[2].split(separator: "+").map { quote(String($0)) } : []
            yaml += "      - {name: \(quote(f[0])), phone: \(quote(f.count > 1 ? f[1] : "")), skills: [\(skills.joined(separator: ", "))]}\n"
        }
        if members.isEmpty { yaml = yaml.replacingOccurrences(of: "    members:\n", with: "    members: []\n") }
        let teams = try TeamsFile.parse(yaml, file: "teams add")
        try context.database.saveTeams(teams)
        if office.json { try printJSON(teams) } else { print("Saved team \(name).") }
    }
}

struct TeamsList: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List the teams.")
    @OptionGroup var office: OfficeOptions

    func run() async throws {
        let context = try Office(office)
        let teams = try context.database.teams()
        if office.json {
            // Members' phones masked.
            var masked = teams
            for i in masked.indices { for j in masked[i].members.indices { masked[i].members[j].phone = PhoneNumber(stored: masked[i].members[j].phone).masked } }
            try printJSON(masked); return
        }
        let dayNames = ["", "一", "二", "三", "四", "五", "六", "日"]
        print(table(["team", "areas", "members (skills)", "base", "days", "hours", "break", "mode", "max"], teams.map { t in
            [t.name, t.areas.joined(separator: ","),
             t.members.map { $0.name + ($0.skills.isEmpty ? "" : "(" + $0.skills.joined(separator: "+") + ")") }.joined(separator: " "),
             t.baseName, "周" + t.workingDays.map { dayNames[$0] }.joined(), TeamsFile.clock(t.dayStart) + "-" + TeamsFile.clock(t.dayEnd),
             t.breakMinutes == 0 ? "-" : "\(t.breakMinutes)′ in " + TeamsFile.clock(t.breakOpen) + "-" + TeamsFile.clock(t.breakClose),
             t.mode.chinese, String(t.maxVisits)]
        }), terminator: "")
        if teams.isEmpty { print("No teams yet: `carnation teams import FILE`, `teams add`, or `demo seed`.") }
    }
}

struct TeamsTravelTimes: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "travel-times",
        abstract: "Load a coordinator's travel times between villages (CSV: from,to,minutes) for one mode; they override estimates.")
    @Argument(help: "The CSV file.") var file: String
    @Option(help: "Travel mode: foot, motorbike or car.") var mode: String
    @OptionGroup var office: OfficeOptions

    func run() async throws {
        let context = try Office(office)
        guard let m = TravelMode(rawValue: mode) else { throw CLIError.usage("--mode must be foot, motorbike or car") }
        guard let text = try? String(contentsOfFile: file, encoding: .utf8) else { throw CLIError.notFound("cannot read \(file) (UTF-8 CSV)") }
        let entries = try TravelTimes.parseCSV(text, mode: m, file: file)
        try context.database.saveTravelTimes(entries)
        if office.json { try printJSON(["mode": m.rawValue, "pairs": String(entries.count)]) } else { print("Saved \(entries.count) travel times for \(m.chinese).") }
    }
}

// MARK: visits

/// `carnation visits …`: who needs a visit, each team's days, the daily list, outcomes.
struct VisitsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "visits",
        abstract: "Home visits: needs from the visit rules, team plans, daily lists and outcomes.",
        subcommands: [VisitsNeeds.self, VisitsPlan.self, VisitsList.self, VisitsRecord.self, VisitsFollowUp.self, VisitsAvailability.self, VisitsReport.self]
    )
}

struct VisitsNeeds: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "needs", abstract: "Who needs a visit, by when, and why.")
    @Option(help: "Only this area (township or village code prefix).") var area: String?
    @Option(name: .customLong("due-before"), help: "Only needs due on or before this date (needs without a deadline are left out).") var dueBefore: String?
    @Option(help: "The date the needs are worked out for (default today).") var date: String?
    @Option(help: "Rows to show in the table (0: all).") var limit = 50
    @OptionGroup var office: OfficeOptions

    struct Row: Encodable {
        var resident: String, name: String, household: String, area: String, rule: String, kind: String
        var due: String?, overdue: Bool, priority: Int, minutes: Int, skills: [String], reason: String
    }

    func run() async throws {
        let context = try Office(office)
        let day = try date.map { try parseDate($0, "--date") } ?? context.today
        let service = VisitService(database: context.database, book: try loadVisitRules(), registryRules: context.rules)
        var needs = try service.needs(on: day, scope: context.access.areas, area: try parseArea(area))
        if let dueBefore { let limitDate = try parseDate(dueBefore, "--due-before"); needs = needs.filter { $0.due.map { $0 <= limitDate } ?? false } }
        let names = try context.database.areaNames()
        let rows = needs.map { n in
            Row(resident: String(n.residentID.prefix(4)) + "**********" + String(n.residentID.suffix(4)), name: n.name,
                household: n.household == n.residentID ? "" : n.household, area: names[n.areaCode] ?? n.areaCode, rule: n.rule, kind: n.kind.rawValue,
                due: n.due?.description, overdue: n.isOverdue(on: day), priority: n.priority, minutes: n.durationMinutes, skills: n.skills, reason: n.reason)
        }
        if office.json { try printJSON(rows); return }
        var byKind: [String: Int] = [:]
        for n in needs { byKind[n.title, default: 0] += 1 }
        print("\(needs.count) visit needs on \(day) (\(needs.filter { $0.isOverdue(on: day) }.count) overdue): "
              + byKind.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ") + "\n")
        let shown = limit > 0 ? Array(rows.prefix(limit)) : rows
        print(table(["due", "name", "ID", "village", "visit", "pri", "min", "skills", "why"], shown.map { r in
            [(r.due ?? "-") + (r.overdue ? " !" : ""), r.name, r.resident, r.area, r.rule, String(r.priority), String(r.minutes),
             r.skills.joined(separator: "+"), r.reason]
        }), terminator: "")
        if shown.count < rows.count { print("… \(rows.count - shown.count) more (--limit 0 shows all, --json for everything)") }
    }
}

struct VisitsPlan: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Plan the next working days of every team and save the plans (days with recorded outcomes are kept).")
    @Option(help: "First day to plan (YYYY-MM-DD).") var date: String
    @Option(help: "Working days per team.") var days = 1
    @Option(help: "Only teams and residents in this area.") var area: String?
    @Option(name: .customLong("time-limit"), help: "Solver seconds per team-day.") var timeLimit = 1.0
    @Option(help: "Solver iterations per team-day (with a large time limit: reproducible plans).") var iterations: Int?
    @Option(help: "Unplanned needs to list in the table (0: all).") var limit = 30
    @OptionGroup var office: OfficeOptions

    struct DayRow: Encodable { var team: String, date: String, visits: Int, stops: Int, travelMinutes: Int, departure: String, back: String, feasible: Bool, violations: [String] }
    struct LeftRow: Encodable { var resident: String, name: String, rule: String, due: String?, team: String?, reason: String }
    struct Output: Encodable { var needs: Int, planned: Int, days: [DayRow], unplanned: [LeftRow], keptDays: [String], refusedDays: [String], feasible: Bool }

    func run() async throws {
        let context = try Office(office)
        let start = try parseDate(date, "--date")
        guard timeLimit > 0 else { throw CLIError.usage("--time-limit must be more than 0 seconds") }
        let service = VisitService(database: context.database, book: try loadVisitRules(), registryRules: context.rules)
        let options = SolveOptions(timeLimit: .milliseconds(Int(timeLimit * 1000)), iterationLimit: iterations, seed: 1)
        let run = try service.plan(from: start, days: days, scope: context.access.areas, area: try parseArea(area), options: options)
        let r = run.result
        let dayRows = r.days.map { d in
            DayRow(team: d.team, date: d.date.description, visits: d.visits.count, stops: Set(d.visits.map(\.stop)).count, travelMinutes: Int(d.travelMinutes.rounded()),
                   departure: TeamsFile.clock(d.departure), back: TeamsFile.clock(d.returnTime), feasible: d.violations.isEmpty, violations: d.violations)
        }
        let left = r.unplanned.map { u in
            LeftRow(resident: String(u.need.residentID.prefix(4)) + "**********" + String(u.need.residentID.suffix(4)), name: u.need.name,
                    rule: u.need.rule, due: u.need.due?.description, team: u.team, reason: u.reason)
        }
        let planned = r.days.reduce(0) { $0 + $1.visits.count }
        if office.json {
            try printJSON(Output(needs: run.needs, planned: planned, days: dayRows, unplanned: left, keptDays: r.keptDays, refusedDays: run.refused, feasible: r.feasible))
            return
        }
        print("\(run.needs) needs; \(planned) visits planned on \(r.days.count) team-days; \(left.count) not planned. Checker: \(r.feasible ? "all days feasible" : "VIOLATIONS (those days not saved)")\n")
        print(table(["team", "date", "visits", "stops", "travel min", "out", "back", "checked"], dayRows.map {
            [$0.team, $0.date, String($0.visits), String($0.stops), String($0.travelMinutes), $0.departure, $0.back, $0.feasible ? "ok" : $0.violations.first ?? "violation"]
        }), terminator: "")
        if !r.keptDays.isEmpty { print("\nKept as they were (visits already recorded): " + r.keptDays.joined(separator: ", ")) }
        if !left.isEmpty {
            var byReason: [String: Int] = [:]
            for l in left { byReason[l.reason, default: 0] += 1 }
            print("\nNot planned, by reason:")
            for (reason, n) in byReason.sorted(by: { $0.value > $1.value }) { print("  \(n)  \(reason)") }
            let shown = limit > 0 ? Array(left.prefix(limit)) : left
            print("")
            print(table(["name", "ID", "visit", "due", "team", "why not"], shown.map { [$0.name, $0.resident, $0.rule, $0.due ?? "-", $0.team ?? "-", $0.reason] }), terminator: "")
            if shown.count < left.count { print("… \(left.count - shown.count) more (--limit 0 or --json)") }
        }
    }
}

struct VisitsList: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "A team's day in order, for the door (print-friendly).")
    @Option(help: "Team name.") var team: String
    @Option(help: "Day (YYYY-MM-DD).") var date: String
    @Option(help: "text, html (large-print A4 page) or json.") var format = "text"
    @Flag(name: .customLong("prepare-audio"), help: "Synthesise each resident's audio explainer now (into var/audio), so the team can play it.")
    var prepareAudio = false
    @OptionGroup var office: OfficeOptions

    func run() async throws {
        let context = try Office(office)
        let service = VisitService(database: context.database, book: try loadVisitRules(), registryRules: context.rules)
        let day = try parseDate(date, "--date")
        let renderer = try ExplainCommand.renderer(context, options: office)
        let audio = try DoorAudio(directory: CarnationPaths.varDirectory().appendingPathComponent("audio"))
        try await audio.resolveVoice()
        final class Scripts { var all: [String] = [] }
        let scripts = Scripts()
        let explain = { (resident: Resident, name: String) -> DailyList.Explanation? in
            guard let definition = try? renderer.catalog.definition(named: name),
                  let message = renderer.outcome(definition, for: resident, visit: day, preview: [.voice]).message else { return nil }
            if let script = message.voice?.script { scripts.all.append(script) }
            return DailyList.Explanation(question: message.question,
                                         figures: message.figures.map { "\($0.figure.label)：\($0.text)" },
                                         confirmLocally: message.confirmLocally,
                                         audioFile: message.voice.flatMap { audio.existingFile(for: $0.script) })
        }
        var list = try service.dailyList(team: team, date: day, explain: explain)
        if prepareAudio && !scripts.all.isEmpty {
            for script in Set(scripts.all) { _ = try await audio.prepare(script) }
            list = try service.dailyList(team: team, date: day, explain: explain)  // now with the audio ready
        }
        try show(list)
    }

    func show(_ list: DailyList) throws {
        switch office.json ? "json" : format {
        case "json": try printJSON(list)
        case "text": print(list.text(), terminator: "")
        case "html":
            let url = try CarnationPaths.templates("print/visit-list.mustache")
            guard let text = try? String(contentsOf: url, encoding: .utf8) else { throw CLIError.notFound("cannot read \(url.path)") }
            print(try list.html(template: text, path: url.path))
        default: throw CLIError.usage("--format must be text, html or json")
        }
    }
}

struct VisitsRecord: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "record",
        abstract: "Record what happened at the door; deceased and moved stop all outreach, not-home reschedules, certified/claimed/enrolled update the register.")
    @Argument(help: "The visit number (from `visits list`).") var visit: Int64
    @Option(help: "done, not-home, refused, moved, deceased, enrolled, certified or claimed.") var outcome: String
    @Option(help: "A short note.") var note: String?
    @OptionGroup var office: OfficeOptions

    func run() async throws {
        let context = try Office(office)
        guard let status = VisitStatus(rawValue: outcome), status != .planned else {
            throw CLIError.usage("--outcome must be done, not-home, refused, moved, deceased, enrolled, certified or claimed")
        }
        let service = VisitService(database: context.database, book: try loadVisitRules(), registryRules: context.rules)
        let (v, findings, followUp) = try service.record(visit, outcome: status, note: note, user: context.access.user, now: Date())
        let changes = findings.map { f -> String in
            switch f {
            case let .deceased(d): return "死亡日期 \(d)（停止一切联系）"
            case let .movedOut(d): return "迁出日期 \(d)（停止一切联系）"
            case let .certified(d): return "认证日期 \(d)"
            case let .pension(p): return "养老保险状态 \(p.chinese)"
            }
        }
        if office.json {
            try printJSON(["visit": String(v.id), "outcome": status.rawValue, "register": changes.joined(separator: "; "), "followUpDue": followUp?.due.description ?? ""])
            return
        }
        print("Visit \(v.id) (\(v.date), \(v.team)): \(status.chinese)")
        for c in changes { print("  register: \(c)") }
        if let f = followUp { print("  follow-up due \(f.due), \(TeamsFile.clock(f.windowStart ?? 0))–\(TeamsFile.clock(f.windowEnd ?? 0))") }
    }
}

struct VisitsFollowUp: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "follow-up", abstract: "Ask for a visit to one resident (a call-me request, an SMS that did not arrive).")
    @Argument(help: "The resident's ID (18 characters).") var resident: String
    @Option(help: "Why, in plain Chinese for the team.") var reason: String
    @Option(help: "Visit by (default: in 7 days).") var due: String?
    @Option(help: "When someone is home, e.g. 08:00-12:00.") var window: String?
    @Option(help: "Where the request came from: request, sms, voice.") var source = "request"
    @OptionGroup var office: OfficeOptions

    func run() async throws {
        let context = try Office(office)
        let id = try context.registeredResident(resident)
        let span = try window.map { w -> (Int, Int) in
            guard let s = TeamsFile.span(w) else { throw CLIError.usage("--window must look like 08:00-12:00") }
            return s
        }
        let f = FollowUp(residentID: id.value, source: source, reason: reason, created: context.today,
                         due: try due.map { try parseDate($0, "--due") } ?? context.today.adding(days: 7), windowStart: span?.0, windowEnd: span?.1)
        let n = try context.database.addFollowUp(f)
        if office.json { try printJSON(["followUp": String(n), "due": f.due.description]) } else { print("Follow-up \(n) for \(id.masked), due \(f.due).") }
    }
}

struct VisitsReport: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report", abstract: "Coverage: visits met on time, overdue needs, by team and township, and residents seen this year by category.")
    @Option(help: "First day (default: 1 January of --to's year).") var from: String?
    @Option(help: "Last day (default today).") var to: String?
    @Option(help: "Only this area.") var area: String?
    @OptionGroup var office: OfficeOptions

    func run() async throws {
        let context = try Office(office)
        let end = try to.map { try parseDate($0, "--to") } ?? context.today
        let start = try from.map { try parseDate($0, "--from") } ?? CalendarDate(year: end.year, month: 1, day: 1)!
        let service = VisitService(database: context.database, book: try loadVisitRules(), registryRules: context.rules)
        let c = try service.coverage(from: start, to: end, scope: context.access.areas, area: try parseArea(area))
        if office.json { try printJSON(c); return }
        func rows(_ lines: [VisitCoverage.Line]) -> [[String]] {
            lines.map { [$0.name, String($0.met), String($0.onTime), String($0.notHome), String($0.refused), String($0.stopped), String($0.planned)] }
        }
        let header = ["", "met", "on time", "not home", "refused", "died/moved", "still planned"]
        print("Visits \(c.from) to \(c.to)\n")
        print(table(["team"] + header.dropFirst(), rows(c.byTeam)), terminator: "")
        print("")
        print(table(["township"] + header.dropFirst(), rows(c.byTownship)), terminator: "")
        let names = try context.database.areaNames()
        print("\nOverdue needs on \(c.to): " + (c.overdue.isEmpty ? "none" : c.overdue.sorted { $0.key < $1.key }.map { "\(names[$0.key + "000"] ?? $0.key) \($0.value)" }.joined(separator: ", ")))
        print("Residents seen in \(end.year) (a visit that met its purpose), by category: "
              + (c.seenThisYear.isEmpty ? "none yet" : c.seenThisYear.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")))
    }
}

struct VisitsAvailability: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "availability", abstract: "When someone is home to open the door (e.g. a caregiver only home in the mornings); plans keep to it.")
    @Argument(help: "The resident's ID (18 characters).") var resident: String
    @Option(help: "When someone is home, e.g. 08:00-12:00.") var window: String?
    @Option(help: "Who is home then, or why (for the team).") var note: String?
    @Flag(help: "Remove the resident's availability (any time of the team's day).") var clear = false
    @OptionGroup var office: OfficeOptions

    func run() async throws {
        let context = try Office(office)
        let id = try context.registeredResident(resident)
        if clear {
            try context.database.setAvailability(nil, for: id.value)
            if office.json { try printJSON(["resident": id.masked, "window": ""]) } else { print("\(id.masked): any time.") }
            return
        }
        guard let window, let span = TeamsFile.span(window) else { throw CLIError.usage("give --window like 08:00-12:00, or --clear") }
        try context.database.setAvailability(Availability(residentID: id.value, start: span.0, end: span.1, note: note), for: id.value)
        if office.json { try printJSON(["resident": id.masked, "window": window]) } else { print("\(id.masked): visits only \(window).") }
    }
}
