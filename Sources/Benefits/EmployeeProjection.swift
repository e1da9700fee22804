import Foundation

/// A flexible worker's plan: born when, which category, which base, contributing from when.
public struct EmployeeProjectionPlan: Sendable {
    public var birth: YearMonth
    public var category: RetirementCategory
    /// The contribution base as a share of the average wage (6000 bp = 60 %).
    public var basePercent: Rate
    /// First month of contributions in this projection.
    public var start: YearMonth
    public var region: Region
    /// Months contributed from `start`; nil means until retirement.
    public var months: Int?
    /// Negative: flexible early retirement; positive: late.
    public var flexibleMonths: Int
    /// Account balance at `start` (from earlier contributions).
    public var openingBalance: Money
    /// Months contributed before `start`, and their average index.
    public var priorMonths: Int
    public var priorIndex: Decimal
    public var deemedYears: Decimal?
    /// Months of 延长缴费 past the retirement month to reach the minimum; the pension starts after them.
    public var extensionMonths: Int

    public init(birth: YearMonth, category: RetirementCategory, basePercent: Rate, start: YearMonth, region: Region,
                months: Int? = nil, flexibleMonths: Int = 0, openingBalance: Money = .zero, priorMonths: Int = 0,
                priorIndex: Decimal = 0, deemedYears: Decimal? = nil, extensionMonths: Int = 0) {
        self.extensionMonths = extensionMonths
        self.birth = birth
        self.category = category
        self.basePercent = basePercent
        self.start = start
        self.region = region
        self.months = months
        self.flexibleMonths = flexibleMonths
        self.openingBalance = openingBalance
        self.priorMonths = priorMonths
        self.priorIndex = priorIndex
        self.deemedYears = deemedYears
    }
}

/// The projected employee pension of a flexible worker, with the contributions that lead to it.
public struct EmployeeProjection: Sendable, Encodable, Equatable {
    public let retirement: RetirementOutcome
    /// The month the pension starts: the retirement month, or later after 延长缴费.
    public let pensionStart: YearMonth
    /// All contribution months at retirement (prior + projected).
    public let contributionMonths: Int
    /// The first projected year's monthly contribution.
    public let firstCost: ContributionCost
    /// Sum of all projected personal contributions (a flexible worker pays all 20 %).
    public let personalCost: Money
    public let index: Decimal
    public let computationBase: Money
    public let yearly: [AccountYear]
    public let pension: EmployeePensionResult
    /// Months missing against the minimum (0 when met).
    public let shortfallMonths: Int
    public let eligibility: Eligibility
    /// Everything, with the pension's parts summing to `pension.total`.
    public let breakdown: Breakdown
}

extension EmployeePension {
    /// Projects contributions month by month from the parameters (bounds, rates, C) to retirement.
    /// Years after the last published figure use the latest one, and each such use is listed as an assumption.
    public static func project(_ plan: EmployeeProjectionPlan, book: PolicyBook) throws -> EmployeeProjection {
        var b = Breakdown()
        let band = try book.baseBand(region: plan.region, on: plan.start.firstDay, projecting: true)
        b.use(band)
        guard plan.basePercent >= band.value.lower, plan.basePercent <= band.value.upper else {
            throw BenefitsError.invalidInput(name: "contribution base percent", value: Decimals.plain(plan.basePercent.fraction * 100),
                                             allowed: "from \(band.value.lower.basisPoints / 100) to \(band.value.upper.basisPoints / 100) (percent of the average wage)")
        }
        guard plan.openingBalance >= .zero, plan.priorMonths >= 0 else {
            throw BenefitsError.invalidInput(name: "balance", value: plan.openingBalance.description, allowed: "0 or more")
        }
        let retirement = try RetirementRules.retirement(birth: plan.birth, category: plan.category,
                                                        flexibleMonths: plan.flexibleMonths, book: book)
        b.absorbSources(of: retirement.breakdown)
        b.add(id: "retirement", label: "退休时间", formula: "法定 \(retirement.statutoryAge)，\(retirement.retirementMonth) 退休",
              result: retirement.retirementMonth.description)
        guard plan.extensionMonths >= 0 else {
            throw BenefitsError.invalidInput(name: "extension months", value: "\(plan.extensionMonths)", allowed: "0 or more")
        }
        let pensionStart = retirement.retirementMonth.adding(months: plan.extensionMonths)
        let pensionAge = AgeInMonths(totalMonths: retirement.retirementAge.totalMonths + plan.extensionMonths)
        if plan.extensionMonths > 0 {
            b.add(id: "extension", label: "延长缴费", formula: "达到退休年龄后再缴 \(plan.extensionMonths) 个月，\(pensionStart) 起领取（\(pensionAge)）",
                  result: pensionStart.description)
        }
        let available = pensionStart.months(since: plan.start)
        let months = plan.months ?? available
        guard months > 0, months <= available else {
            throw BenefitsError.invalidInput(name: "start", value: plan.start.description,
                                             allowed: "a month before the pension starts (\(pensionStart)), with the months fitting before it")
        }
        let end = plan.start.adding(months: months)  // first month without contribution

        var steps: [AccountGrowth.Step] = []
        var personal = Money.zero
        var indexMonths = plan.priorIndex * Decimal(plan.priorMonths)
        var firstCost: ContributionCost?
        var lastMonthly = Money.zero
        let convention = try book.crediting(.employeeCrediting, region: plan.region, on: plan.start.firstDay, projecting: true)
        b.use(convention)
        for year in plan.start.year...(pensionStart.year) {
            let yearStart = try YearMonth(year: year, month: 1)
            let from = max(plan.start, yearStart)
            let until = min(end, yearStart.adding(months: 12))
            let creditMonths = max(0, until.months(since: from))
            let heldUntil = min(pensionStart, yearStart.adding(months: 12))
            let balanceMonths = max(0, heldUntil.months(since: max(plan.start, yearStart)))
            if balanceMonths == 0 && creditMonths == 0 { continue }
            var credits = Decimal(0)
            if creditMonths > 0 {
                let bounds = try book.contributionBounds(region: plan.region, on: .midYear(year), projecting: true)
                b.use(bounds)
                let average = bounds.value.upper.yuan / band.value.upper.fraction
                var raw = average * plan.basePercent.fraction
                raw = min(max(raw, bounds.value.lower.yuan), bounds.value.upper.yuan)
                let base = Money(roundingYuan: Decimals.round(raw, scale: 0))
                let cost = try contributionCost(base: base, on: .midYear(year), book: book)
                b.use(cost)
                if firstCost == nil {
                    firstCost = cost.value
                    b.add(id: "contribution", label: "每月缴费（\(year)年）",
                          formula: "缴费基数 \(base)（平均工资 \(Money(roundingYuan: average)) × \(plan.basePercent)）× 20% = \(cost.value.monthly)，其中记入个人账户 \(cost.value.toAccount)，统筹 \(cost.value.toPool)；全年 \(cost.value.yearly)",
                          result: cost.value.monthly.description, amount: cost.value.monthly)
                    b.assume("平均工资按缴费基数上限 ÷ 3 推算，缴费基数取整到元")
                }
                lastMonthly = cost.value.monthly
                personal = personal + cost.value.monthly * creditMonths
                credits = cost.value.toAccount.yuan * Decimal(creditMonths)
                indexMonths += raw / average * Decimal(creditMonths)
            }
            let rate = try employeeRate(year: year, region: plan.region, book: book, breakdown: &b)
            steps.append(.init(year: year, months: creditMonths, balanceMonths: balanceMonths, credits: credits, rate: rate))
        }
        let grown = AccountGrowth.grow(opening: plan.openingBalance.yuan, steps: steps, convention: convention.value)
        b.add(id: "growth", label: "个人账户逐年累计",
              formula: "期初 \(plan.openingBalance)；每年：余额 × (1 + 利率 × 月数/12) + 当年记账 × (1 + 利率 × \(Decimals.plain(convention.value.contributionWeight)) × 月数/12)，\(plan.start) 至 \(end.adding(months: -1))",
              result: Money(roundingYuan: grown.closing).description)
        b.assume("不满一年按月数折算利息")
        let balance = Money(roundingYuan: grown.closing)
        b.add(id: "personalCost", label: "个人缴费合计", formula: "\(months)个月，每月按当年基数的 20%", result: personal.description, amount: personal)

        let totalMonths = plan.priorMonths + months
        let z = Decimals.round(indexMonths / Decimal(totalMonths), scale: 4)
        b.add(id: "index", label: "平均缴费指数 Z", formula: "各月（缴费基数 ÷ 平均工资）的平均", result: Decimals.plain(z))
        let c = try book.amount(.employeeComputationBase, region: plan.region, on: pensionStart.firstDay, projecting: true)
        b.use(c)
        b.add(id: "computationBase", label: "计发基数 C", formula: "\(pensionStart.year)年", result: c.value.description)

        let figures = EmployeeFigures(retirementAge: pensionAge, months: totalMonths, computationBase: c.value,
                                      index: z, balance: balance, deemedYears: plan.deemedYears, region: plan.region,
                                      on: pensionStart.firstDay)
        let pension = try calculate(figures, book: book)
        pension.breakdown.lines.forEach { b.add($0) }
        b.absorbSources(of: pension.breakdown)

        let shortfall = max(0, retirement.minimumContributionMonths - totalMonths)
        if shortfall > 0 {
            b.add(id: "shortfall", label: "缴费年限不足",
                  formula: "最低 \(retirement.minimumContributionMonths) 个月，已缴 \(totalMonths) 个月，差 \(shortfall) 个月：可延长缴费 \(shortfall) 个月（到 \(pensionStart.adding(months: shortfall - 1))），或一次性缴费约 \(lastMonthly * shortfall) 元（按最后一年每月 \(lastMonthly) 估算）",
                  result: "\(shortfall)")
        }
        b.assume("按名义金额计算，不计今后工资增长和养老金调整")
        return EmployeeProjection(retirement: retirement, pensionStart: pensionStart, contributionMonths: totalMonths, firstCost: firstCost!,
                                  personalCost: personal, index: z, computationBase: c.value, yearly: grown.rows,
                                  pension: pension, shortfallMonths: shortfall,
                                  eligibility: shortfall == 0 ? .eligible : .notYetEligible(missingYears: (shortfall + 11) / 12),
                                  breakdown: b)
    }

    /// The announced 记账利率 for a year, or the projection rate (labelled) for years not yet announced.
    static func employeeRate(year: Int, region: Region, book: PolicyBook, breakdown b: inout Breakdown) throws -> Rate {
        do {
            let r = try book.rate(.employeeInterestRate, region: region, on: .midYear(year))
            b.use(r)
            return r.value
        } catch let BenefitsError.notCovered(parameter, reg, date) {
            let known = book.entries(.employeeInterestRate, region: .national).last
            guard let known, let to = known.to, to < date else {
                throw BenefitsError.notCovered(parameter: parameter, region: reg, date: date)
            }
            let r = try book.rate(.projectionInterestRate, region: region, on: .midYear(year), projecting: true)
            b.use(r)
            b.assume("未公布年份的记账利率按假设 \(r.value) 计")
            return r.value
        }
    }
}
