import Foundation

/// What the register knows of a person's pension situation.
public enum PensionStatus: String, Sendable, Codable, CaseIterable {
    case none
    case residentContributing = "resident-contributing"
    case employeeContributing = "employee-contributing"
    /// Already receiving a pension (either scheme).
    case receiving
    case unknown
}

/// The person a comparison is for.
public struct ComparisonPerson: Sendable {
    public var birth: YearMonth
    public var category: RetirementCategory
    /// County (or province) area code whose parameters apply.
    public var region: Region
    public var status: PensionStatus
    /// The month the comparison is made in; contributions start no earlier.
    public var asOf: YearMonth

    public init(birth: YearMonth, category: RetirementCategory, region: Region, status: PensionStatus = .unknown, asOf: YearMonth) {
        self.birth = birth
        self.category = category
        self.region = region
        self.status = status
        self.asOf = asOf
    }
}

/// One option in a comparison table.
public struct ComparisonRow: Sendable, Encodable, Equatable {
    /// Short Chinese label, e.g. 居民养老保险 500元档 15年.
    public let label: String
    /// `none`, `resident` or `employee`.
    public let scheme: String
    public let years: Int
    /// What the person pays personally (subsidies and government shares excluded).
    public let personalCost: Money
    /// Monthly pension at the start; 0 when not payable.
    public let monthlyPension: Money
    /// Years of pension to get back the personal cost, one decimal; nil when there is no pension.
    public let yearsToRecoup: String?
    public let eligible: Bool
    public let note: String?
}

/// A small table answering one question residents ask.
public struct ComparisonTable: Sendable, Encodable, Equatable {
    /// `whyInsure`, `whyEmployee`, `whyHigherTier`, `whyLonger`.
    public let id: String
    public let question: String
    public let rows: [ComparisonRow]
    public let assumptions: [String]
    public let parameters: [ParameterUse]
}

/// The four comparisons for one person.
public struct ComparisonReport: Sendable, Encodable, Equatable {
    public let birth: YearMonth
    public let category: RetirementCategory
    public let region: String
    public let status: PensionStatus
    public let asOf: YearMonth
    /// False when the comparisons do not apply (already receiving a pension).
    public let applicable: Bool
    public let note: String?
    public let tables: [ComparisonTable]
}

/// The four questions: why insure at all; why the employee scheme; why a higher tier; why contribute longer.
/// Each row is a real calculation from the parameters; projections and assumptions are listed with the table.
public enum Comparison {
    public static func fourQuestions(for person: ComparisonPerson, book: PolicyBook) throws -> ComparisonReport {
        if person.status == .receiving {
            return ComparisonReport(birth: person.birth, category: person.category, region: person.region.code, status: person.status,
                                    asOf: person.asOf, applicable: false, note: "已在领取养老金，不需要比较参保方案", tables: [])
        }
        let scenarios = try book.comparisonScenarios(region: person.region, on: person.asOf.firstDay, projecting: true)
        let s = scenarios.value
        let claimAge = try book.integer(.residentClaimAge, region: person.region, on: person.asOf.firstDay, projecting: true)
        let residentYears = try book.integer(.residentMinimumYears, region: person.region, on: person.asOf.firstDay, projecting: true)
        let tiers = try book.tiers(region: person.region, on: person.asOf.firstDay, projecting: true)
        let retirement = try RetirementRules.retirement(birth: person.birth, category: person.category, book: book)
        let employeeYears = (retirement.minimumContributionMonths + 11) / 12
        let common = [scenarios.use, claimAge.use, residentYears.use, tiers.use]
        let percent = s.employeeBasePercent

        var builder = Builder(person: person, claimAgeYears: claimAge.value, book: book)
        let none = ComparisonRow(label: "不参保", scheme: "none", years: 0, personalCost: .zero, monthlyPension: .zero,
                                 yearsToRecoup: nil, eligible: false, note: "老了没有按月的养老金")
        let lowest = tiers.value.first!
        let highest = tiers.value.last!

        let whyInsure = try builder.table(id: "whyInsure", question: "为什么要参保？", uses: common, rows: [
            .fixed(none),
            .resident(tier: lowest, years: residentYears.value),
            .resident(tier: s.residentTier, years: residentYears.value),
        ], extra: ["重度残疾人等困难群体，政府可代缴部分或全部最低档（以当地规定为准）"])
        let whyEmployee = try builder.table(id: "whyEmployee", question: "为什么选职工养老保险？", uses: common, rows: [
            .resident(tier: s.residentTier, years: employeeYears),
            .resident(tier: highest, years: employeeYears),
            .employee(percent: percent, years: employeeYears),
        ], extra: ["职工养老保险按平均工资的\(percent.basisPoints / 100)%作缴费基数，全部由本人缴纳（灵活就业）"])
        let whyHigherTier = try builder.table(id: "whyHigherTier", question: "为什么选高一点的档次？", uses: common,
                                              rows: s.residentTiers.map { .resident(tier: $0, years: residentYears.value) }, extra: [])
        let whyLonger = try builder.table(id: "whyLonger", question: "为什么要多缴几年？", uses: common,
                                          rows: s.years.map { .resident(tier: s.residentTier, years: $0) } + s.years.map { .employee(percent: percent, years: $0) },
                                          extra: ["长缴多得的地方加发未计入（云南标准未核实）"])
        return ComparisonReport(birth: person.birth, category: person.category, region: person.region.code, status: person.status,
                                asOf: person.asOf, applicable: true, note: nil, tables: [whyInsure, whyEmployee, whyHigherTier, whyLonger])
    }

    enum Option {
        case fixed(ComparisonRow)
        case resident(tier: Money, years: Int)
        case employee(percent: Rate, years: Int)
    }

    struct Builder {
        let person: ComparisonPerson
        let claimAgeYears: Int
        let book: PolicyBook

        mutating func table(id: String, question: String, uses: [ParameterUse], rows options: [Option], extra: [String]) throws -> ComparisonTable {
            var sources = Breakdown()
            uses.forEach { sources.use($0) }
            var rows: [ComparisonRow] = []
            for option in options {
                switch option {
                case let .fixed(row): rows.append(row)
                case let .resident(tier, years): rows.append(try resident(tier: tier, years: years, sources: &sources))
                case let .employee(percent, years): rows.append(try employee(percent: percent, years: years, sources: &sources))
                }
            }
            sources.assume("回本年数 = 个人缴费合计 ÷ (每月养老金 × 12)；政府补贴不是个人的钱，不计入成本")
            extra.forEach { sources.assume($0) }
            return ComparisonTable(id: id, question: question, rows: rows, assumptions: sources.assumptions, parameters: sources.parameters)
        }

        func recoup(_ cost: Money, _ monthly: Money) -> String? {
            guard monthly > .zero else { return nil }
            return Decimals.text(cost.yuan / (monthly.yuan * 12), places: 1)
        }

        /// N resident years ending the year before the claim at 60, starting no earlier than now.
        func resident(tier: Money, years: Int, sources: inout Breakdown) throws -> ComparisonRow {
            let sixty = person.birth.adding(months: claimAgeYears * 12)
            var firstYear = sixty.year - years
            var claim = sixty
            var note: String?
            if firstYear < person.asOf.year {
                firstYear = person.asOf.year
                claim = try YearMonth(year: max(sixty.year, firstYear + years), month: sixty.month)
                if claim > sixty { note = "\(claimAgeYears)岁后继续缴费到满\(years)年（按当地规定）" }
            }
            let plan = ResidentPlan(tier: tier, years: years, firstYear: firstYear, claimMonth: claim, region: person.region)
            let r = try ResidentPension.calculate(plan, book: book)
            sources.absorbSources(of: r.breakdown)
            return ComparisonRow(label: "居民养老保险 \(tier.fen / 100)元档 \(years)年", scheme: "resident", years: years,
                                 personalCost: r.personalCost, monthlyPension: r.total, yearsToRecoup: recoup(r.personalCost, r.total),
                                 eligible: r.eligibility.isEligible, note: note)
        }

        /// N employee years ending at statutory retirement, starting no earlier than now.
        func employee(percent: Rate, years: Int, sources: inout Breakdown) throws -> ComparisonRow {
            let retirement = try RetirementRules.retirement(birth: person.birth, category: person.category, book: book)
            let label = "职工养老保险 \(percent.basisPoints / 100)%基数 \(years)年"
            let available = retirement.retirementMonth.months(since: person.asOf)
            guard available > 0 else {
                return ComparisonRow(label: label, scheme: "employee", years: years, personalCost: .zero, monthlyPension: .zero,
                                     yearsToRecoup: nil, eligible: false, note: "已过法定退休年龄")
            }
            let wanted = years * 12
            var months = wanted
            var extra = 0
            var notes: [String] = []
            if wanted > available {
                // Not enough time before the statutory age: contribute from now, and extend (延长缴费) up to the minimum.
                months = max(available, min(wanted, retirement.minimumContributionMonths))
                extra = months - available
                notes.append("到法定退休年龄只能缴 \(available) 个月" + (extra > 0 ? "，再延长缴费 \(extra) 个月" : ""))
            }
            let table = try book.divisorTable(region: person.region, on: person.asOf.firstDay, projecting: true)
            let oldest = table.value.ages.upperBound
            if retirement.retirementAge.totalMonths + extra > oldest * 12 {
                sources.use(table.use)
                return ComparisonRow(label: label, scheme: "employee", years: years, personalCost: .zero, monthlyPension: .zero,
                                     yearsToRecoup: nil, eligible: false,
                                     note: "到\(oldest)岁也缴不满最低缴费年限 \(Decimals.text(Decimal(retirement.minimumContributionMonths) / 12, places: 1)) 年，职工养老保险不能按月领取")
            }
            let plan = EmployeeProjectionPlan(birth: person.birth, category: person.category, basePercent: percent,
                                              start: retirement.retirementMonth.adding(months: extra - months), region: person.region,
                                              months: months, extensionMonths: extra)
            let p = try EmployeePension.project(plan, book: book)
            sources.absorbSources(of: p.breakdown)
            let eligible = p.shortfallMonths == 0
            if !eligible {
                notes.append("不足最低缴费年限 \(Decimals.text(Decimal(retirement.minimumContributionMonths) / 12, places: 1)) 年，不能按月领取")
            }
            let monthly = eligible ? p.pension.total : .zero
            return ComparisonRow(label: label, scheme: "employee", years: years, personalCost: p.personalCost, monthlyPension: monthly,
                                 yearsToRecoup: recoup(p.personalCost, monthly), eligible: eligible,
                                 note: notes.isEmpty ? nil : notes.joined(separator: "；"))
        }
    }
}
