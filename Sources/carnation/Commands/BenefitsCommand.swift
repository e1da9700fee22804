import ArgumentParser
import Benefits
import Foundation
import Outreach
import Registry
import Store

/// `carnation benefits …`: pension rules over the dated, sourced parameters in content/policy/.
struct BenefitsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "benefits",
        abstract: "Pension rules: retirement age, resident and employee pensions, comparisons.",
        discussion: """
        Every figure comes from content/policy/*.yaml with its source and status (official, secondary, code,
        unverified). Money is shown in yuan with two decimals; each part is rounded half-up to the fen and the
        total is the sum of the rounded parts. Figures carried past their last known date are listed as assumptions.
        """,
        subcommands: [BenefitsRetirement.self, BenefitsEmployee.self, BenefitsResident.self, BenefitsCompare.self]
    )
}

// MARK: - retirement

/// `carnation benefits retirement --birth YYYY-MM --category male|female-55|female-50`.
struct BenefitsRetirement: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "retirement",
        abstract: "Statutory retirement age and month under the 2024 reform, minimum contribution months, divisor.")

    @Option(name: .long, help: "Birth month, YYYY-MM.") var birth: String
    @Option(name: .long, help: "male, female-55 or female-50 (the original retirement age of the job).") var category: String
    @Option(name: .long, parsing: .unconditional, help: "Flexible retirement: negative months early, positive late (up to 36).")
    var flexibleMonths: Int = 0
    @Option(name: .long, help: "Contribution months so far (checked for early retirement).") var contributionMonths: Int?
    @Flag(name: .long, help: "Print JSON instead of a table.") var json = false

    func run() throws {
        try benefitsErrors {
            let book = try BenefitsCLI.book()
            let r = try RetirementRules.retirement(birth: YearMonth(parsing: birth, name: "--birth"), category: BenefitsCLI.category(category),
                                                   flexibleMonths: flexibleMonths, contributionMonths: contributionMonths, book: book)
            if json {
                try printJSON(RetirementJSON(r))
                return
            }
            let rows: [[String]] = [
                ["法定退休年龄", BenefitsCLI.age(r.statutoryAge)], ["延迟月数", "\(r.delayMonths)"],
                ["退休时间", r.retirementMonth.description + (r.flexibleMonths == 0 ? "" : "（弹性 \(r.flexibleMonths > 0 ? "+" : "")\(r.flexibleMonths) 个月）")],
                ["最低缴费", "\(r.minimumContributionMonths) 个月（\(Decimals.text(Decimal(r.minimumContributionMonths) / 12, places: 1)) 年）"],
                ["计发月数", r.divisorText],
            ]
            print(table(["项目", "结果"], rows), terminator: "")
            BenefitsCLI.printBreakdown(r.breakdown)
        }
    }

    struct RetirementJSON: Encodable {
        let birth: String, category: String
        let statutoryAge: String, statutoryMonth: String, delayMonths: Int
        let retirementAge: String, retirementMonth: String, flexibleMonths: Int
        let minimumContributionMonths: Int, minimumYearCounted: Int
        let divisor: String
        let breakdown: Breakdown

        init(_ r: RetirementOutcome) {
            birth = r.birth.description
            category = r.category.rawValue
            statutoryAge = r.statutoryAge.description
            statutoryMonth = r.statutoryMonth.description
            delayMonths = r.delayMonths
            retirementAge = r.retirementAge.description
            retirementMonth = r.retirementMonth.description
            flexibleMonths = r.flexibleMonths
            minimumContributionMonths = r.minimumContributionMonths
            minimumYearCounted = r.minimumYearCounted
            divisor = r.divisorText
            breakdown = r.breakdown
        }
    }
}

// MARK: - employee

/// `carnation benefits employee …`: from the figures of an approval notice, or projected from the parameters.
struct BenefitsEmployee: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "employee",
        abstract: "Employee pension of a flexible worker: from stated figures, or projected from the parameters.",
        discussion: """
        From figures:   --retirement-age 60y1m --months N --base C --index Z --balance B [--deemed-years Y]
        Projected:      --birth YYYY-MM --category male --contribution-base-percent 60 --start YYYY-MM
                        [--balance B (at the start)] [--prior-months N --prior-index Z] [--deemed-years Y]
        """)

    @Option(name: .long, help: "Age at retirement, e.g. 60y1m.") var retirementAge: String?
    @Option(name: .long, parsing: .unconditional, help: "Contribution months in total.") var months: Int?
    @Option(name: .long, parsing: .unconditional, help: "C, the pension computation base, yuan a month.") var base: String?
    @Option(name: .long, parsing: .unconditional, help: "Z, the average contribution index (0–3).") var index: String?
    @Option(name: .long, parsing: .unconditional, help: "Personal-account balance, yuan (at retirement; with --start, at the start).") var balance: String?
    @Option(name: .long, parsing: .unconditional, help: "视同缴费年限 (deemed years) for the transitional pension.") var deemedYears: String?
    @Option(name: .long, help: "Birth month, YYYY-MM (projection).") var birth: String?
    @Option(name: .long, help: "male, female-55 or female-50 (projection).") var category: String?
    @Option(name: .long, parsing: .unconditional, help: "Contribution base as a percent of the average wage, 60–300 (projection).") var contributionBasePercent: String?
    @Option(name: .long, help: "First month of contributions, YYYY-MM (projection).") var start: String?
    @Option(name: .long, parsing: .unconditional, help: "Months contributed before --start (projection).") var priorMonths: Int = 0
    @Option(name: .long, parsing: .unconditional, help: "Average index of the months before --start (projection).") var priorIndex: String?
    @Option(name: .long, parsing: .unconditional, help: "Flexible retirement months, negative early (projection).") var flexibleMonths: Int = 0
    @Option(name: .long, parsing: .unconditional, help: "延长缴费: months contributed after the retirement month to reach the minimum (projection).") var extensionMonths: Int = 0
    @Option(name: .long, help: "Area code whose parameters apply (default 53, Yunnan).") var region: String = "53"
    @Flag(name: .long, help: "Print JSON instead of a table.") var json = false

    func run() throws {
        try benefitsErrors {
            let book = try BenefitsCLI.book()
            let region = try Region(parsing: region, name: "--region")
            let explicit = [retirementAge, months.map(String.init), base, index].contains { $0 != nil }
            let projected = [birth, category, contributionBasePercent, start].contains { $0 != nil }
            let deemed = try deemedYears.map { try BenefitsCLI.decimal($0, name: "--deemed-years", allowed: "0 or more years") }
            if explicit && projected {
                throw ValidationError("give either the figures (--retirement-age --months --base --index --balance) or the projection options (--birth --category --contribution-base-percent --start), not both")
            }
            if projected {
                guard let birth, let category, let contributionBasePercent, let start else {
                    throw ValidationError("a projection needs --birth, --category, --contribution-base-percent and --start")
                }
                let percent = try BenefitsCLI.percent(contributionBasePercent, name: "--contribution-base-percent", allowed: "a percent from 60 to 300")
                let plan = EmployeeProjectionPlan(
                    birth: try YearMonth(parsing: birth, name: "--birth"), category: try BenefitsCLI.category(category), basePercent: percent,
                    start: try YearMonth(parsing: start, name: "--start"), region: region, flexibleMonths: flexibleMonths,
                    openingBalance: try balance.map { try BenefitsCLI.money($0, name: "--balance") } ?? .zero,
                    priorMonths: priorMonths,
                    priorIndex: try priorIndex.map { try BenefitsCLI.decimal($0, name: "--prior-index", allowed: "an index from 0 to 3") } ?? 0,
                    deemedYears: deemed, extensionMonths: extensionMonths)
                guard priorMonths == 0 || priorIndex != nil else { throw ValidationError("--prior-months needs --prior-index (the average index of those months)") }
                let p = try EmployeePension.project(plan, book: book)
                try output(EmployeeJSON(p.pension, mode: "projected", projection: p), p.pension, projection: p)
            } else {
                guard let retirementAge, let months, let base, let index, let balance else {
                    throw ValidationError("the figures need --retirement-age, --months, --base, --index and --balance (or project with --birth --category --contribution-base-percent --start)")
                }
                let figures = EmployeeFigures(
                    retirementAge: try AgeInMonths(parsing: retirementAge, name: "--retirement-age"), months: months,
                    computationBase: try BenefitsCLI.money(base, name: "--base"),
                    index: try BenefitsCLI.decimal(index, name: "--index", allowed: "an index from 0 to 3"),
                    balance: try BenefitsCLI.money(balance, name: "--balance"), deemedYears: deemed, region: region,
                    on: BenefitsCLI.today().firstDay)
                let r = try EmployeePension.calculate(figures, book: book)
                try output(EmployeeJSON(r, mode: "figures", projection: nil), r, projection: nil)
            }
        }
    }

    private func output(_ report: EmployeeJSON, _ r: EmployeePensionResult, projection p: EmployeeProjection?) throws {
        if json {
            try printJSON(report)
            return
        }
        var rows: [[String]] = []
        if let p {
            rows += [["退休时间", "\(p.retirement.retirementMonth)（\(BenefitsCLI.age(p.retirement.retirementAge))）"
                      + (p.pensionStart > p.retirement.retirementMonth ? "，延长缴费后 \(p.pensionStart) 起领取" : "")],
                     ["每月缴费", "\(p.firstCost.monthly) 元（记入个人账户 \(p.firstCost.toAccount)）"],
                     ["个人缴费合计", "\(p.personalCost) 元"], ["缴费指数 Z", Decimals.plain(p.index)], ["计发基数 C", "\(p.computationBase) 元"],
                     ["账户余额", "\(p.yearly.last?.closing ?? .zero) 元"]]
            if p.shortfallMonths > 0 { rows.append(["缴费不足", "差 \(p.shortfallMonths) 个月，补足后才能按月领取"]) }
        }
        rows += [["缴费年限", r.yearsText], ["计发月数", r.divisorText], ["基础养老金", r.basic.description],
                 ["个人账户养老金", r.account.description], ["过渡性养老金", r.transitional.description], ["合计（每月）", r.total.description]]
        print(table(["项目", "结果"], rows), terminator: "")
        BenefitsCLI.printBreakdown(p?.breakdown ?? r.breakdown)
    }

    struct EmployeeJSON: Encodable {
        let mode: String
        let years: String, divisor: String
        let basic: Money, account: Money, transitional: Money, total: Money
        let retirementMonth: String?, pensionStart: String?, contributionMonths: Int?, monthlyContribution: Money?, personalCost: Money?
        let index: String?, computationBase: Money?, balance: Money?, shortfallMonths: Int?, eligible: Bool
        let breakdown: Breakdown

        init(_ r: EmployeePensionResult, mode: String, projection p: EmployeeProjection?) {
            self.mode = mode
            years = r.yearsText
            divisor = r.divisorText
            basic = r.basic
            account = r.account
            transitional = r.transitional
            total = r.total
            retirementMonth = p?.retirement.retirementMonth.description
            pensionStart = p?.pensionStart.description
            contributionMonths = p?.contributionMonths
            monthlyContribution = p?.firstCost.monthly
            personalCost = p?.personalCost
            index = p.map { Decimals.plain($0.index) }
            computationBase = p?.computationBase
            balance = p?.yearly.last?.closing
            shortfallMonths = p?.shortfallMonths
            eligible = p?.eligibility.isEligible ?? true
            breakdown = p?.breakdown ?? r.breakdown
        }
    }
}

// MARK: - resident

/// `carnation benefits resident --tier T --years N …`: the resident pension after N years at a tier.
struct BenefitsResident: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "resident",
        abstract: "Resident pension: account growth at a tier, and the monthly pension at 60.",
        discussion: """
        Contributions run for --years from --start (default: this year); the pension starts in January after the
        last year unless --claim is given. Without --subsidy, --rate or --basic, the region's parameters are used.
        """)

    @Option(name: .long, parsing: .unconditional, help: "Tier, yuan a year (one of the region's tiers).") var tier: String
    @Option(name: .long, parsing: .unconditional, help: "Years of contributions.") var years: Int
    @Option(name: .long, parsing: .unconditional, help: "Government subsidy, yuan a year (default: the region's schedule).") var subsidy: String?
    @Option(name: .long, parsing: .unconditional, help: "Interest rate in percent a year, e.g. 2.62 (default: the region's rate).") var rate: String?
    @Option(name: .long, parsing: .unconditional, help: "Basic pension, yuan a month, including top-ups (default: the parameters).") var basic: String?
    @Option(name: .long, parsing: .unconditional, help: "First contribution year (default: this year).") var start: Int?
    @Option(name: .long, help: "Month the pension starts, YYYY-MM (default: January after the last year).") var claim: String?
    @Option(name: .long, help: "Hardship group whose contribution the government pays (e.g. severely-disabled).") var hardshipGroup: String?
    @Option(name: .long, parsing: .unconditional, help: "Missing years paid in one go at the claim.") var backPaidYears: Int = 0
    @Option(name: .long, help: "Area code whose parameters apply (default 53, Yunnan).") var region: String = "53"
    @Flag(name: .long, help: "Print JSON instead of a table.") var json = false

    func run() throws {
        try benefitsErrors {
            let book = try BenefitsCLI.book()
            guard years >= 0 else { throw BenefitsError.invalidInput(name: "--years", value: "\(years)", allowed: "0 or more years") }
            let firstYear = start ?? BenefitsCLI.today().year
            let claimMonth = try claim.map { try YearMonth(parsing: $0, name: "--claim") } ?? YearMonth(year: firstYear + years, month: 1)
            let plan = ResidentPlan(
                tier: try BenefitsCLI.money(tier, name: "--tier"), years: years, firstYear: firstYear, claimMonth: claimMonth,
                region: try Region(parsing: region, name: "--region"),
                subsidy: try subsidy.map { try BenefitsCLI.money($0, name: "--subsidy") },
                interestRate: try rate.map { try BenefitsCLI.percent($0, name: "--rate", allowed: "a percent such as 2.62") },
                basicPension: try basic.map { try BenefitsCLI.money($0, name: "--basic") },
                hardshipGroup: hardshipGroup, backPaidYears: backPaidYears)
            let r = try ResidentPension.calculate(plan, book: book)
            if json {
                try printJSON(ResidentJSON(r, claim: claimMonth))
                return
            }
            var rows: [[String]] = [["领取时间", claimMonth.description], ["个人缴费合计", "\(r.personalCost) 元"], ["账户余额", "\(r.balance) 元"]]
            if case let .notYetEligible(missing) = r.eligibility {
                rows.append(["领取资格", "缴费年限不足，差 \(missing) 年"])
            } else {
                rows += [["个人账户养老金", r.account.description], ["基础养老金", r.basic.description], ["合计（每月）", r.total.description]]
            }
            print(table(["项目", "结果"], rows), terminator: "")
            BenefitsCLI.printBreakdown(r.breakdown)
        }
    }

    struct ResidentJSON: Encodable {
        let balance: Money, account: Money, basic: Money, total: Money
        let eligible: Bool, missingYears: Int?, personalCost: Money, claimMonth: String
        let yearly: [AccountYear]
        let breakdown: Breakdown

        init(_ r: ResidentPensionResult, claim: YearMonth) {
            balance = r.balance
            account = r.account
            basic = r.basic
            total = r.total
            eligible = r.eligibility.isEligible
            if case let .notYetEligible(m) = r.eligibility { missingYears = m } else { missingYears = nil }
            personalCost = r.personalCost
            claimMonth = claim.description
            yearly = r.yearly
            breakdown = r.breakdown
        }
    }
}

// MARK: - compare

/// `carnation benefits compare --birth YYYY-MM --category C` or `--resident ID`: the four comparison tables.
struct BenefitsCompare: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compare",
        abstract: "Why insure, why the employee scheme, why a higher tier, why longer: cost, pension, years to recoup.")

    @Option(name: .long, help: "A resident ID in the register (uses birth, sex, county and pension status).") var resident: String?
    @Option(name: .long, help: "Birth month, YYYY-MM.") var birth: String?
    @Option(name: .long, help: "male, female-55 or female-50 (with --resident, overrides the default from sex).") var category: String?
    @Option(name: .long, help: "Area code whose parameters apply (default 53, Yunnan; with --resident, the resident's county).") var region: String?
    @Option(name: .long, help: "Pension status: none, resident-contributing, employee-contributing, receiving, unknown.") var status: String = "unknown"
    @Option(name: .long, help: "The month to compare from, YYYY-MM (default: this month).") var asOf: String?
    @OptionGroup var office: OfficeOptions

    func run() throws {
        try benefitsErrors {
            let book = try BenefitsCLI.book()
            let asOfMonth = try asOf.map { try YearMonth(parsing: $0, name: "--as-of") } ?? BenefitsCLI.today()
            var notes: [String] = []
            let person: ComparisonPerson
            if let resident {
                guard birth == nil else { throw ValidationError("give either --resident or --birth, not both") }
                let context = try Office(office)
                let rid: ResidentID
                do { rid = try ResidentID(resident) } catch { throw ValidationError("--resident: \(error)") }
                guard let stored = try context.database.resident(rid),
                      context.access.areas.map({ areas in areas.contains { stored.values[.areaCode]?.hasPrefix($0.value) ?? false } }) ?? true
                else { throw CLIError.notFound("no resident \(rid.masked) in your area of the register") }
                let r = Resident(id: rid, fields: stored.values)
                let chosen: RetirementCategory
                if let category { chosen = try BenefitsCLI.category(category) } else {
                    chosen = r.sex == .male ? .male : .female50
                    if r.sex == .female { notes.append("女性按原退休年龄50岁（灵活就业一般如此，以当地为准；可用 --category female-55）") }
                }
                let area = region ?? r.areaCode.map { String($0.value.prefix(6)) } ?? "53"
                person = ComparisonPerson(
                    birth: try YearMonth(year: r.birthDate.year, month: r.birthDate.month), category: chosen,
                    region: try Region(parsing: area, name: "area code"), status: FigureCalculator.status(r.pensionScheme), asOf: asOfMonth)
            } else {
                guard let birth, let category else { throw ValidationError("give --birth and --category, or --resident ID") }
                guard let parsedStatus = PensionStatus(rawValue: status) else {
                    throw BenefitsError.invalidInput(name: "--status", value: status, allowed: PensionStatus.allCases.map(\.rawValue).joined(separator: ", "))
                }
                person = ComparisonPerson(birth: try YearMonth(parsing: birth, name: "--birth"), category: try BenefitsCLI.category(category),
                                          region: try Region(parsing: region ?? "53", name: "--region"), status: parsedStatus, asOf: asOfMonth)
            }
            let report = try Comparison.fourQuestions(for: person, book: book)
            if office.json {
                try printJSON(CompareJSON(report: report, notes: notes))
                return
            }
            print("出生 \(report.birth)，\(report.category.rawValue)，地区 \(report.region)，自 \(report.asOf) 起算")
            notes.forEach { print("注：\($0)") }
            if let note = report.note { print(note) }
            for t in report.tables {
                print("\n\(t.question)")
                print(table(["方案", "个人缴费", "每月养老金", "几年回本", "说明"], t.rows.map {
                    [$0.label, $0.personalCost.description, $0.eligible ? $0.monthlyPension.description : "—", $0.yearsToRecoup ?? "—", $0.note ?? ""]
                }), terminator: "")
            }
            if !report.tables.isEmpty {
                var all = Breakdown()
                report.tables.forEach { t in t.parameters.forEach { all.use($0) } }
                report.tables.flatMap(\.assumptions).forEach { all.assume($0) }
                BenefitsCLI.printSources(all)
            }
        }
    }

    struct CompareJSON: Encodable {
        let report: ComparisonReport
        let notes: [String]
        enum CodingKeys: String, CodingKey { case birth, category, region, status, asOf, applicable, note, notes, tables }
        func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(report.birth, forKey: .birth)
            try c.encode(report.category, forKey: .category)
            try c.encode(report.region, forKey: .region)
            try c.encode(report.status, forKey: .status)
            try c.encode(report.asOf, forKey: .asOf)
            try c.encode(report.applicable, forKey: .applicable)
            try c.encodeIfPresent(report.note, forKey: .note)
            try c.encode(notes, forKey: .notes)
            try c.encode(report.tables, forKey: .tables)
        }
    }
}

// MARK: - shared

/// Helpers shared by the benefits subcommands: loading, parsing options, printing breakdowns.
enum BenefitsCLI {
    static func book() throws -> PolicyBook { try PolicyLoader.load(directory: try CarnationPaths.content("policy")) }

    /// This month in China ($CARNATION_TODAY for reproducible runs).
    static func today() -> YearMonth {
        let d = Office.today()
        return try! YearMonth(year: d.year, month: d.month)
    }

    static func category(_ text: String) throws -> RetirementCategory {
        guard let c = RetirementCategory(rawValue: text) else {
            throw BenefitsError.invalidInput(name: "--category", value: text, allowed: "male, female-55 or female-50")
        }
        return c
    }

    static func decimal(_ text: String, name: String, allowed: String) throws -> Decimal {
        guard text.allSatisfy({ "0123456789.-".contains($0) }), let d = Decimal(string: text, locale: Locale(identifier: "en_US_POSIX")) else {
            throw BenefitsError.invalidInput(name: name, value: text, allowed: allowed)
        }
        return d
    }

    /// Yuan with at most two decimals, 0 or more.
    static func money(_ text: String, name: String) throws -> Money {
        let d = try decimal(text, name: name, allowed: "an amount in yuan, 0 or more, e.g. 8265 or 76461.55")
        guard d >= 0, Decimals.round(d, scale: 2) == d else {
            throw BenefitsError.invalidInput(name: name, value: text, allowed: "an amount in yuan, 0 or more, at most two decimals")
        }
        return Money(roundingYuan: d)
    }

    /// A percent (e.g. "2.62" or "60") as basis points.
    static func percent(_ text: String, name: String, allowed: String) throws -> Rate {
        let d = try decimal(text, name: name, allowed: allowed)
        let bp = d * 100
        guard d >= 0, Decimals.round(bp, scale: 0) == bp else { throw BenefitsError.invalidInput(name: name, value: text, allowed: allowed) }
        return Rate(basisPoints: NSDecimalNumber(decimal: bp).intValue)
    }

    static func age(_ a: AgeInMonths) -> String { a.months == 0 ? "\(a.years)岁" : "\(a.years)岁\(a.months)个月" }

    static func printBreakdown(_ b: Breakdown) {
        print("\n计算过程")
        print(table(["项目", "算式", "结果"], b.lines.map { [$0.label, $0.formula, $0.result] }), terminator: "")
        printSources(b)
    }

    static func printSources(_ b: Breakdown) {
        print("\n所用参数")
        print(table(["参数", "地区", "数值", "生效", "状态", "来源"], b.parameters.map {
            [$0.key, $0.region, $0.value, "\($0.from)–\($0.to.map(\.description) ?? "")", $0.status.rawValue, $0.source]
        }), terminator: "")
        if b.parameters.contains(where: { $0.status.needsLocalConfirmation }) {
            print("注：状态为 code 或 unverified 的数值未经官方文件核实，以当地经办机构核定为准。")
        }
        if !b.assumptions.isEmpty {
            print("\n假设")
            b.assumptions.forEach { print("- \($0)") }
        }
    }
}

/// Runs a command body, turning invalid input into a usage error (exit 64); other errors stay typed
/// (a policy-file error or a date no parameter covers is a `BenefitsError`).
private func benefitsErrors(_ body: () throws -> Void) throws {
    do { try body() } catch let error as BenefitsError {
        if case .invalidInput = error { throw CLIError.usage(error.description) }
        throw error
    }
}
