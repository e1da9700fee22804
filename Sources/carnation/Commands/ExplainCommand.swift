import ArgumentParser
import Benefits
import Foundation
import Messaging
import Outreach
import Registry
import Store

/// `carnation explain RESIDENT_ID`: what that resident would receive (SMS text, voice script), with the
/// figures used and their sources; `--samples N` for a few kinds of resident; `--budget` for the whole register.
struct ExplainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "explain",
        abstract: "Show what a resident would receive: SMS text and voice script, with the figures used.",
        discussion: """
        Explainers are defined in content/explainers/*.yaml, their texts in Templates/sms/ and Templates/voice/.
        The SMS signature is sms.signature in carnation.yaml (default 示范县社保); it counts towards the one-SMS budget.
        IDs and phones are shown masked.

          carnation explain 532999198003051016                  every explainer for that resident
          carnation explain ID --explainer why-insure --channel both
          carnation explain --samples 6                          sample messages for kinds of resident
          carnation explain --budget                             which explainers' SMS fit one segment, register-wide
        """)

    @Argument(help: "The resident's ID number.") var residentID: String?
    @Option(name: .long, help: "Only this explainer (e.g. why-insure).") var explainer: String?
    @Option(name: .long, help: "sms, voice or both: render these channels even if the resident would get another (a preview).")
    var channel: String?
    @Option(name: .long, help: "A planned visit date, YYYY-MM-DD (for the visit-coming notice).") var visit: String?
    @Option(name: .long, help: "Print sample explainers for up to N kinds of resident from the register.") var samples: Int?
    @Flag(name: .long, help: "Check every explainer's SMS against the one-segment budget for every resident in your area.")
    var budget = false
    @OptionGroup var office: OfficeOptions

    func validate() throws {
        let modes = [residentID != nil, samples != nil, budget].filter { $0 }.count
        guard modes == 1 else { throw ValidationError("give a resident ID, or --samples N, or --budget") }
        if let samples, samples < 1 { throw ValidationError("--samples needs a number of 1 or more") }
        if let channel, !["sms", "voice", "both"].contains(channel) { throw ValidationError("--channel is sms, voice or both") }
        if let visit, CalendarDate(parsing: visit) == nil { throw ValidationError("--visit is a date, e.g. 2026-12-03") }
    }

    func run() throws {
        let context = try Office(office)
        let renderer = try Self.renderer(context, options: office)
        if let samples {
            try runSamples(context, renderer, count: samples)
        } else if budget {
            try runBudget(context, renderer)
        } else {
            try runResident(context, renderer)
        }
    }

    /// Loads policy, explainers, templates and the signature.
    static func renderer(_ context: Office, options: OfficeOptions) throws -> ExplainerRenderer {
        let book = try PolicyLoader.load(directory: try CarnationPaths.content("policy"))
        let catalog = try ExplainerCatalog.load(explainers: try CarnationPaths.content("explainers"), templates: try CarnationPaths.templates())
        let env = ProcessInfo.processInfo.environment
        let configPath = options.config ?? env["CARNATION_CONFIG"] ?? (FileManager.default.fileExists(atPath: "carnation.yaml") ? "carnation.yaml" : nil)
        let configText = configPath.flatMap { try? String(contentsOfFile: $0, encoding: .utf8) }
        let signature = try ExplainerSettings.signature(configuration: configText, file: configPath ?? "carnation.yaml")
        return ExplainerRenderer(catalog: catalog, calculator: FigureCalculator(book: book, today: context.today),
                                 rules: context.rules, signature: signature)
    }

    var preview: [ExplainerChannel]? {
        switch channel {
        case "sms": return [.sms]
        case "voice": return [.voice]
        case "both": return [.sms, .voice]
        default: return nil
        }
    }

    // MARK: - one resident

    func runResident(_ context: Office, _ renderer: ExplainerRenderer) throws {
        let rid: ResidentID
        do { rid = try ResidentID(residentID!) } catch { throw ValidationError("resident ID: \(error)") }
        guard let stored = try context.database.resident(rid),
              context.access.areas.map({ areas in areas.contains { stored.values[.areaCode]?.hasPrefix($0.value) ?? false } }) ?? true
        else { throw CLIError.notFound("no resident \(rid.masked) in your area of the register") }
        let r = Resident(id: rid, fields: stored.values)
        let visitDate = visit.flatMap(CalendarDate.init(parsing:))
        let definitions = try explainer.map { [try renderer.catalog.definition(named: $0)] } ?? renderer.catalog.definitions
        let outcomes = definitions.map { renderer.outcome($0, for: r, visit: visitDate, preview: preview) }
        let choice = ChannelChooser.choose(for: r)
        if office.json {
            try printJSON(ResidentJSON(resident: rid.masked, name: r.name, age: r.age(on: context.today), today: context.today.description,
                                       signature: renderer.signature.bracketed, choice: choice, outcomes: outcomes))
            return
        }
        print("\(r.name)  \(rid.masked)  \(r.age(on: context.today))岁  \(r.pensionScheme?.chinese ?? "参保情况不详")  （\(context.today)）")
        print("渠道：\(choice.channels.map(\.chinese).joined(separator: "+").isEmpty ? "不发" : choice.channels.map(\.chinese).joined(separator: "+"))（\(choice.reason)）"
              + (choice.recipient.map { "，发给\($0.role == .guardian ? "监护人" : "本人")\($0.name)\($0.relation.map { "（\($0)）" } ?? "") \($0.phone.masked)" } ?? ""))
        for o in outcomes {
            switch o {
            case let .notOffered(name, question, reason):
                print("\n[\(name)] \(question)  不发：\(reason)")
            case let .message(m):
                print("\n[\(m.explainer)] \(m.question)")
                if let sms = m.sms {
                    let note = m.delivers(.sms) ? "" : "（预览，不会发送）"
                    print("  短信\(note)：\(sms.text)")
                    print("    \(sms.units)/\(SMSLimits.standard(sms.encoding).single) 单位，\(sms.segments) 条\(sms.variant == .short ? "，全文 \(sms.fullUnits ?? 0) 单位超出一条，用了短版" : "")\(sms.withinBudget ? "" : "，超出一条短信：请缩短模板")")
                }
                if let voice = m.voice {
                    print("  语音稿\(m.delivers(.voice) ? "" : m.choice.sendsNothing ? "（上门时播放）" : "（预览，不会发送）")：")
                    voice.sentences.forEach { print("    \($0)") }
                } else if preview?.contains(.voice) == true {
                    print("  语音：不发（听力残疾）")
                }
                if m.sms != nil, let p = m.provider {
                    print("  模板短信：\(p.templateCode) " + p.parameters.map { "\($0.name)=\($0.value)" }.joined(separator: " "))
                }
                if m.confirmLocally { print("  注：有数字依据未核实的参数，文中写明“以当地经办机构核定为准”") }
                print(table(["数字", "文中", "精确值", "来源"], m.figures.map { f in
                    [f.figure.label, f.text.isEmpty ? "—" : f.text, f.exact ?? "", Self.sources(f)]
                }).split(separator: "\n").map { "    " + $0 }.joined(separator: "\n"))
            }
        }
    }

    /// Sources of a figure in one line: parameter key, status, file:line; register fields.
    static func sources(_ f: FigureValue) -> String {
        var parts: [String] = []
        var seen = Set<String>()
        // The parameters that make the figure uncertain first.
        let ordered = f.parameters.filter { $0.status.needsLocalConfirmation && !$0.key.hasPrefix("comparison.") }
            + f.parameters.filter { !($0.status.needsLocalConfirmation && !$0.key.hasPrefix("comparison.")) }
        for p in ordered where seen.insert(p.key + p.region).inserted {
            parts.append("\(p.key)@\(p.region) \(p.status.rawValue) \((p.file as NSString).lastPathComponent):\(p.line)\(p.projectedTo.map { " 沿用到\($0)" } ?? "")")
        }
        if parts.count > 3 { parts = Array(parts.prefix(3)) + ["等\(parts.count)项（--json 看全部）"] }
        parts += f.registerFields.map { "登记:\($0)" }
        return parts.joined(separator: "；")
    }

    struct ResidentJSON: Encodable {
        let resident: String
        let name: String
        let age: Int
        let today: String
        let signature: String
        let choice: ChannelChoice
        let outcomes: [ExplainerOutcome]
    }

    // MARK: - samples and budget

    func residents(_ context: Office) throws -> [Resident] {
        var out: [Resident] = []
        try context.database.forEachResident(scope: context.access.areas) { out.append(Resident(id: $0.id, fields: $0.values)) }
        return out
    }

    func runSamples(_ context: Office, _ renderer: ExplainerRenderer, count: Int) throws {
        let all = try residents(context)
        guard !all.isEmpty else { throw CLIError.notFound("the register is empty: run `carnation demo seed` or import department files first") }
        let picked = ExplainerSamples.pick(all, renderer: renderer, count: count)
        if office.json {
            try printJSON(picked.map { SampleJSON(kind: $0.kind.rawValue, resident: $0.resident.id.masked, name: $0.resident.name, choice: $0.choice, outcome: $0.outcome) })
            return
        }
        print("示例：\(picked.count) 类居民会收到什么（\(context.today)，签名 \(renderer.signature.bracketed)，上门日期按三天后）")
        print(ExplainerSamples.text(picked, today: context.today), terminator: "")
    }

    struct SampleJSON: Encodable {
        let kind: String
        let resident: String
        let name: String
        let choice: ChannelChoice
        let outcome: ExplainerOutcome?
    }

    func runBudget(_ context: Office, _ renderer: ExplainerRenderer) throws {
        let all = try residents(context)
        // The visit notice is checked as if every resident had a visit in three days.
        let visitDay = context.today.adding(days: 3)
        let report = renderer.budgetReport(all, visits: Dictionary(uniqueKeysWithValues: all.map { ($0.id, visitDay) }))
        if office.json {
            try printJSON(report)
            return
        }
        print("签名 \(renderer.signature.bracketed)：正文一条短信最多 \(SMSSegmenter.singleSegmentBudget(signature: renderer.signature)) 单位（\(all.count) 人，\(context.today)）")
        print(table(["说明", "适合", "发短信", "全文一条", "用短版", "超出一条", "最长"], report.lines.map {
            [$0.explainer, "\($0.fitting)", "\($0.bySMS)", "\($0.fullFits)", "\($0.fellBack)", "\($0.overBudget)", "\($0.maxUnits)"]
        }), terminator: "")
        for line in report.lines where line.overBudget > 0 {
            print("\(line.explainer) 超出一条短信的居民：\(line.overBudgetResidents.joined(separator: ", "))\(line.overBudget > line.overBudgetResidents.count ? " 等" : "")")
        }
    }
}
