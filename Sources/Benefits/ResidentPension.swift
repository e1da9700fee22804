import Foundation

/// What a resident contributes to the resident scheme and when the pension starts.
public struct ResidentPlan: Sendable {
    /// The tier chosen, yuan a year (must be a tier in force in the region).
    public var tier: Money
    /// Years contributed in turn, starting with `firstYear`.
    public var years: Int
    public var firstYear: Int
    /// The month the pension starts (normally the month after the 60th birthday).
    public var claimMonth: YearMonth
    /// Province, prefecture or county whose parameters apply.
    public var region: Region
    /// Override of the yearly government subsidy (else the region's schedule).
    public var subsidy: Money?
    /// Override of the yearly interest rate (else the region's rate; future years use the projection rate).
    public var interestRate: Rate?
    /// Override of the monthly basic pension including top-ups (else the parameters at the claim date).
    public var basicPension: Money?
    /// A hardship group whose contribution the government pays (see `resident.hardshipGroups`).
    public var hardshipGroup: String?
    /// Collective aid or third-party assistance credited each year.
    public var collectiveAid: Money
    /// Missing years paid in one go at the claim (only where `resident.backPayment` allows it).
    public var backPaidYears: Int
    /// Already 60 when the scheme began locally: basic pension only, no contributions needed (S1 §七).
    public var agedSixtyAtLaunch: Bool

    public init(tier: Money, years: Int, firstYear: Int, claimMonth: YearMonth, region: Region, subsidy: Money? = nil,
                interestRate: Rate? = nil, basicPension: Money? = nil, hardshipGroup: String? = nil,
                collectiveAid: Money = .zero, backPaidYears: Int = 0, agedSixtyAtLaunch: Bool = false) {
        self.tier = tier
        self.years = years
        self.firstYear = firstYear
        self.claimMonth = claimMonth
        self.region = region
        self.subsidy = subsidy
        self.interestRate = interestRate
        self.basicPension = basicPension
        self.hardshipGroup = hardshipGroup
        self.collectiveAid = collectiveAid
        self.backPaidYears = backPaidYears
        self.agedSixtyAtLaunch = agedSixtyAtLaunch
    }
}

/// Whether the monthly pension can be paid.
public enum Eligibility: Sendable, Encodable, Equatable {
    case eligible
    /// Years fall short of the minimum; `missingYears` would close it.
    case notYetEligible(missingYears: Int)

    public var isEligible: Bool { self == .eligible }
}

/// A resident pension with every step shown.
public struct ResidentPensionResult: Sendable, Encodable, Equatable {
    public let balance: Money
    public let account: Money
    public let basic: Money
    public let total: Money
    public let eligibility: Eligibility
    /// What the resident paid personally (excluding subsidies, aid and government-paid contributions).
    public let personalCost: Money
    public let yearly: [AccountYear]
    public let breakdown: Breakdown
}

/// The resident scheme (城乡居民基本养老保险): account growth and monthly pension (pure).
public enum ResidentPension {
    public static func calculate(_ plan: ResidentPlan, book: PolicyBook) throws -> ResidentPensionResult {
        var b = Breakdown()
        let claimDate = plan.claimMonth.firstDay
        guard plan.years >= 0, plan.backPaidYears >= 0 else {
            throw BenefitsError.invalidInput(name: "years", value: "\(plan.years)", allowed: "0 or more")
        }
        guard plan.firstYear + plan.years <= plan.claimMonth.year else {
            throw BenefitsError.invalidInput(name: "years", value: "\(plan.years)",
                                             allowed: "contribution years that end before the claim year \(plan.claimMonth.year)")
        }
        let region = plan.region

        // Tier check.
        let lastYear = max(plan.firstYear, plan.firstYear + plan.years - 1)
        let tiers = try book.tiers(region: region, on: .midYear(lastYear), projecting: true)
        b.use(tiers)
        guard tiers.value.contains(plan.tier) else {
            throw BenefitsError.invalidInput(name: "tier", value: "\(plan.tier) 元",
                                             allowed: "one of " + tiers.value.map { "\($0.fen / 100)" }.joined(separator: ", ") + " yuan a year")
        }
        if tiers.use.region != region.code {
            b.assume("缴费档次按\(tiers.use.region == "national" ? "国家" : tiers.use.region)档次，当地档次以经办机构为准")
        }

        // Government-paid share for a hardship group.
        var paid = Money.zero
        if let groupName = plan.hardshipGroup {
            let groups = try book.hardshipGroups(region: region, on: .midYear(lastYear), projecting: true)
            b.use(groups)
            guard let group = groups.value.first(where: { $0.group == groupName }) else {
                throw BenefitsError.invalidInput(name: "hardship group", value: groupName,
                                                 allowed: groups.value.map { "\($0.group) (\($0.label))" }.joined(separator: ", "))
            }
            paid = min(group.paid, plan.tier)
            b.add(id: "governmentPaid", label: "政府代缴（每年）", formula: "\(group.label)：代缴 \(paid) 元", result: paid.description, amount: paid)
        }

        // Year by year, from the first contribution year to the year before the claim.
        let crediting = try book.crediting(.residentCrediting, region: region, on: .midYear(plan.firstYear), projecting: true)
        b.use(crediting)
        var steps: [AccountGrowth.Step] = []
        for year in plan.firstYear..<plan.claimMonth.year {
            let contributing = year < plan.firstYear + plan.years
            var credits = Decimal(0)
            if contributing {
                let subsidy: Money
                if let given = plan.subsidy { subsidy = given } else {
                    let schedule = try book.subsidy(region: region, on: .midYear(year), projecting: true)
                    b.use(schedule)
                    subsidy = schedule.value.last(where: { $0.tierFrom <= plan.tier })?.subsidy ?? .zero
                }
                credits = plan.tier.yuan + subsidy.yuan + plan.collectiveAid.yuan
            }
            let rate = try interest(plan.interestRate, year: year, region: region, book: book, breakdown: &b)
            steps.append(.init(year: year, credits: credits, rate: rate))
        }
        if plan.subsidy != nil { b.assume("政府缴费补贴按给定 \(plan.subsidy!) 元/年计") }
        if plan.interestRate != nil { b.assume("记账利率按给定 \(plan.interestRate!) 计") }
        let grown = AccountGrowth.grow(opening: 0, steps: steps, convention: crediting.value)
        var balance = grown.closing
        if plan.years > 0 {
            let first = grown.rows.first!
            b.add(id: "growth", label: "个人账户逐年累计",
                  formula: "每年：上年余额 × (1 + 利率) + 当年记账 \(first.credits)（档次 \(plan.tier) + 补贴 + 集体补助），共 \(grown.rows.count) 年",
                  result: Money(roundingYuan: grown.closing).description)
        }

        // Back payment at the claim.
        if plan.backPaidYears > 0 {
            let rule = try book.backPayment(region: region, on: claimDate, projecting: true)
            b.use(rule)
            guard rule.value.allowed else {
                throw BenefitsError.invalidInput(name: "back-paid years", value: "\(plan.backPaidYears)", allowed: "0: back payment is not allowed in this region")
            }
            var perYear = plan.tier.yuan
            if rule.value.subsidised, plan.subsidy == nil {
                let schedule = try book.subsidy(region: region, on: claimDate, projecting: true)
                perYear += (schedule.value.last(where: { $0.tierFrom <= plan.tier })?.subsidy ?? .zero).yuan
            }
            balance += perYear * Decimal(plan.backPaidYears)
            b.add(id: "backPayment", label: "补缴",
                  formula: "\(plan.backPaidYears)年 × \(Money(roundingYuan: perYear)) 元\(rule.value.subsidised ? "" : "（无补贴）")",
                  result: Money(roundingYuan: perYear * Decimal(plan.backPaidYears)).description)
            b.assume("补缴按当地规定办理，补缴年份一般无政府补贴")
        }
        let personal = Money(fen: (plan.tier - paid).fen * plan.years + plan.tier.fen * plan.backPaidYears)
        b.add(id: "personalCost", label: "个人缴费合计",
              formula: "(\(plan.tier) − 代缴 \(paid)) × \(plan.years)年" + (plan.backPaidYears > 0 ? " + \(plan.tier) × \(plan.backPaidYears)年补缴" : ""),
              result: personal.description, amount: personal)
        return try finish(balance: balance, contributionYears: plan.years + plan.backPaidYears, claimMonth: plan.claimMonth,
                          region: region, basicPension: plan.basicPension, agedSixtyAtLaunch: plan.agedSixtyAtLaunch,
                          personalCost: personal, yearly: grown.rows, breakdown: b, book: book)
    }

    /// The monthly pension from a known account balance (E6): basic pension + balance ÷ 139.
    public static func monthly(balance: Money, contributionYears: Int, claimMonth: YearMonth, region: Region,
                               basicPension: Money? = nil, book: PolicyBook) throws -> ResidentPensionResult {
        guard balance >= .zero else { throw BenefitsError.invalidInput(name: "balance", value: balance.description, allowed: "0 or more yuan") }
        guard contributionYears >= 0 else { throw BenefitsError.invalidInput(name: "years", value: "\(contributionYears)", allowed: "0 or more") }
        return try finish(balance: balance.yuan, contributionYears: contributionYears, claimMonth: claimMonth, region: region,
                          basicPension: basicPension, agedSixtyAtLaunch: false, personalCost: nil, yearly: [], breakdown: Breakdown(), book: book)
    }

    static func finish(balance: Decimal, contributionYears totalYears: Int, claimMonth: YearMonth, region: Region,
                       basicPension: Money?, agedSixtyAtLaunch: Bool, personalCost: Money?, yearly: [AccountYear],
                       breakdown: Breakdown, book: PolicyBook) throws -> ResidentPensionResult {
        var b = breakdown
        let claimDate = claimMonth.firstDay
        // Basic pension at the claim date.
        let basic: Decimal
        let basicFormula: String
        if let given = basicPension {
            basic = given.yuan
            basicFormula = "给定 \(given)"
            b.assume("基础养老金按给定数值 \(given) 元/月计")
        } else {
            let minimum = try book.amount(.residentMinimumBasicPension, region: region, on: claimDate, projecting: true)
            let topUp = try book.amount(.residentBasicTopUp, region: region, on: claimDate, projecting: true)
            let extra = try book.amount(.residentLongContributionExtra, region: region, on: claimDate, projecting: true)
            let minYears = try book.integer(.residentMinimumYears, region: region, on: claimDate, projecting: true)
            [minimum.use, topUp.use, extra.use, minYears.use].forEach { b.use($0) }
            let extraYears = max(0, totalYears - minYears.value)
            let extraAmount = extra.value.yuan * Decimal(extraYears)
            basic = minimum.value.yuan + topUp.value.yuan + extraAmount
            basicFormula = "最低标准 \(minimum.value) + 地方加发 \(topUp.value) + 长缴加发 \(extra.value) × \(extraYears)年"
        }

        let balanceMoney = b.money(id: "balance", label: "个人账户储存额", formula: "\(claimMonth) 领取时余额", yuan: balance)

        // Eligibility.
        let minYears = try book.integer(.residentMinimumYears, region: region, on: claimDate, projecting: true)
        b.use(minYears)
        let eligibility: Eligibility = agedSixtyAtLaunch || totalYears >= minYears.value
            ? .eligible : .notYetEligible(missingYears: minYears.value - totalYears)

        let divisor = try book.integer(.residentDivisor, region: region, on: claimDate, projecting: true)
        b.use(divisor)

        let account: Money
        let basicMoney: Money
        switch eligibility {
        case .eligible:
            if agedSixtyAtLaunch {
                account = b.money(id: "account", label: "个人账户养老金", formula: "开始时已满60岁，无需缴费", yuan: 0, part: true)
            } else {
                account = b.money(id: "account", label: "个人账户养老金", formula: "\(balanceMoney) ÷ \(divisor.value)",
                                  yuan: balanceMoney.yuan / Decimal(divisor.value), part: true)
            }
            basicMoney = b.money(id: "basic", label: "基础养老金", formula: basicFormula, yuan: basic, part: true)
        case let .notYetEligible(missing):
            b.add(id: "eligibility", label: "领取资格",
                  formula: "累计缴费 \(totalYears) 年，不足 \(minYears.value) 年，差 \(missing) 年；可按当地规定补缴或继续缴费",
                  result: "暂不能按月领取")
            account = .zero
            basicMoney = .zero
        }
        b.assume("按名义金额计算，不计今后基础养老金调整和物价变化")
        b.assume("个人账户余额可以继承")
        return ResidentPensionResult(balance: balanceMoney, account: account, basic: basicMoney, total: b.total,
                                     eligibility: eligibility, personalCost: personalCost ?? .zero, yearly: yearly, breakdown: b)
    }

    /// The yearly interest rate: given, or the region's resident rate, or (for years after every entry) the projection rate.
    static func interest(_ given: Rate?, year: Int, region: Region, book: PolicyBook, breakdown b: inout Breakdown) throws -> Rate {
        if let given { return given }
        do {
            let r = try book.rate(.residentInterestRate, region: region, on: .midYear(year))
            b.use(r)
            return r.value
        } catch BenefitsError.notCovered {
            let r = try book.rate(.projectionInterestRate, region: region, on: .midYear(year), projecting: true)
            b.use(r)
            b.assume("未公布年份的记账利率按假设 \(r.value) 计")
            return r.value
        }
    }
}
