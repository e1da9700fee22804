// Compiled once the Web target exists and `carnation` depends on it (see /work/notes/issue-9.md); until then the
// package builds without it. The guard can go at integration.
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
        abstract: "Run the web server and the dispatcher; issue and revoke team-day links.",
        subcommands: [ServeRun.self, ServeLink.self, ServeHashPassword.self],
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
        abstract: "Issue a team's link for a day (printed once; only its hash is kept), or revoke its links.",
        discussion: "The link carries a random 256-bit token. Send it to the team leader by SMS; `--revoke` stops every link of the team for that day (or all days with --all-days)."
    )
    @Argument(help: "The team's name.") var team: String
    @Option(help: "The day (YYYY-MM-DD; default today, China time).") var date: String?
    @Flag(help: "Revoke the team's links instead of issuing one.") var revoke = false
    @Flag(name: .customLong("all-days"), help: "With --revoke: every day, not only --date.") var allDays = false
    @OptionGroup var office: OfficeOptions

    func run() async throws {
        let context = try Office(office)
        let settings = try loadWebSettings(office)
        var day = context.today
        if let date {
            guard let d = CalendarDate(parsing: date) else { throw CLIError.usage("--date must be YYYY-MM-DD, not '\(date)'") }
            day = d
        }
        let links = TeamLinks(database: context.database)
        if revoke {
            let n = try links.revoke(team: team, date: allDays ? nil : day, now: Date())
            try context.database.audit(user: context.access.user, action: "team-link-revoke", subject: team, detail: allDays ? "all days" : day.description, now: Date())
            if office.json { try printJSON(["team": team, "revoked": String(n)]) } else { print("revoked \(n) link(s) of \(team)") }
            return
        }
        let (token, _) = try links.issue(team: team, date: day, now: Date())
        try context.database.audit(user: context.access.user, action: "team-link-issue", subject: team, detail: day.description, now: Date())
        let url = (settings.publicURL ?? "http://127.0.0.1:8080") + "/team/" + token
        if office.json { try printJSON(["team": team, "date": day.description, "url": url]) } else {
            print(table(["队伍", "日期", "链接"], [[team, day.description, url]]), terminator: "")
        }
    }
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
