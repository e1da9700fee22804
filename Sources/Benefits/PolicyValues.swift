import Foundation

/// Every parameter the policy files may define. The raw value is the `key:` written in YAML.
public enum ParameterKey: String, Sendable, CaseIterable, Codable {
    case residentDivisor = "resident.divisor"
    case residentClaimAge = "resident.claimAgeYears"
    case residentMinimumYears = "resident.minimumYears"
    case residentTiers = "resident.tiers"
    case residentSubsidy = "resident.subsidy"
    case residentMinimumBasicPension = "resident.minimumBasicPension"
    case residentBasicTopUp = "resident.basicTopUp"
    case residentLongContributionExtra = "resident.longContributionExtraPerYear"
    case residentHardshipGroups = "resident.hardshipGroups"
    case residentInterestRate = "resident.accountInterestRate"
    case residentCrediting = "resident.crediting"
    case residentBackPayment = "resident.backPayment"
    case employeeContributionRate = "employee.contributionRate"
    case employeeBaseBand = "employee.baseBand"
    case employeeContributionBounds = "employee.contributionBounds"
    case employeeComputationBase = "employee.computationBase"
    case employeeInterestRate = "employee.accountInterestRate"
    case employeeCrediting = "employee.crediting"
    case employeeDivisorTable = "employee.divisorTable"
    case employeeDivisorInterpolation = "employee.divisorInterpolation"
    case employeeYearsRounding = "employee.contributionYearsRounding"
    case employeeTransitional = "employee.transitional"
    case retirementStatutoryAge = "retirement.statutoryAge"
    case retirementFlexible = "retirement.flexible"
    case retirementMinimumMonths = "retirement.minimumContributionMonths"
    case projectionInterestRate = "projection.interestRate"
    case comparisonScenarios = "comparison.scenarios"
}

/// One step of a subsidy schedule: tiers of at least `tierFrom` a year get `subsidy` a year.
public struct SubsidyStep: Sendable, Hashable, Codable {
    public let tierFrom: Money
    public let subsidy: Money
}

/// A group whose resident-scheme contributions the government pays, and how much a year.
public struct HardshipGroup: Sendable, Hashable, Codable {
    /// Identifier used in data, e.g. `severely-disabled`.
    public let group: String
    /// Chinese name, e.g. 重度残疾人.
    public let label: String
    /// Paid by the government each year (part or all of the lowest tier).
    public let paid: Money
}

/// How a year's interest is credited: `balance × (1 + r) + credits × (1 + r × contributionWeight)`.
/// A weight of 0 credits the year's contributions at year end; 0.5415 (= 1.083 ÷ 2) is the monthly-deposit
/// convention recalled from 劳办发〔1997〕116号.
public struct CreditingConvention: Sendable, Hashable, Codable {
    public let contributionWeight: Decimal
}

/// Whether years missing at 60 may be paid in one go, and whether such years attract the subsidy.
public struct BackPaymentRule: Sendable, Hashable, Codable {
    public let allowed: Bool
    public let subsidised: Bool
}

/// The employee contribution rate and the part credited to the personal account.
public struct ContributionSplit: Sendable, Hashable, Codable {
    public let total: Rate
    public let toAccount: Rate
}

/// The band for the contribution base, as a share of the average wage (e.g. 60 %–300 %).
public struct BaseBand: Sendable, Hashable, Codable {
    public let lower: Rate
    public let upper: Rate
}

/// A province's monthly contribution-base bounds for one year.
public struct ContributionBounds: Sendable, Hashable, Codable {
    public let lower: Money
    public let upper: Money
}

/// 计发月数 by whole age in years.
public struct DivisorTable: Sendable, Hashable, Codable {
    public let months: [Int: Int]
    public var ages: ClosedRange<Int> { months.keys.min()!...months.keys.max()! }
}

/// How the divisor is found for an age in years and months.
public struct DivisorInterpolation: Sendable, Hashable, Codable {
    /// Only `linear` is known.
    public let method: String
    public let decimals: Int
}

/// How contribution months are shown as years before use (official notices: 2 decimals).
public struct YearsRounding: Sendable, Hashable, Codable {
    public enum Mode: String, Sendable, Codable { case truncate, halfUp = "half-up" }
    public let decimals: Int
    public let mode: Mode

    public func apply(_ value: Decimal) -> Decimal {
        mode == .truncate ? Decimals.truncate(value, scale: decimals) : Decimals.round(value, scale: decimals)
    }
}

/// A province's transitional-pension formula: `base × deemed years × rate`.
public struct TransitionalRule: Sendable, Hashable, Codable {
    public enum Base: String, Sendable, Codable {
        /// C × Z (Yunnan, as seen in code).
        case cz
        /// (C + C × Z) ÷ 2 (Sichuan, as seen in code).
        case average
    }
    public let rate: Rate
    public let base: Base
}

/// Statutory-age categories under the 2024 reform.
public enum RetirementCategory: String, Sendable, CaseIterable, Codable {
    case male
    case female55 = "female-55"
    case female50 = "female-50"
}

/// The reform rule for one category: born from `baseBirth`, delay one month per `step` months of birth.
public struct ReformRule: Sendable, Hashable, Codable {
    public let baseBirth: YearMonth
    public let originalAgeMonths: Int
    public let step: Int
    public let maxDelayMonths: Int
}

/// Limits of flexible early or late retirement, in months.
public struct FlexibleRetirement: Sendable, Hashable, Codable {
    public let earlyMaxMonths: Int
    public let lateMaxMonths: Int
}

/// Minimum contribution months by the year that counts; years before the first listed use the first value,
/// years after the last use the last (the official wording: "≤2029" and "≥2039").
public struct MinimumContributionTable: Sendable, Hashable, Codable {
    public let byYear: [Int: Int]

    public func months(in year: Int) -> Int {
        let years = byYear.keys.sorted()
        if year <= years.first! { return byYear[years.first!]! }
        if year >= years.last! { return byYear[years.last!]! }
        return byYear[years.last(where: { $0 <= year })!]!
    }
}

/// Which cases the comparison tables show (an editorial choice kept with the data, not a policy figure).
public struct ComparisonScenarios: Sendable, Hashable, Codable {
    /// Tiers for "why a higher tier".
    public let residentTiers: [Money]
    /// The tier used in the other tables.
    public let residentTier: Money
    /// Years for "why contribute longer".
    public let years: [Int]
    /// The employee base as a share of the average wage.
    public let employeeBasePercent: Rate
}

/// The value of one parameter entry, by kind.
public enum PolicyValue: Sendable, Hashable {
    case integer(Int)
    case amount(Money)
    case rate(Rate)
    case amounts([Money])
    case subsidy([SubsidyStep])
    case hardship([HardshipGroup])
    case crediting(CreditingConvention)
    case backPayment(BackPaymentRule)
    case split(ContributionSplit)
    case band(BaseBand)
    case bounds(ContributionBounds)
    case divisorTable(DivisorTable)
    case interpolation(DivisorInterpolation)
    case yearsRounding(YearsRounding)
    case transitional(TransitionalRule)
    case statutoryAge([RetirementCategory: ReformRule])
    case flexible(FlexibleRetirement)
    case minimumMonths(MinimumContributionTable)
    case scenarios(ComparisonScenarios)

    /// Short display text used in breakdowns.
    public var display: String {
        switch self {
        case let .integer(n): return "\(n)"
        case let .amount(m): return "\(m) 元"
        case let .rate(r): return r.description
        case let .amounts(list): return list.map(\.description).joined(separator: "/") + " 元"
        case let .subsidy(steps): return steps.map { "≥\($0.tierFrom)→\($0.subsidy)" }.joined(separator: ", ")
        case let .hardship(groups): return groups.map { "\($0.label) \($0.paid)" }.joined(separator: ", ")
        case let .crediting(c): return "当年缴费计息系数 \(Decimals.plain(c.contributionWeight))"
        case let .backPayment(b): return "补缴\(b.allowed ? "允许" : "不允许")，\(b.subsidised ? "有" : "无")补贴"
        case let .split(s): return "\(s.total)，其中 \(s.toAccount) 记入个人账户"
        case let .band(b): return "\(b.lower)–\(b.upper)"
        case let .bounds(b): return "\(b.lower)–\(b.upper) 元/月"
        case let .divisorTable(t): return "\(t.ages.lowerBound)–\(t.ages.upperBound) 岁计发月数表"
        case let .interpolation(i): return "\(i.method)，保留 \(i.decimals) 位小数"
        case let .yearsRounding(y): return "\(y.decimals) 位小数，\(y.mode == .truncate ? "截断" : "四舍五入")"
        case let .transitional(t): return "\(t.base == .cz ? "C×Z" : "(C+C×Z)/2") × 视同年限 × \(t.rate)"
        case let .statutoryAge(rules): return rules.keys.map(\.rawValue).sorted().joined(separator: "/")
        case let .flexible(f): return "提前≤\(f.earlyMaxMonths)月，推迟≤\(f.lateMaxMonths)月"
        case let .minimumMonths(t): return t.byYear.keys.sorted().map { "\($0):\(t.byYear[$0]!)" }.joined(separator: ", ")
        case .scenarios: return "比较方案"
        }
    }
}
