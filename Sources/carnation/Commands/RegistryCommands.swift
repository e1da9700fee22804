import ArgumentParser
import Foundation
import Outreach
import Registry
import Store

/// `carnation registry …`: import department files and look at the register.
struct RegistryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "registry",
        abstract: "The real-name register: import department files, statistics, find, show.",
        subcommands: [RegistryImportCommand.self, RegistryStats.self, RegistryFind.self, RegistryShow.self, RegistryConflicts.self, RegistryAudit.self]
    )
}

struct RegistryImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import a department's CSV export (UTF-8 or GBK, detected) and merge it by resident ID.",
        discussion: "Bad rows go to a rejects file beside a summary; every other row imports. The import is one transaction."
    )

    @Argument(help: "The CSV file.") var file: String
    @Option(help: "The department: public-security, civil-affairs, disabled-federation, health, hrss (a mapping in content/import/).") var source: String
    @Option(name: .customLong("as-of"), help: "The date the file's data was true (YYYY-MM-DD; default today).") var asOf: String?
    @Option(help: "A mapping file to use instead of content/import/SOURCE.yaml.") var mapping: String?
    @Flag(name: .customLong("dry-run"), help: "Check and count everything, change nothing.") var dryRun = false
    @OptionGroup var office: OfficeOptions

    func run() async throws {
        let context = try Office(office)
        let mappingURL = try mapping.map { URL(fileURLWithPath: $0) } ?? CarnationPaths.content("import/\(source).yaml")
        guard let text = try? String(contentsOf: mappingURL, encoding: .utf8) else {
            throw MappingError.notFound(source: source, directory: mappingURL.deletingLastPathComponent().path)
        }
        let importMapping = try ImportMapping.parse(text, file: mappingURL.lastPathComponent)
        var date = context.today
        if let asOf {
            guard let d = CalendarDate(parsing: asOf) else { throw CLIError.usage("--as-of '\(asOf)' is not a date; write YYYY-MM-DD") }
            date = d
        }
        guard FileManager.default.fileExists(atPath: file) else { throw CLIError.notFound("no such file: \(file)") }
        let stamp = ISO8601DateFormatter.string(from: Date(), timeZone: TimeZone(identifier: "UTC")!, formatOptions: [.withYear, .withMonth, .withDay, .withTime])
            .replacingOccurrences(of: ":", with: "")
        let reports = try CarnationPaths.varDirectory().appendingPathComponent("imports/\(stamp)-\(importMapping.source)")
        let job = RegistryImport(file: URL(fileURLWithPath: file), mapping: importMapping, asOf: date, user: context.access.user,
                                 dryRun: dryRun, reportDirectory: reports)
        let report = try job.run(into: context.database, now: Date())
        if office.json { try printJSON(report.counts) } else { print(ImportReportText.render(report), terminator: "") }
    }
}

/// How an import summary reads in a terminal.
enum ImportReportText {
    static func render(_ r: RegistryImport.Report) -> String {
        var s = "\(r.dryRun ? "[dry run: nothing was changed] " : "")\(r.source) ← \(URL(fileURLWithPath: r.file).lastPathComponent) (\(r.encoding), as of \(r.asOf))\n"
        s += table(["new", "updated", "unchanged", "conflicts", "rejected"],
                   [[String(r.counts.new), String(r.counts.updated), String(r.counts.unchanged), String(r.counts.conflicts), String(r.counts.rejected)]])
        if r.changedNothing && r.counts.unchanged > 0 { s += "Nothing changed: the register already holds this file's data.\n" }
        if r.knownConflicts > 0 { s += "\(r.knownConflicts) conflicts were already on record (see `carnation registry conflicts`).\n" }
        if r.skippedRows > 0 { s += "\(r.skippedRows) empty or totals rows skipped.\n" }
        if !r.ignoredHeadings.isEmpty { s += "Columns not used: \(r.ignoredHeadings.joined(separator: ", "))\n" }
        for c in r.conflicts.prefix(5) { s += "conflict: \(c)\n" }
        for x in r.rejections.prefix(10) { s += "rejected line \(x.line)\(x.column.map { " [\($0)]" } ?? ""): \(x.reason)\n" }
        if r.counts.rejected > 10 { s += "… \(r.counts.rejected - 10) more rejected rows\n" }
        if let f = r.rejectsFile { s += "Rejected rows: \(f)\n" }
        s += "Summary: \(r.summaryFile)\n"
        return s
    }
}

/// Filter options shared by `find` (and later campaign audiences).
struct ResidentFilterOptions: ParsableArguments {
    @Option(name: .customLong("category"), help: "高龄/elderly, 残疾/disabled, 空巢/empty_nest, 长期卧床/bedridden, 失能/incapacitated, 低保/dibao, 特困/tekun, 防返贫监测/fanpin (repeatable: all must hold).")
    var categories: [String] = []
    @Option(name: .customLong("area"), help: "Area-code prefix (repeatable).") var areas: [String] = []
    @Option(name: .customLong("min-age")) var minAge: Int?
    @Option(name: .customLong("max-age")) var maxAge: Int?
    @Option(name: .customLong("pension"), help: "none, resident, employee, receiving (repeatable).") var pension: [String] = []
    @Option(name: .customLong("life"), help: "alive, deceased, moved_out (repeatable; default alive).") var life: [String] = []
    @Option(name: .customLong("name"), help: "Part of the name.") var name: String?

    func filter() throws -> ResidentFilter {
        var f = ResidentFilter()
        for c in categories {
            guard let cat = Category(label: c) else {
                throw CLIError.usage("unknown category '\(c)'; use one of \(Category.allCases.map { "\($0.chinese)/\($0.rawValue)" }.joined(separator: ", "))")
            }
            f.categories.append(cat)
        }
        f.areaPrefixes = try areas.map { try AreaPrefix($0) }
        if let a = minAge, !(0...130).contains(a) { throw CLIError.usage("--min-age \(a) is not an age (0–130)") }
        if let a = maxAge, !(0...130).contains(a) { throw CLIError.usage("--max-age \(a) is not an age (0–130)") }
        f.minAge = minAge
        f.maxAge = maxAge
        f.pension = try pension.map { p in
            guard let s = PensionScheme(rawValue: p) else { throw CLIError.usage("unknown pension status '\(p)'; use none, resident, employee or receiving") }
            return s
        }
        f.life = try (life.isEmpty ? ["alive"] : life).map { l in
            guard let s = LifeStatus(rawValue: l) else { throw CLIError.usage("unknown life status '\(l)'; use alive, deceased or moved_out") }
            return s
        }
        f.nameContains = name
        return f
    }
}

/// A resident as printed: masked unless unmasked was asked for and allowed.
struct ResidentView: Encodable {
    var id: String
    var name: String
    var sex: String
    var birthDate: String
    var age: Int
    var areaCode: String?
    var area: String?
    var address: String?
    var phone: String?
    var guardian: String?
    var guardianPhone: String?
    var categories: [String]
    var pension: String?
    var lifeStatus: String
    var reachability: String
    var languages: [String]
    var fields: [String: String]?
    var sources: [String: String]?

    init(_ s: StoredResident, office: Office, areaNames: [String: String], unmask: Bool, detail: Bool) {
        let r = Resident(id: s.id, fields: s.values)
        id = unmask ? s.id.value : s.id.masked
        name = r.name
        sex = r.sex.chinese
        birthDate = r.birthDate.description
        age = r.age(on: office.today)
        areaCode = r[.areaCode]
        area = r[.areaCode].map { code in
            [areaNames[String(code.prefix(9)) + "000"], areaNames[code]].compactMap { $0 }.joined()
        }
        address = r[.address]
        phone = r.phone.map { unmask ? $0.value : $0.masked } ?? r[.landline].map { unmask ? $0 : PhoneNumber.landline($0).masked }
        guardian = r[.guardianName].map { name in name + (r[.guardianRelation].map { "（\($0)）" } ?? "") }
        guardianPhone = r.guardianPhone.map { unmask ? $0.value : $0.masked }
        categories = r.categories(on: office.today, rules: office.rules).map(\.chinese)
        pension = r.pensionScheme.map { p in
            var s = p.chinese
            if let t = r[.pensionTierFen].flatMap(Int.init) { s += "，\(t / 100)元档" }
            if let y = r[.pensionYears] { s += "，已缴\(y)年" }
            if let c = r[.lastCertification] { s += "，上次认证\(c)" }
            return s
        }
        lifeStatus = r.lifeStatus.chinese + (r[.deathDate] ?? r[.moveOutDate]).map { " \($0)" }.orEmpty
        reachability = ChannelChooser.reachability(for: r).chinese
        languages = r.languages
        if detail {
            var f: [String: String] = [:]
            for (k, v) in s.values where k != .phone && k != .guardianPhone && k != .landline && k != .disabilityCertificate { f[k.rawValue] = v }
            if unmask { for k in [ResidentField.phone, .guardianPhone, .landline, .disabilityCertificate] { if let v = s.values[k] { f[k.rawValue] = v } } }
            fields = f
            sources = Dictionary(uniqueKeysWithValues: s.provenance.map { ($0.key.rawValue, "\($0.value.source) @ \($0.value.asOf)") })
        }
    }
}

extension Optional where Wrapped == String {
    var orEmpty: String { self ?? "" }
}

struct RegistryFind: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "find", abstract: "Find residents by category, area, age, pension and life status.")
    @OptionGroup var filterOptions: ResidentFilterOptions
    @Option(help: "At most this many rows (default 50).") var limit = 50
    @Flag(help: "Show full IDs and phones (if allowed; audited).") var unmask = false
    @OptionGroup var office: OfficeOptions

    func run() async throws {
        let context = try Office(office)
        let filter = try filterOptions.filter()
        guard limit > 0 else { throw CLIError.usage("--limit must be at least 1") }
        let found = try context.database.residents(matching: filter, scope: context.access.areas, on: context.today, rules: context.rules, limit: limit)
        let total = try context.database.countResidents(matching: filter, scope: context.access.areas, on: context.today, rules: context.rules)
        if unmask {
            try context.authoriseUnmask(action: found.count > 1 ? "export" : "read", subject: "registry find",
                                        detail: "\(found.count) residents unmasked: \(found.prefix(20).map(\.id.masked).joined(separator: " "))\(found.count > 20 ? " …" : "")")
        }
        let names = try context.database.areaNames()
        let views = found.map { ResidentView($0, office: context, areaNames: names, unmask: unmask, detail: false) }
        if office.json {
            struct Out: Encodable { var total: Int; var shown: Int; var residents: [ResidentView] }
            try printJSON(Out(total: total, shown: views.count, residents: views))
            return
        }
        print(table(["ID", "姓名", "性别", "年龄", "地区", "电话", "类别", "联系方式"],
                    views.map { [$0.id, $0.name, $0.sex, String($0.age), $0.area ?? "", $0.phone ?? "", $0.categories.joined(separator: "、"), $0.reachability] }),
              terminator: "")
        print("\(views.count) of \(total) shown\(total > views.count ? " (use --limit)" : "")")
    }
}

struct RegistryShow: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "show", abstract: "Show one resident, with where each field came from.")
    @Argument(help: "The 18-character resident ID.") var id: String
    @Flag(help: "Show full ID and phones (if allowed; audited).") var unmask = false
    @OptionGroup var office: OfficeOptions

    func run() async throws {
        let context = try Office(office)
        let rid = try ResidentID(id)
        guard let stored = try context.database.resident(rid),
              context.access.areas.map({ areas in areas.contains { stored.values[.areaCode]?.hasPrefix($0.value) ?? false } }) ?? true
        else { throw CLIError.notFound("no resident \(rid.masked) in your area of the register") }
        if unmask { try context.authoriseUnmask(action: "read", subject: rid.masked, detail: "registry show") }
        let view = ResidentView(stored, office: context, areaNames: try context.database.areaNames(), unmask: unmask, detail: true)
        if office.json { try printJSON(view); return }
        var rows: [[String]] = [
            ["身份证号", view.id], ["姓名", view.name], ["性别", view.sex], ["出生日期", "\(view.birthDate)（\(view.age)岁）"],
            ["地区", [view.area, view.areaCode.map { "(\($0))" }].compactMap { $0 }.joined(separator: " ")], ["地址", view.address ?? ""],
            ["电话", view.phone ?? "无"], ["监护人", [view.guardian, view.guardianPhone].compactMap { $0 }.joined(separator: " ")],
            ["类别", view.categories.joined(separator: "、")], ["养老保险", view.pension ?? "未知"], ["语言", view.languages.joined(separator: "、")],
            ["状态", view.lifeStatus], ["联系方式", view.reachability],
        ]
        rows.append(["", ""])
        for (k, v) in (view.sources ?? [:]).sorted(by: { $0.key < $1.key }) { rows.append(["来源 \(k)", v]) }
        print(table(["项目", "内容"], rows), terminator: "")
    }
}

struct RegistryStats: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "stats", abstract: "Counts by category, township, pension status and how residents can be reached.")
    @OptionGroup var office: OfficeOptions

    func run() async throws {
        let context = try Office(office)
        let stats = try RegistryStatistics.compute(context.database, scope: context.access.areas, on: context.today, rules: context.rules)
        if office.json { try printJSON(stats); return }
        let names = try context.database.areaNames()
        var s = "Register: \(stats.total) residents (\(stats.alive) alive, \(stats.deceased) deceased, \(stats.movedOut) moved out) as of \(context.today)\n\n"
        s += table(["类别", "人数"], Category.allCases.map { [$0.chinese, String(stats.byCategory[$0.rawValue] ?? 0)] }) + "\n"
        s += table(["乡镇", "人数"], stats.byTownship.sorted { $0.key < $1.key }.map { ["\(names[$0.key + "000"] ?? "") \($0.key)", String($0.value)] }) + "\n"
        s += table(["养老保险", "人数"], PensionScheme.allCases.map { [$0.chinese, String(stats.byPension[$0.rawValue] ?? 0)] } + [["未知", String(stats.byPension["unknown"] ?? 0)]]) + "\n"
        s += table(["联系方式", "人数"], Reachability.allCases.map { [$0.chinese, String(stats.byReachability[$0.rawValue] ?? 0)] })
        print(s, terminator: "")
    }
}

/// Counts over the register in one pass (alive residents only, except the life-status counts).
struct RegistryStatistics: Encodable {
    var total = 0, alive = 0, deceased = 0, movedOut = 0
    var byCategory: [String: Int] = [:]
    var byTownship: [String: Int] = [:]
    var byPension: [String: Int] = [:]
    var byReachability: [String: Int] = [:]

    static func compute(_ db: CarnationDatabase, scope: [AreaPrefix]?, on date: CalendarDate, rules: RegistryRules) throws -> RegistryStatistics {
        var s = RegistryStatistics()
        try db.forEachResident(scope: scope) { stored in
            let r = Resident(id: stored.id, fields: stored.values)
            s.total += 1
            switch r.lifeStatus {
            case .deceased: s.deceased += 1; return
            case .movedOut: s.movedOut += 1; return
            case .alive: s.alive += 1
            }
            for c in r.categories(on: date, rules: rules) { s.byCategory[c.rawValue, default: 0] += 1 }
            s.byTownship[String((r[.areaCode] ?? "unknown").prefix(9)), default: 0] += 1
            s.byPension[r.pensionScheme?.rawValue ?? "unknown", default: 0] += 1
            s.byReachability[ChannelChooser.reachability(for: r).rawValue, default: 0] += 1
        }
        return s
    }
}

struct RegistryConflicts: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "conflicts", abstract: "Fields two departments disagree on for the same date, kept for review.")
    @Option var limit = 50
    @OptionGroup var office: OfficeOptions

    func run() async throws {
        let context = try Office(office)
        let conflicts = try context.database.openConflicts(limit: limit)
        let rows = conflicts.map { c -> [String] in
            let masked = [ResidentField.phone, .guardianPhone].contains(c.field)
            return [c.id.masked, c.field.rawValue,
                    (masked ? PhoneNumber(stored: c.kept).masked : c.kept) + " (\(c.keptFrom.source))",
                    (masked ? PhoneNumber(stored: c.offered).masked : c.offered) + " (\(c.offeredFrom.source))", c.offeredFrom.asOf.description]
        }
        if office.json {
            try printJSON(rows.map { ["id": $0[0], "field": $0[1], "kept": $0[2], "offered": $0[3], "asOf": $0[4]] })
        } else {
            print(table(["ID", "field", "kept", "offered", "as of"], rows), terminator: "")
        }
    }
}

struct RegistryAudit: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "audit", abstract: "The audit log: unmasked reads, exports and imports.")
    @Option var limit = 50
    @OptionGroup var office: OfficeOptions

    func run() async throws {
        let context = try Office(office)
        let entries = try context.database.auditEntries(limit: limit)
        if office.json { try printJSON(entries); return }
        print(table(["at", "user", "action", "subject", "detail"], entries.map { [$0.at, $0.user, $0.action, $0.subject, $0.detail] }), terminator: "")
    }
}
