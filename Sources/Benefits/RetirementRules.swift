import Foundation

/// When someone reaches statutory retirement age under the 2024 reform, what they may choose,
/// how many contribution months they need, and the account divisor at that age.
public struct RetirementOutcome: Sendable, Encodable, Equatable {
    public let birth: YearMonth
    public let category: RetirementCategory
    /// Months added by the reform (0 for people born before the category's base month).
    public let delayMonths: Int
    public let statutoryAge: AgeInMonths
    public let statutoryMonth: YearMonth
    /// Negative for flexible early retirement, positive for late.
    public let flexibleMonths: Int
    public let retirementAge: AgeInMonths
    public let retirementMonth: YearMonth
    /// The year whose minimum applies (the statutory year, or the year of early retirement).
    public let minimumYearCounted: Int
    public let minimumContributionMonths: Int
    /// 计发月数 at the retirement age, interpolated and rounded.
    public let divisor: Decimal
    public let breakdown: Breakdown

    /// The divisor with its decimals, e.g. "129.7", "139.0".
    public var divisorText: String { Decimals.text(divisor, places: 1) }
}

/// Retirement-age arithmetic (pure): birth month and category in, ages and months out.
public enum RetirementRules {
    /// Statutory age, retirement month (with optional flexible months), minimum months and divisor.
    ///
    /// - Parameters:
    ///   - flexibleMonths: negative for flexible early retirement (needs the minimum months met, never below
    ///     the original age), positive for flexible late retirement; each within the `retirement.flexible` limits.
    ///   - contributionMonths: if known, checked against the minimum for early retirement.
    public static func retirement(birth: YearMonth, category: RetirementCategory, flexibleMonths: Int = 0,
                                  contributionMonths: Int? = nil, book: PolicyBook) throws -> RetirementOutcome {
        var b = Breakdown()
        // The reform entry in force from 2025 also covers people it does not delay (d < 0).
        let reformDate = max(PolicyDate(year: 2025, month: 1, day: 1), birth.firstDay)
        let rules = try book.statutoryAge(on: reformDate)
        b.use(rules)
        let rule = rules.value[category]!
        let d = birth.months(since: rule.baseBirth)
        let delay = d < 0 ? 0 : min(d / rule.step + 1, rule.maxDelayMonths)
        let statutoryAge = AgeInMonths(totalMonths: rule.originalAgeMonths + delay)
        let statutoryMonth = birth.adding(months: statutoryAge.totalMonths)
        b.add(id: "delay", label: "延迟月数",
              formula: d < 0 ? "出生早于 \(rule.baseBirth)，不延迟" : "min(⌊\(d) ÷ \(rule.step)⌋ + 1, \(rule.maxDelayMonths))",
              result: "\(delay)")
        b.add(id: "statutoryAge", label: "法定退休年龄",
              formula: "\(rule.originalAgeMonths / 12)岁 + \(delay)个月", result: statutoryAge.description)
        b.add(id: "statutoryMonth", label: "法定退休时间", formula: "\(birth) + \(statutoryAge.totalMonths)个月", result: statutoryMonth.description)

        if flexibleMonths != 0 {
            let limits = try book.flexibleRetirement(on: max(reformDate, statutoryMonth.firstDay))
            b.use(limits)
            let earliest = -min(limits.value.earlyMaxMonths, delay)
            guard flexibleMonths >= earliest, flexibleMonths <= limits.value.lateMaxMonths else {
                throw BenefitsError.invalidInput(
                    name: "flexible months", value: "\(flexibleMonths)",
                    allowed: "from \(earliest) (early, never below the original age \(rule.originalAgeMonths / 12)) to +\(limits.value.lateMaxMonths) (late)")
            }
        }
        let retirementAge = AgeInMonths(totalMonths: statutoryAge.totalMonths + flexibleMonths)
        let retirementMonth = birth.adding(months: retirementAge.totalMonths)
        if flexibleMonths != 0 {
            b.add(id: "retirementMonth", label: flexibleMonths < 0 ? "弹性提前退休" : "弹性推迟退休",
                  formula: "\(statutoryMonth) \(flexibleMonths < 0 ? "−" : "+") \(abs(flexibleMonths))个月", result: retirementMonth.description)
        }

        let countedYear = flexibleMonths < 0 ? retirementMonth.year : statutoryMonth.year
        let table = try book.minimumContribution(on: PolicyDate(year: countedYear, month: 12, day: 31))
        b.use(table)
        let minimum = table.value.months(in: countedYear)
        b.add(id: "minimumContributionMonths", label: "最低缴费月数",
              formula: "\(countedYear)年\(flexibleMonths < 0 ? "（提前退休当年）" : "（达到法定年龄当年）")", result: "\(minimum)")
        if flexibleMonths < 0 {
            if let contributionMonths {
                guard contributionMonths >= minimum else {
                    throw BenefitsError.invalidInput(name: "flexible months", value: "\(flexibleMonths)",
                                                     allowed: "early retirement only with at least \(minimum) contribution months (have \(contributionMonths))")
                }
            } else {
                b.assume("弹性提前退休须已满最低缴费年限（\(minimum)个月）")
            }
        }

        let divisor = try self.divisor(at: retirementAge, on: retirementMonth.firstDay, book: book)
        b.add(divisor.line)
        divisor.uses.forEach { b.use($0) }
        return RetirementOutcome(birth: birth, category: category, delayMonths: delay, statutoryAge: statutoryAge,
                                 statutoryMonth: statutoryMonth, flexibleMonths: flexibleMonths, retirementAge: retirementAge,
                                 retirementMonth: retirementMonth, minimumYearCounted: countedYear,
                                 minimumContributionMonths: minimum, divisor: divisor.value, breakdown: b)
    }

    /// The employee 计发月数 at an age in years and months: linear between whole years, rounded half-up.
    public static func divisor(at age: AgeInMonths, on date: PolicyDate, region: Region = .national,
                               book: PolicyBook) throws -> (value: Decimal, line: Breakdown.Line, uses: [ParameterUse]) {
        let table = try book.divisorTable(region: region, on: date)
        let rule = try book.divisorInterpolation(region: region, on: date)
        let ages = table.value.ages
        let last = age.months == 0 ? age.years : age.years + 1
        guard ages.contains(age.years), ages.contains(last) else {
            throw BenefitsError.invalidInput(name: "retirement age", value: age.description,
                                             allowed: "an age from \(ages.lowerBound)y0m to \(ages.upperBound)y0m (the 计发月数 table)")
        }
        let lower = table.value.months[age.years]!
        if age.months == 0 {
            let line = Breakdown.Line(id: "divisor", label: "计发月数", formula: "\(age.years)岁 → \(lower)",
                                      result: Decimals.text(Decimal(lower), places: rule.value.decimals))
            return (Decimal(lower), line, [table.use, rule.use])
        }
        let upper = table.value.months[age.years + 1]!
        let exact = Decimal(lower) - Decimal(lower - upper) * Decimal(age.months) / 12
        let value = Decimals.round(exact, scale: rule.value.decimals)
        let text = Decimals.text(value, places: rule.value.decimals)
        let line = Breakdown.Line(id: "divisor", label: "计发月数",
                                  formula: "\(lower) − (\(lower) − \(upper)) × \(age.months) ÷ 12 = \(Decimals.text(exact, places: 3)) → \(text)",
                                  result: text)
        return (value, line, [table.use, rule.use])
    }
}
