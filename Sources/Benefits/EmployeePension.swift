import Foundation

/// The figures of an employee pension calculation as an approval notice states them.
public struct EmployeeFigures: Sendable {
    public var retirementAge: AgeInMonths
    /// Total contribution months (actual, excluding deemed years).
    public var months: Int
    /// C, the province's pension computation base for the retirement year, yuan a month.
    public var computationBase: Money
    /// Z, the personal average contribution index (0 to 3).
    public var index: Decimal
    /// Personal-account balance at retirement.
    public var balance: Money
    /// 视同缴费年限 (pre-account deemed years), for the transitional pension.
    public var deemedYears: Decimal?
    /// The region whose transitional formula applies.
    public var region: Region
    /// The date whose parameters apply (divisor table, years rounding, transitional rule).
    public var on: PolicyDate

    public init(retirementAge: AgeInMonths, months: Int, computationBase: Money, index: Decimal, balance: Money,
                deemedYears: Decimal? = nil, region: Region, on: PolicyDate) {
        self.retirementAge = retirementAge
        self.months = months
        self.computationBase = computationBase
        self.index = index
        self.balance = balance
        self.deemedYears = deemedYears
        self.region = region
        self.on = on
    }
}

/// A monthly employee pension with every step shown.
public struct EmployeePensionResult: Sendable, Encodable, Equatable {
    /// Contribution years as used in the formula (e.g. 43.08).
    public let years: Decimal
    public let divisor: Decimal
    public let basic: Money
    public let account: Money
    public let transitional: Money
    public let total: Money
    public let breakdown: Breakdown

    public var yearsText: String { Decimals.text(years, places: 2) }
    public var divisorText: String { Decimals.text(divisor, places: 1) }
}

/// Monthly contribution of a flexible worker for a base.
public struct ContributionCost: Sendable, Encodable, Equatable {
    public let base: Money
    public let monthly: Money
    public let toAccount: Money
    public let toPool: Money
    public var yearly: Money { monthly * 12 }
}

/// The employee scheme for flexible workers (pure): contributions, and the pension from stated figures.
public enum EmployeePension {
    /// basic = C × (1 + Z) ÷ 2 × years × 1 %; account = balance ÷ divisor(age); transitional per the province.
    public static func calculate(_ f: EmployeeFigures, book: PolicyBook) throws -> EmployeePensionResult {
        guard f.months >= 0 else { throw BenefitsError.invalidInput(name: "months", value: "\(f.months)", allowed: "0 or more") }
        guard f.index >= 0, f.index <= 3 else {
            throw BenefitsError.invalidInput(name: "index", value: Decimals.plain(f.index), allowed: "an index from 0 to 3 (300 % of the average wage)")
        }
        guard f.balance >= .zero else { throw BenefitsError.invalidInput(name: "balance", value: f.balance.description, allowed: "0 or more yuan") }
        guard f.computationBase > .zero else {
            throw BenefitsError.invalidInput(name: "base", value: f.computationBase.description, allowed: "a computation base above 0 yuan a month")
        }
        if let d = f.deemedYears, d < 0 {
            throw BenefitsError.invalidInput(name: "deemed years", value: Decimals.plain(d), allowed: "0 or more years")
        }
        var b = Breakdown()
        let rounding = try book.yearsRounding(region: f.region, on: f.on, projecting: true)
        b.use(rounding)
        let years = rounding.value.apply(Decimal(f.months) / 12)
        let yearsText = Decimals.text(years, places: rounding.value.decimals)
        b.add(id: "years", label: "累计缴费年限", formula: "\(f.months) ÷ 12 → \(yearsText)", result: yearsText)

        let divisor = try RetirementRules.divisor(at: f.retirementAge, on: f.on, region: f.region, book: book)
        b.add(divisor.line)
        divisor.uses.forEach { b.use($0) }

        let c = f.computationBase
        let z = f.index
        let zText = Decimals.plain(z)
        let basic = b.money(id: "basic", label: "基础养老金",
                            formula: "\(c) × (1 + \(zText)) ÷ 2 × \(yearsText) × 1%",
                            yuan: c.yuan * (1 + z) / 2 * years / 100, part: true)
        let account = b.money(id: "account", label: "个人账户养老金",
                              formula: "\(f.balance) ÷ \(divisor.line.result)", yuan: f.balance.yuan / divisor.value, part: true)
        var transitional = Money.zero
        if let deemed = f.deemedYears, deemed > 0 {
            let rule = try book.transitional(region: f.region, on: f.on, projecting: true)
            b.use(rule)
            let deemedText = Decimals.text(deemed, places: 2)
            switch rule.value.base {
            case .cz:
                transitional = b.money(id: "transitional", label: "过渡性养老金",
                                       formula: "\(c) × \(zText) × \(deemedText) × \(rule.value.rate)",
                                       yuan: c.yuan * z * deemed * rule.value.rate.fraction, part: true)
            case .average:
                transitional = b.money(id: "transitional", label: "过渡性养老金",
                                       formula: "\(c) × (1 + \(zText)) ÷ 2 × \(deemedText) × \(rule.value.rate)",
                                       yuan: c.yuan * (1 + z) / 2 * deemed * rule.value.rate.fraction, part: true)
            }
        } else {
            b.add(id: "transitional", label: "过渡性养老金", formula: "无视同缴费年限", result: Money.zero.description, amount: .zero, part: true)
        }
        b.assume("不含地方增发项目（如独生子女父母加发）")
        return EmployeePensionResult(years: years, divisor: divisor.value, basic: basic, account: account,
                                     transitional: transitional, total: b.total, breakdown: b)
    }

    /// The monthly contribution for a base: total rate and the account share, each rounded to the fen.
    public static func contributionCost(base: Money, on date: PolicyDate, book: PolicyBook) throws -> Sourced<ContributionCost> {
        let split = try book.contributionSplit(on: date, projecting: true)
        let monthly = Money(roundingYuan: base.yuan * split.value.total.fraction)
        let toAccount = Money(roundingYuan: base.yuan * split.value.toAccount.fraction)
        return Sourced(value: ContributionCost(base: base, monthly: monthly, toAccount: toAccount, toPool: monthly - toAccount), use: split.use)
    }
}
