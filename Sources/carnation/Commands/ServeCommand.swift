import ArgumentParser
import Foundation
import Logging
import Messaging
import Outreach
import Registry
import Speech
import Store
import Web

/// `carnation serve`: the web server (team pages, the coordinators' view, gateway callbacks) and the dispatcher.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the web server and the dispatcher; issue, send by SMS and revoke team-day links.",
        subcommands: [ServeRun.self, ServeLink.self, ServeLinks.self, ServeHashPassword.self],
        defaultSubcommand: ServeRun.self
    )
}

/// Reads the `web:` section (and users' password hashes) from the configuration the office options name.
func loadWebSettings(_ options: OfficeOptions) throws -> WebSettings {
    let env = ProcessInfo.processInfo.environment
    let configPath = options.config ?? env["CARNATION_CONFIG"] ?? (FileManager.default.fileExists(atPath: "carnation.yaml") ? "carnation.yaml" : nil)
    guard let configPath, let text = try? String(contentsOfFile: configPath, encoding: .utf8) else { return WebSettings() }
    return try WebSettings.parse(text, file: configPath)
}

struct ServeRun: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Serve HTTP on --host:--port and run the dispatcher beside it (the default).",
        discussion: "Routes: /healthz, /team/TOKEN (team day pages), /office (coordinators, login), /gateway/kannel/dlr and /gateway/kannel/inbound (Kannel callbacks), /audio/ID (signed, expiring links to voice messages' audio) and /gateway/voice/report (voice call reports). Logs go to stderr without personal data."
    )
    @Option(help: "Address to listen on.") var host = "127.0.0.1"
    @Option(help: "Port to listen on.") var port = 8080
    @Flag(name: .customLong("no-dispatch"), help: "Do not run the dispatcher in this process.") var noDispatch = false
    @OptionGroup var office: OfficeOptions

    func run() async throws {
        let logger: Logger = {
            var l = Logger(label: "carnation.web")
            l.logLevel = ProcessInfo.processInfo.environment["LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) ?? .info
            return l
        }()
        let env = try CampaignEnvironment(office)
        let settings = try loadWebSettings(office)
        var kannel: KannelConfiguration? = nil
        if case let .kannel(config) = env.settings.gateway { kannel = config }
        var voiceHTTP: VoiceHTTPConfiguration? = nil
        if case let .voiceHTTP(config) = env.settings.voiceGateway { voiceHTTP = config }
        let visits = VisitService(database: env.office.database, book: try loadVisitRules(), registryRules: env.office.rules)
        let renderer = try ExplainCommand.renderer(env.office, options: office)
        let cache = try AudioCache(directory: try CarnationPaths.varDirectory().appendingPathComponent("audio"))
        let voice = ExplainerVoice(database: env.office.database, renderer: renderer, speech: SpeechRenderer(cache: cache))
        let templates = try await WebTemplates.load(directory: try CarnationPaths.templates("web"))
        // $CARNATION_TODAY (for demos and the browser test) shifts the server's clock by whole days to that date.
        let shift = Double(env.office.today.daysSinceEpoch - Office.realToday().daysSinceEpoch) * 86400
        let web = try CarnationWeb(services: WebServices(database: env.office.database, visits: visits, settings: settings, kannel: kannel,
                                                         voiceHTTP: voiceHTTP, voice: voice, templates: templates,
                                                         now: { Date().addingTimeInterval(shift) }),
                                   logger: logger)
        logger.info("serving", metadata: ["host": .string(host), "port": .stringConvertible(port), "dispatcher": .stringConvertible(!noDispatch)])
        // The dispatcher runs beside the server; the server handles SIGINT/SIGTERM, then the dispatcher finishes its round.
        let dispatcher = noDispatch ? nil : try env.dispatcher()
        let dispatching = Task {
            guard let dispatcher else { return }
            do {
                let total = try await dispatcher.run(untilIdle: false, shouldStop: { StopFlag.flag != 0 })
                logger.info("dispatcher stopped", metadata: ["accepted": .stringConvertible(total.accepted), "failed": .stringConvertible(total.failed)])
            } catch {
                logger.error("dispatcher failed", metadata: ["error": .string("\(error)")])
            }
        }
        try await web.run(host: host, port: port)
        StopFlag.flag = 1
        await dispatching.value
    }
}

extension Office {
    /// Today in China Standard Time by the system clock, ignoring $CARNATION_TODAY.
    static func realToday() -> CalendarDate {
        CalendarDate(daysSinceEpoch: (Int(Date().timeIntervalSince1970) + 8 * 3600) / 86400)!
    }
}

/// Reads a resident's explainer aloud with the explainers and espeak-ng; audio is cached under var/audio.
struct ExplainerVoice: ExplainerVoiceSource {
    let database: CarnationDatabase
    let renderer: ExplainerRenderer
    let speech: SpeechRenderer

    func script(explainer: String, residentID: String, on date: CalendarDate) throws -> String? {
        guard let id = try? ResidentID(residentID), let stored = try database.resident(id),
              let definition = try? renderer.catalog.definition(named: explainer) else { return nil }
        let resident = Resident(id: stored.id, fields: stored.values)
        // Figures as of the visit's day, not the day the server started.
        let onTheDay = ExplainerRenderer(catalog: renderer.catalog, calculator: FigureCalculator(book: renderer.calculator.book, today: date),
                                         rules: renderer.rules, signature: renderer.signature)
        return onTheDay.outcome(definition, for: resident, visit: date, preview: [.voice]).message?.voice?.script
    }

    /// 8 kHz 16-bit PCM WAV (`TelephoneAudio`), the same audio a voice provider plays.
    func audio(script: String) async throws -> Data { try await TelephoneAudio(speech: speech).wav(script: script) }
}

struct ServeLink: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "link",
        abstract: "Issue a team's link for a day (printed once, or sent by SMS to the leader with --send), or revoke its links.",
        discussion: """
        The link carries a random 256-bit token; only its hash is kept. With --send the link goes by SMS to the team's \
        leader (the first member with a mobile phone) through the outbox, like any message: quiet hours apply, and \
        asking twice for a team and day sends once. `--revoke` stops every link of the team for that day (or all days \
        with --all-days) and withdraws a link SMS that has not left yet; --send after that sends a new link.
        """
    )
    @Argument(help: "The team's name.") var team: String
    @Option(help: "The day (YYYY-MM-DD; default today, China time).") var date: String?
    @Flag(help: "Send the link to the team leader by SMS instead of printing it.") var send = false
    @Flag(name: .customLong("no-dispatch"), help: "With --send: only write the SMS into the outbox (a running `carnation serve` or `dispatch` sends it).")
    var noDispatch = false
    @Flag(help: "Revoke the team's links instead of issuing one.") var revoke = false
    @Flag(name: .customLong("all-days"), help: "With --revoke: every day, not only --date.") var allDays = false
    @OptionGroup var office: OfficeOptions

    func validate() throws {
        if send && revoke { throw ValidationError("--send and --revoke exclude each other") }
        if allDays && !revoke { throw ValidationError("--all-days goes with --revoke") }
        if noDispatch && !send { throw ValidationError("--no-dispatch goes with --send") }
    }

    func run() async throws {
        let context = try Office(office)
        let day = try date.map { try parseDate($0, "--date") } ?? context.today
        let links = TeamLinks(database: context.database)
        let t = try linkTeam(team, context)
        if revoke {
            let n = try links.revoke(team: team, date: allDays ? nil : day, now: Date())
            try context.database.audit(user: context.access.user, action: "team-link-revoke", subject: team, detail: allDays ? "all days" : day.description, now: Date())
            if office.json { try printJSON(["team": team, "revoked": String(n)]) } else { print("revoked \(n) link(s) of \(team)") }
            return
        }
        if send {
            let env = try CampaignEnvironment(office)
            let rows = try await TeamLinkSending(env, options: office).send([t], on: day, dispatch: !noDispatch)
            try TeamLinkSending.print(rows, json: office.json)
            return
        }
        let settings = try loadWebSettings(office)
        let (token, _) = try links.issue(team: team, date: day, now: Date())
        try context.database.audit(user: context.access.user, action: "team-link-issue", subject: team, detail: day.description, now: Date())
        let url = (settings.publicURL ?? "http://127.0.0.1:8080") + "/team/" + token
        if office.json { try printJSON(["team": team, "date": day.description, "url": url]) } else {
            print(table(["队伍", "日期", "链接"], [[team, day.description, url]]), terminator: "")
        }
    }
}

struct ServeLinks: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "links",
        abstract: "Send each team with visits planned on a day its link by SMS (what the daily job runs).",
        discussion: "Teams with no visit on the day get nothing. Running it twice sends each team one link; see `serve link --help`."
    )
    @Option(help: "The day (YYYY-MM-DD; default today, China time).") var date: String?
    @Flag(help: "Send the links (required: this command only sends).") var send = false
    @Flag(name: .customLong("no-dispatch"), help: "Only write the SMS into the outbox (a running `carnation serve` or `dispatch` sends them).")
    var noDispatch = false
    @OptionGroup var office: OfficeOptions

    func validate() throws {
        if !send { throw ValidationError("give --send (to print one team's link instead, use `carnation serve link TEAM`)") }
    }

    func run() async throws {
        let env = try CampaignEnvironment(office)
        let day = try date.map { try parseDate($0, "--date") } ?? env.office.today
        let working = Set(try env.office.database.visits(from: day, to: day, team: nil).map(\.team))
        let teams = try env.office.database.teams().filter { mayManageLinks(of: $0, env.office.access) }
        var rows = try await TeamLinkSending(env, options: office).send(teams.filter { working.contains($0.name) }, on: day, dispatch: !noDispatch)
        rows += teams.filter { !working.contains($0.name) }.map { TeamLinkSending.Row(team: $0.name, date: day.description, result: "no-visits", phone: "", outbox: nil, state: nil) }
        try TeamLinkSending.print(rows, json: office.json)
    }
}

/// Writes team links and their SMS into the outbox, then (optionally) dispatches until nothing is due now.
struct TeamLinkSending {
    let env: CampaignEnvironment
    let messages: TeamLinkMessages

    init(_ env: CampaignEnvironment, options: OfficeOptions) throws {
        self.env = env
        let web = try loadWebSettings(options)
        guard let url = web.publicURL else { throw WebError.noPublicURL }
        let templateURL = try CarnationPaths.templates("sms/team-link.mustache")
        guard let template = try? String(contentsOf: templateURL, encoding: .utf8) else { throw CLIError.notFound("cannot read \(templateURL.path)") }
        messages = try TeamLinkMessages(database: env.office.database, key: try TeamLinkKey.load(path: try teamLinkKeyFile(web), create: true),
                                        publicURL: url, signature: try env.settings.signature ?? SMSSignature(ExplainerSettings.defaultSignature),
                                        template: template, templatePath: templateURL.path)
    }

    /// One team's line in the report (phones masked, never the token).
    struct Row: Encodable {
        var team: String
        var date: String
        /// queued, already-sent, opted-out, no-leader-phone or no-visits.
        var result: String
        var phone: String
        var outbox: Int64?
        var state: String?
    }

    func send(_ teams: [Team], on day: CalendarDate, dispatch: Bool) async throws -> [Row] {
        let user = env.office.access.user
        try env.office.database.forgetSettledTeamLinkNonces()
        var rows: [Row] = []
        for team in teams {
            let phone = TeamLinkMessages.leader(of: team).map { PhoneNumber(stored: $0.phone).masked } ?? ""
            var row = Row(team: team.name, date: day.description, result: "", phone: phone, outbox: nil, state: nil)
            do {
                switch try messages.send(team: team, date: day, user: user, now: Date()) {
                case let .queued(_, id): (row.result, row.outbox, row.state) = ("queued", id, OutboxState.queued.rawValue)
                case let .alreadySent(_, id, state): (row.result, row.outbox, row.state) = ("already-sent", id, state.rawValue)
                case .optedOut: row.result = "opted-out"
                }
            } catch WebError.noLeaderPhone {
                row.result = "no-leader-phone"
            }
            if row.result == "queued" {
                try env.office.database.audit(user: user, action: "team-link-send", subject: team.name, detail: "\(day) outbox \(row.outbox ?? 0)", now: Date())
            }
            rows.append(row)
        }
        if dispatch && rows.contains(where: { $0.result == "queued" }) {
            _ = try await env.dispatcher().run(untilIdle: true)
            for i in rows.indices {
                if let id = rows[i].outbox, let m = try env.office.database.outboxMessage(id) { rows[i].state = m.state.rawValue }
            }
            try env.office.database.forgetSettledTeamLinkNonces()
        }
        return rows
    }

    static func print(_ rows: [Row], json: Bool) throws {
        if json { try printJSON(rows); return }
        let words = ["queued": "已写入发件箱", "already-sent": "已发过", "opted-out": "该号码已退订", "no-leader-phone": "队里没有手机号", "no-visits": "当天没有上门"]
        Swift.print(table(["队伍", "日期", "结果", "手机", "发件箱", "状态"], rows.map { r in
            [r.team, r.date, words[r.result] ?? r.result, r.phone, r.outbox.map(String.init) ?? "", r.state.flatMap { OutboxState(rawValue: $0)?.chinese } ?? ""]
        }), terminator: "")
    }
}

/// Whether the user may issue, send or revoke `team`'s links: every area the team covers is inside theirs
/// (nil areas: everywhere; none: no team), as in the coordinators' web view.
func mayManageLinks(of team: Team, _ access: Access) -> Bool {
    guard let areas = access.areas else { return true }
    return !team.areas.isEmpty && team.areas.allSatisfy { a in areas.contains { a.hasPrefix($0.value) } }
}

/// The team called `name`, if the user may manage its links.
func linkTeam(_ name: String, _ office: Office) throws -> Team {
    guard let team = try office.database.teams().first(where: { $0.name == name }) else { throw WebError.unknownTeam(name) }
    guard mayManageLinks(of: team, office.access) else {
        throw CLIError.notAllowed("team \(name) works outside the areas of user '\(office.access.user)'; ask a coordinator of its area")
    }
    return team
}

/// The team-link key file: web.link-key-file, else var/team-link.key.
func teamLinkKeyFile(_ settings: WebSettings) throws -> String {
    try settings.linkKeyFile ?? CarnationPaths.varDirectory().appendingPathComponent("team-link.key").path
}

struct ServeHashPassword: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hash-password",
        abstract: "Read a password from standard input and print its password-hash for carnation.yaml's users."
    )
    @Option(help: "PBKDF2 iterations.") var iterations = PasswordHash.defaultIterations

    func run() async throws {
        guard let line = readLine(strippingNewline: true), !line.isEmpty else { throw CLIError.usage("give the password on standard input") }
        guard iterations >= 1_000 else { throw CLIError.usage("--iterations must be at least 1000") }
        print(PasswordHash.make(line, iterations: iterations).description)
    }
}
