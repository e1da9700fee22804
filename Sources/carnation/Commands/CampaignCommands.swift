import ArgumentParser
import Foundation
import Messaging
import Outreach
import Registry
import Speech
import Store
import Web
#if canImport(Glibc)
import Glibc
#endif

/// `carnation campaign …`: reach many residents with one explainer, by SMS or voice, exactly once.
struct CampaignCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "campaign",
        abstract: "SMS and voice campaigns: create, preview, approve, send, status, pause, resume, cancel.",
        discussion: """
        A campaign sends one explainer to an audience from the register. `preview` shows who gets what and the
        cost; `send` writes every message into the outbox in one transaction, then dispatches it through the
        gateway in carnation.yaml (default: files under var/spool/). Quiet hours hold messages until morning;
        `carnation dispatch` keeps running and releases them.

          carnation campaign create 养老金调整 --explainer why-insure --category elderly --area 532999001
          carnation campaign preview 养老金调整
          carnation campaign send 养老金调整 --dry-run
          carnation campaign send 养老金调整
          carnation campaign status 养老金调整 --json
        """,
        subcommands: [CampaignCreate.self, CampaignPreview.self, CampaignApprove.self, CampaignSend.self, CampaignStatusCommand.self,
                      CampaignPause.self, CampaignResume.self, CampaignCancel.self, CampaignList.self, CampaignApplyReports.self]
    )
}

/// `carnation dispatch`: the long-running worker that sends what campaigns wrote into the outbox.
struct DispatchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dispatch",
        abstract: "Send queued campaign messages through the configured gateway; runs until stopped.",
        discussion: "Safe to kill at any moment and restart: a message whose send may have reached the gateway becomes 'unknown' and waits for its delivery report instead of being sent again."
    )
    @Flag(name: .customLong("until-idle"), help: "Stop when nothing is due now (held messages stay held).") var untilIdle = false
    @OptionGroup var office: OfficeOptions

    func run() async throws {
        let env = try CampaignEnvironment(office)
        let dispatcher = try env.dispatcher()
        let stop = StopFlag()
        stop.install()
        let total = try await dispatcher.run(untilIdle: untilIdle, shouldStop: { stop.isSet }) { r in
            CampaignText.progressLine("dispatched", r)
        }
        CampaignText.endProgress()
        if office.json { try printJSON(RoundJSON(total)) } else { print(CampaignText.round(total)) }
    }
}

// MARK: - shared set-up

/// The office plus the campaign settings and gateways, as every campaign command needs them.
struct CampaignEnvironment {
    let office: Office
    let settings: CampaignSettings
    let service: CampaignService
    /// The key file team-link SMS are filled in from when they leave.
    let teamLinkKeyPath: String

    init(_ options: OfficeOptions) throws {
        office = try Office(options)
        teamLinkKeyPath = try teamLinkKeyFile(loadWebSettings(options))
        let env = ProcessInfo.processInfo.environment
        let configPath = options.config ?? env["CARNATION_CONFIG"] ?? (FileManager.default.fileExists(atPath: "carnation.yaml") ? "carnation.yaml" : nil)
        var s = CampaignSettings()
        if let configPath, let text = try? String(contentsOfFile: configPath, encoding: .utf8) {
            s = try CampaignSettings.parse(text, file: configPath)
        }
        settings = s
        service = CampaignService(database: office.database, settings: s, user: office.access.user, scope: office.access.areas,
                                  rules: office.rules, today: office.today)
    }

    /// The explainers as the campaign's message source (the signature defaults as `explain` does).
    func source(for c: CampaignRecord, options: OfficeOptions) throws -> (any CampaignMessageSource, CampaignService) {
        guard c.explainer != CarnationDatabase.directExplainer else {
            throw CLIError.usage("campaign '\(c.name)' holds direct messages (team links), written by `carnation serve link(s) --send`; only status, pause, resume and cancel apply to it")
        }
        let renderer = try ExplainCommand.renderer(office, options: options)
        let definition: ExplainerDefinition
        do { definition = try renderer.catalog.definition(named: c.explainer) } catch {
            throw try service.explainerGone(c, known: renderer.catalog.definitions.map(\.name), now: Date())
        }
        var s = settings
        if s.signature == nil { s.signature = renderer.signature }
        let svc = CampaignService(database: office.database, settings: s, user: office.access.user, scope: office.access.areas,
                                  rules: office.rules, today: office.today)
        return (ExplainerMessageSource(renderer: renderer, definition: definition), svc)
    }

    func knownExplainers(options: OfficeOptions) throws -> [String] {
        try ExplainCommand.renderer(office, options: options).catalog.definitions.map(\.name)
    }

    /// The configured gateways; SMS goes through `TeamLinkGateway`, which fills in team links as they leave (shortened
    /// in the spool's files, which stay on disk).
    func gateways() throws -> DispatchGateways {
        var spoolBase: URL? = nil
        if case let .spool(directory) = settings.gateway {
            spoolBase = try directory.map { URL(fileURLWithPath: $0) } ?? CarnationPaths.varDirectory().appendingPathComponent("spool")
        }
        func links(_ sms: any SMSGateway, mask: Bool = false) -> any SMSGateway {
            TeamLinkGateway(inner: sms, database: office.database, keyPath: teamLinkKeyPath, maskToken: mask)
        }
        let sms: any SMSGateway
        switch settings.gateway {
        case .spool:
            sms = links(SpoolGateway(directory: spoolBase!.appendingPathComponent("sms")), mask: true)
        case let .httpTemplate(config, deduplicates):
            sms = links(HTTPTemplateSMSGateway(configuration: config, transport: URLSessionTransport(maxConnectionsPerHost: settings.concurrency),
                                               deduplicates: deduplicates))
        case let .kannel(config):
            sms = links(try KannelGateway(configuration: config, transport: URLSessionTransport(maxConnectionsPerHost: settings.concurrency)))
        }
        // Without a voice gateway, voice messages wait in the outbox.
        var voice: (any SMSGateway)? = nil
        switch settings.voiceGateway {
        case .disabled: break
        case .spool:
            let base = try spoolBase ?? CarnationPaths.varDirectory().appendingPathComponent("spool")
            voice = SpoolGateway(name: "spool-voice", directory: base.appendingPathComponent("voice"))
        case let .voiceHTTP(config):
            let speech = SpeechRenderer(cache: try AudioCache(directory: try CarnationPaths.varDirectory().appendingPathComponent("audio")))
            voice = try VoiceHTTPGateway(configuration: config, transport: URLSessionTransport(maxConnectionsPerHost: settings.concurrency),
                                         audioLink: try office.database.audioLink(), audioSource: TelephoneAudio(speech: speech))
        }
        return DispatchGateways(sms: sms, voice: voice)
    }

    func dispatcher() throws -> Dispatcher {
        try Dispatcher(database: office.database, settings: settings, gateways: try gateways())
    }
}

/// Set by SIGINT/SIGTERM so the dispatcher finishes its round and records what it sent.
final class StopFlag: @unchecked Sendable {
    nonisolated(unsafe) static var flag: sig_atomic_t = 0
    var isSet: Bool { StopFlag.flag != 0 }
    func install() {
        signal(SIGINT) { _ in StopFlag.flag = 1 }
        signal(SIGTERM) { _ in StopFlag.flag = 1 }
    }
}

// MARK: - subcommands

struct CampaignCreate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "create", abstract: "Create a campaign (a draft; nothing is sent).")
    @Argument(help: "The campaign's name (letters, digits, - and _; Chinese is fine).") var name: String
    @Option(help: "The explainer to send (see `carnation explain --samples 3`).") var explainer: String
    @Option(help: "sms, voice or sms,voice.") var channels = "sms"
    @Option(name: .customLong("not-before"), help: "Send no earlier than this local time (YYYY-MM-DDTHH:MM).") var notBefore: String?
    @Option(name: .customLong("not-after"), help: "Messages not sent by this local time expire (YYYY-MM-DDTHH:MM).") var notAfter: String?
    @OptionGroup var audience: ResidentFilterOptions
    @OptionGroup var office: OfficeOptions

    func run() async throws {
        let env = try CampaignEnvironment(office)
        var filter = try audience.filter()
        if audience.life.isEmpty { filter.life = [] }  // keep deceased and moved in view: the preview says why they are left out
        let chans = try channels.split(separator: ",").map { c -> OutboxChannel in
            guard let ch = OutboxChannel(rawValue: c.trimmingCharacters(in: .whitespaces)) else { throw CLIError.usage("--channels: '\(c)' is not sms or voice") }
            return ch
        }
        func time(_ s: String?, _ flag: String) throws -> Date? {
            guard let s else { return nil }
            guard let d = CampaignTime.parse(s, timeZone: env.settings.timeZone) else { throw CLIError.usage("\(flag) '\(s)' is not a time; write YYYY-MM-DDTHH:MM") }
            return d
        }
        let c = try env.service.create(name: name, explainer: explainer, knownExplainers: try env.knownExplainers(options: office), audience: filter,
                                       channels: chans, notBefore: try time(notBefore, "--not-before"), notAfter: try time(notAfter, "--not-after"), now: Date())
        if office.json { try printJSON(CampaignJSON(c, settings: env.settings)) } else {
            print("campaign '\(c.name)' created (draft): explainer \(c.explainer), channels \(c.channels.map(\.rawValue).joined(separator: ",")), audience \(try CampaignAudience.decode(c.audienceJSON, campaign: c.name).summary)")
            print("Next: carnation campaign preview \(c.name)")
        }
    }
}

struct CampaignPreview: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "preview", abstract: "Who gets what, who is left out and why, segments and cost. Nothing is sent.")
    @Argument var name: String
    @Option(help: "How many rendered samples to show.") var samples = 3
    @OptionGroup var office: OfficeOptions

    func run() async throws {
        let env = try CampaignEnvironment(office)
        let c = try env.service.campaign(name)
        let (source, svc) = try env.source(for: c, options: office)
        let plan = try svc.plan(c, source: source, now: Date())
        let preview = PreviewJSON(c, plan, settings: svc.settings, needsApproval: svc.needsApproval(plan), samples: samples)
        if office.json { try printJSON(preview); return }
        print(CampaignText.preview(preview))
    }
}

struct CampaignApprove: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "approve", abstract: "Approve a campaign above the configured size (by another user when configured).")
    @Argument var name: String
    @OptionGroup var office: OfficeOptions

    func run() async throws {
        let env = try CampaignEnvironment(office)
        let (source, svc) = try env.source(for: try env.service.campaign(name), options: office)
        let (c, plan) = try svc.approve(name, source: source, now: Date())
        if office.json { try printJSON(CampaignJSON(c, settings: env.settings)) } else {
            print("campaign '\(c.name)' approved by \(c.approvedBy ?? "?") for \(plan.messages.count) messages. Next: carnation campaign send \(c.name)")
        }
    }
}

struct CampaignSend: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "send", abstract: "Write every message into the outbox (one transaction), then dispatch.")
    @Argument var name: String
    @Flag(name: .customLong("dry-run"), help: "Go through everything but the gateway: nothing is written or sent.") var dryRun = false
    @Flag(name: .customLong("no-dispatch"), help: "Only write the outbox; leave sending to `carnation dispatch`.") var noDispatch = false
    @OptionGroup var office: OfficeOptions

    func run() async throws {
        let env = try CampaignEnvironment(office)
        let (source, svc) = try env.source(for: try env.service.campaign(name), options: office)
        let report = try svc.send(name, source: source, now: Date(), dryRun: dryRun)
        var round: DispatchRound? = nil
        if !dryRun && !noDispatch {
            let stop = StopFlag()
            stop.install()
            round = try await Dispatcher(database: env.office.database, settings: env.settings, gateways: try env.gateways())
                .run(untilIdle: true, shouldStop: { stop.isSet }) { CampaignText.progressLine("sending", $0) }
            CampaignText.endProgress()
        }
        let status = try svc.status(name, now: Date())
        if office.json { try printJSON(SendJSON(report, round: round, status: StatusJSON(status, settings: env.settings))); return }
        print(CampaignText.send(report, round: round, settings: env.settings))
        print(CampaignText.status(StatusJSON(status, settings: env.settings)))
    }
}

struct CampaignStatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "status", abstract: "Counts per state, rate, time left, failures by reason.")
    @Argument var name: String
    @Flag(help: "Keep showing a progress bar until nothing is waiting (on a terminal).") var watch = false
    @OptionGroup var office: OfficeOptions

    func run() async throws {
        let env = try CampaignEnvironment(office)
        if watch && isatty(STDERR_FILENO) != 0 && !office.json {
            while true {
                let s = StatusJSON(try env.service.status(name, now: Date()), settings: env.settings)
                CampaignText.bar(s)
                if s.waiting == 0 || s.campaign.state != "sending" { break }
                try await Task.sleep(nanoseconds: 1_000_000_000)
            }
            CampaignText.endProgress()
        }
        var s = StatusJSON(try env.service.status(name, now: Date()), settings: env.settings)
        // Only a note: the messages already written do not need their explainer any more.
        if let known = try? env.knownExplainers(options: office), !known.contains(s.campaign.explainer) { s.explainerMissing = true }
        if office.json { try printJSON(s) } else { print(CampaignText.status(s)) }
    }
}

struct CampaignPause: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "pause", abstract: "Stop dispatching a campaign's messages (messages in flight finish).")
    @Argument var name: String
    @OptionGroup var office: OfficeOptions
    func run() async throws { try CampaignText.changed(try CampaignEnvironment(office), name, .paused, json: office.json) }
}

struct CampaignResume: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "resume", abstract: "Resume a paused campaign (run `carnation dispatch` to send).")
    @Argument var name: String
    @OptionGroup var office: OfficeOptions
    func run() async throws { try CampaignText.changed(try CampaignEnvironment(office), name, .sending, json: office.json) }
}

struct CampaignCancel: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "cancel", abstract: "Cancel a campaign: messages not yet sent are withdrawn.")
    @Argument var name: String
    @OptionGroup var office: OfficeOptions
    func run() async throws { try CampaignText.changed(try CampaignEnvironment(office), name, .cancelled, json: office.json) }
}

struct CampaignList: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "Every campaign, newest first.")
    @OptionGroup var office: OfficeOptions
    func run() async throws {
        let env = try CampaignEnvironment(office)
        let all = try env.office.database.campaigns().map { CampaignJSON($0, settings: env.settings) }
        if office.json { try printJSON(all); return }
        print(table(["名称", "说明", "渠道", "状态", "创建", "批准"], all.map { [$0.name, $0.explainer, $0.channels.joined(separator: ","), $0.state, "\($0.createdBy) \($0.createdAt)", $0.approvedBy ?? ""] }), terminator: "")
    }
}

struct CampaignApplyReports: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "apply-reports",
        abstract: "Apply Kannel delivery reports recorded one query per line (e.g. ops/kannel's dlr.log).",
        discussion: "`carnation serve` applies reports as they arrive; this applies a recorded file (safe to run twice).")
    @Argument(help: "A file of dlr-url queries (outbox=…&key=…&type=…).") var file: String
    @OptionGroup var office: OfficeOptions

    func run() async throws {
        let env = try CampaignEnvironment(office)
        guard case let .kannel(config) = env.settings.gateway else { throw CLIError.usage("gateway.sms is not kannel in carnation.yaml; these reports need its dlr-secret") }
        guard let text = try? String(contentsOfFile: file, encoding: .utf8) else { throw CLIError.notFound("cannot read \(file)") }
        var effects: [String: Int] = [:]
        var rejected: [String: Int] = [:]
        for line in text.split(separator: "\n") {
            let q = line.firstIndex(of: "?").map { String(line[$0...]) } ?? String(line)
            do {
                switch try DeliveryReports.applyKannel(query: q, gateway: config, to: env.office.database, now: Date()) {
                case let .applied(state): effects["applied: \(state.rawValue)", default: 0] += 1
                case let .alreadyFinal(state): effects["already \(state.rawValue)", default: 0] += 1
                case .unknownMessage: effects["no such message", default: 0] += 1
                }
            } catch let e as DeliveryReports.Rejection {
                rejected[e.description, default: 0] += 1
            }
        }
        if office.json { try printJSON(["effects": effects, "rejected": rejected]); return }
        print(table(["effect", "reports"], effects.sorted { $0.key < $1.key }.map { [$0.key, String($0.value)] }), terminator: "")
        for (k, v) in rejected { print("rejected \(v): \(k)") }
    }
}

// MARK: - output

struct CampaignJSON: Encodable {
    var name, explainer, state, createdBy, createdAt: String
    var channels: [String]
    var audience: String
    var notBefore, notAfter, approvedBy: String?
    var planned: Int?
    init(_ c: CampaignRecord, settings: CampaignSettings) {
        name = c.name; explainer = c.explainer; state = c.state.rawValue; createdBy = c.createdBy
        createdAt = CampaignTime.format(c.createdAt, timeZone: settings.timeZone)
        channels = c.channels.map(\.rawValue)
        audience = (try? CampaignAudience.decode(c.audienceJSON, campaign: c.name).summary) ?? "?"
        notBefore = c.notBefore.map { CampaignTime.format($0, timeZone: settings.timeZone) }
        notAfter = c.notAfter.map { CampaignTime.format($0, timeZone: settings.timeZone) }
        approvedBy = c.approvedBy
        planned = c.planned
    }
}

struct PreviewJSON: Encodable {
    struct Sample: Encodable { var residents: [String]; var phone: String; var channel: String; var segments: Int; var text: String }
    struct LeftOut: Encodable { var reason: String; var label: String; var count: Int; var examples: [String] }
    var campaign: CampaignJSON
    var audience: Int
    var residentsReached: Int
    var messages: Int
    var messagesByChannel: [String: Int]
    var mergedMessages: Int
    var smsSegments: Int
    var worstSegments: Int
    var capped: Int
    var costFen: Int?
    var costNote: String
    var needsApproval: Bool
    var leftOut: [LeftOut]
    var samples: [Sample]

    init(_ c: CampaignRecord, _ p: CampaignPlan, settings: CampaignSettings, needsApproval: Bool, samples n: Int) {
        campaign = CampaignJSON(c, settings: settings)
        audience = p.audienceSize
        residentsReached = p.residentsReached
        messages = p.messages.count
        messagesByChannel = Dictionary(uniqueKeysWithValues: p.messagesByChannel.map { ($0.key.rawValue, $0.value) })
        mergedMessages = p.messages.filter { $0.members.count > 1 }.count
        smsSegments = p.smsSegments
        worstSegments = p.worstSegments
        capped = p.cappedMessages
        let cost = p.cost(settings.prices)
        if let s = cost.smsFen, let v = cost.voiceFen { costFen = s + v; costNote = "" } else {
            costFen = nil
            costNote = "no price configured: set campaigns.price-per-segment-fen (and price-per-voice-call-fen) in carnation.yaml"
        }
        self.needsApproval = needsApproval && c.approvedBy == nil
        leftOut = Dictionary(grouping: p.leftOut, by: \.reason.key).map { key, list in
            LeftOut(reason: key, label: list[0].reason.chinese, count: list.count, examples: list.prefix(3).map { "\($0.name) \($0.residentID.masked)" })
        }.sorted { $0.count > $1.count }
        samples = p.messages.prefix(n).map { m in
            Sample(residents: m.members.map { "\($0.residentName) \($0.residentID.masked)" }, phone: PhoneNumber(stored: m.phone).masked,
                   channel: m.channel.rawValue, segments: m.segments, text: m.text)
        }
    }
}

struct RoundJSON: Encodable {
    var claimed, accepted, retried, held, failed, unknown, expired: Int
    init(_ r: DispatchRound) {
        claimed = r.claimed; accepted = r.accepted; retried = r.retried; held = r.held; failed = r.failed; unknown = r.unknown; expired = r.expired
    }
}

struct StatusJSON: Encodable {
    var campaign: CampaignJSON
    var total: Int
    var states: [String: Int]
    var channels: [String: Int]
    var waiting: Int
    var messagesPerSecond: Double
    var secondsLeft: Double?
    var heldUntil: String?
    var heldReason: String?
    var failuresByReason: [String: Int]
    /// The campaign's explainer is no longer in content (set by `status` only).
    var explainerMissing: Bool?

    init(_ s: CampaignService.Status, settings: CampaignSettings) {
        campaign = CampaignJSON(s.campaign, settings: settings)
        total = s.counts.total
        states = s.counts.byState
        channels = s.counts.byChannel
        waiting = s.counts.count(.queued) + s.counts.count(.held) + s.counts.count(.sending)
        messagesPerSecond = (s.rate * 100).rounded() / 100
        secondsLeft = s.secondsLeft.map { $0.rounded() }
        heldUntil = s.counts.heldUntil.map { CampaignTime.format($0, timeZone: settings.timeZone) }
        heldReason = s.counts.heldReason
        failuresByReason = s.counts.failuresByReason
    }
}

struct SendJSON: Encodable {
    var dryRun: Bool
    var written: Int
    var alreadyInOutbox: Int
    var planned: Int
    var wouldHold: Int?
    var holdUntil: String?
    var invalid: [String]?
    var dispatched: RoundJSON?
    var status: StatusJSON
    init(_ r: CampaignService.SendReport, round: DispatchRound?, status: StatusJSON) {
        dryRun = r.dryRun; written = r.written; alreadyInOutbox = r.skipped; planned = r.plan.messages.count
        wouldHold = r.dryRun ? r.wouldHold : nil
        holdUntil = r.holdUntil.map { CampaignTime.format($0, timeZone: TimeZone(identifier: "Asia/Shanghai")!) }
        invalid = r.dryRun ? r.invalid.map { "\($0.id): \($0.reason)" } : nil
        dispatched = round.map(RoundJSON.init)
        self.status = status
    }
}

enum CampaignText {
    static func yuan(_ fen: Int) -> String { String(format: "%d.%02d元", fen / 100, fen % 100) }

    static func preview(_ p: PreviewJSON) -> String {
        var s = "campaign '\(p.campaign.name)'  (\(p.campaign.state))  explainer \(p.campaign.explainer)  audience: \(p.campaign.audience)\n"
        s += "audience \(p.audience) residents; \(p.residentsReached) reached by \(p.messages) messages"
        s += p.mergedMessages > 0 ? " (\(p.mergedMessages) shared phones: one message names everyone on it)\n" : "\n"
        s += table(["channel", "messages"], p.messagesByChannel.sorted { $0.key < $1.key }.map { [$0.key, String($0.value)] })
        if p.messagesByChannel["sms"] != nil {
            s += "SMS segments: \(p.smsSegments) in total, worst case \(p.worstSegments) for one message\n"
        }
        s += p.costFen.map { "estimated cost: \(yuan($0))\n" } ?? "estimated cost: unknown (\(p.costNote))\n"
        if p.capped > 0 { s += "\(p.capped) messages go to phones at their per-phone cap: they will be held\n" }
        if !p.leftOut.isEmpty {
            s += "\nleft out:\n" + table(["why", "residents", "e.g."], p.leftOut.map { [$0.label, String($0.count), $0.examples.joined(separator: "; ")] })
        }
        if !p.samples.isEmpty {
            s += "\nsamples:\n"
            for x in p.samples { s += "  [\(x.channel), \(x.segments) seg] \(x.phone) \(x.residents.joined(separator: " + "))\n    \(x.text.replacingOccurrences(of: "\n", with: "\n    "))\n" }
        }
        if p.needsApproval { s += "\nThis campaign needs approval before it can send: carnation campaign approve \(p.campaign.name)\n" }
        return s
    }

    static func send(_ r: CampaignService.SendReport, round: DispatchRound?, settings: CampaignSettings) -> String {
        if r.dryRun {
            var s = "[dry run: nothing was written or sent] \(r.plan.messages.count) messages would be written"
            if r.wouldHold > 0, let u = r.holdUntil { s += "; \(r.wouldHold) would be held by quiet hours until \(CampaignTime.format(u, timeZone: settings.timeZone))" }
            s += "\n"
            for x in r.invalid.prefix(10) { s += "would be refused: \(x.id): \(x.reason)\n" }
            return s
        }
        var s = "outbox: \(r.written) messages written\(r.skipped > 0 ? ", \(r.skipped) already there (not written again)" : "")\n"
        if let round { s += "dispatch: " + Self.round(round) + "\n" }
        return s
    }

    static func round(_ r: DispatchRound) -> String {
        "\(r.accepted) accepted, \(r.held) held, \(r.retried) to retry, \(r.failed) failed, \(r.unknown) unknown (await delivery report), \(r.expired) expired"
    }

    static func status(_ s: StatusJSON) -> String {
        var out = "campaign '\(s.campaign.name)': \(s.campaign.state), \(s.total) messages\n"
        let order = OutboxState.allCases.map(\.rawValue)
        out += table(["state", "状态", "messages"], order.compactMap { k in s.states[k].map { [k, OutboxState(rawValue: k)?.chinese ?? "", String($0)] } })
        if let u = s.heldUntil {
            // "quiet hours: held until 08:00" → "quiet hours": the time is already on the line.
            let reason = s.heldReason.map { $0.components(separatedBy: ": held until").first ?? $0 }
            out += "held until \(u.suffix(5))\(reason.map { " (\($0))" } ?? ""): \(s.states[OutboxState.held.rawValue] ?? 0) messages\n"
        }
        if s.messagesPerSecond > 0 { out += "rate \(s.messagesPerSecond)/s" + (s.secondsLeft.map { ", about \(Int($0)) s left" } ?? "") + "\n" }
        if s.explainerMissing == true {
            out += "note: explainer '\(s.campaign.explainer)' is no longer under content/explainers/: messages already written are sent as written; `campaign send` cannot add residents\n"
        }
        if !s.failuresByReason.isEmpty {
            out += "not delivered, by reason:\n" + table(["reason", "messages"], s.failuresByReason.sorted { $0.value > $1.value }.map { [$0.key, String($0.value)] })
        }
        return out
    }

    static func changed(_ env: CampaignEnvironment, _ name: String, _ to: CampaignState, json: Bool) throws {
        let c = try env.service.setState(name, to: to, now: Date())
        if json { try printJSON(CampaignJSON(c, settings: env.settings)) } else { print("campaign '\(c.name)' is now \(c.state.rawValue)") }
    }

    /// A one-line progress report on stderr, only on a terminal.
    static func progressLine(_ what: String, _ r: DispatchRound) {
        guard isatty(STDERR_FILENO) != 0 else { return }
        FileHandle.standardError.write(Data("\r\(what): \(r.accepted) accepted, \(r.held) held, \(r.retried) retry, \(r.failed) failed, \(r.unknown) unknown   ".utf8))
    }

    static func bar(_ s: StatusJSON) {
        let done = s.total - s.waiting
        let width = 30
        let filled = s.total > 0 ? width * done / s.total : width
        let line = "\r[\(String(repeating: "#", count: filled))\(String(repeating: "-", count: width - filled))] \(done)/\(s.total)"
            + (s.heldUntil.map { " held until \($0.suffix(5))" } ?? "") + (s.secondsLeft.map { " ~\(Int($0)) s left" } ?? "") + "   "
        FileHandle.standardError.write(Data(line.utf8))
    }

    static func endProgress() {
        if isatty(STDERR_FILENO) != 0 { FileHandle.standardError.write(Data("\n".utf8)) }
    }
}

/// `carnation bench dispatch`: outbox dispatch rate against a local sink (or Kannel), with a bare HTTP client's
/// rate to the same endpoint in the same run as the reference.
struct BenchDispatch: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dispatch",
        abstract: "Messages per second through the durable outbox, against a bare HTTP client to the same endpoint.")
    @Option(help: "How many messages.") var messages = 100_000
    @Option(help: "Requests in flight.") var concurrency = 32
    @Option(help: "sink (a local HTTP server that accepts everything) or kannel (gateway.kannel in carnation.yaml).") var gateway = "sink"
    @OptionGroup var office: OfficeOptions

    func run() async throws {
        guard messages >= 1, concurrency >= 1 else { throw CLIError.usage("--messages and --concurrency must be at least 1") }
        var kannel: KannelConfiguration? = nil
        switch gateway {
        case "sink": break
        case "kannel":
            let env = try CampaignEnvironment(office)
            guard case let .kannel(config) = env.settings.gateway else { throw CLIError.usage("--gateway kannel needs gateway.sms: kannel and gateway.kannel in carnation.yaml") }
            kannel = config
        default: throw CLIError.usage("--gateway is sink or kannel")
        }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("carnation-bench-dispatch-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let result = try await DispatchBenchmark(messages: messages, concurrency: concurrency, kannel: kannel).run(workDirectory: dir)
        if office.json { try printJSON(result); return }
        print(table(["messages", "seconds", "msg/s", "reference req/s", "ratio", "peak memory", "lost", "duplicated"],
                    [[String(result.messages), String(result.seconds), String(Int(result.messagesPerSecond)), String(Int(result.referenceRequestsPerSecond)),
                      String(format: "%.0f %%", result.ratioToReference * 100), "\(result.peakMemoryBytes / 1_048_576) MiB", String(result.lost),
                      result.duplicated.map(String.init) ?? "n/a"]]), terminator: "")
    }
}
