import Benefits
import Foundation
import Registry

/// Why an explainer's figures cannot be computed for a person (so it is not offered to them).
public struct FigureUnavailable: Error, Equatable, CustomStringConvertible {
    public let reason: String
    public init(_ reason: String) { self.reason = reason }
    public var description: String { reason }
}

/// Computes the figures explainers need for one resident from the `Benefits` rules and the register (pure).
///
/// The four questions read the rows of `Comparison.fourQuestions` for the person (the same tables
/// `carnation benefits compare --resident` prints); a tier outside the comparison's examples and the
/// government-paid case are computed with `ResidentPension.calculate` on the same plan shape.
/// Comparison reports are cached per birth month, retirement category and region.
public final class FigureCalculator: @unchecked Sendable {
    public let book: PolicyBook
    public let today: CalendarDate
    private let lock = NSLock()
    private var reports: [String: Result<ComparisonReport, FigureUnavailable>] = [:]

    public init(book: PolicyBook, today: CalendarDate) {
        self.book = book
        self.today = today
    }

    var asOf: YearMonth { try! YearMonth(year: today.year, month: today.month) }

    /// The region whose parameters apply: the resident's county (falls back to its province, then national).
    public func region(for r: Resident) throws(FigureUnavailable) -> Region {
        guard let area = r.areaCode else { throw FigureUnavailable("登记里没有地区代码") }
        do { return try Region(parsing: area.county) } catch { throw FigureUnavailable("地区代码 \(area) 不可用：\(error)") }
    }

    /// The resident scheme's claim age in force today, if the parameters cover it.
    public func claimAge(for r: Resident) -> Int? {
        guard let region = try? region(for: r) else { return nil }
        return try? book.integer(.residentClaimAge, region: region, on: policyToday, projecting: true).value
    }

    /// The group whose contribution the government pays that this resident falls in, if the region has one.
    /// Register categories map to the policy's groups: 特困 → `tekun`, 低保 → `dibao`, disability grade 1–2 →
    /// `severely-disabled`, 防返贫监测 → `monitored` (first match in that order).
    public func hardshipGroup(for r: Resident, rules: RegistryRules) -> HardshipGroup? {
        guard let region = try? region(for: r),
              let groups = try? book.hardshipGroups(region: region, on: policyToday, projecting: true).value else { return nil }
        let categories = r.categories(on: today, rules: rules)
        var wanted: [String] = []
        if categories.contains(.extremePoverty) { wanted.append("tekun") }
        if categories.contains(.minimumLiving) { wanted.append("dibao") }
        if let grade = r.disabilityGrade, grade <= 2 { wanted.append("severely-disabled") }
        if categories.contains(.povertyMonitoring) { wanted.append("monitored") }
        for name in wanted { if let g = groups.first(where: { $0.group == name }) { return g } }
        return nil
    }

    var policyToday: PolicyDate { PolicyDate(year: today.year, month: today.month, day: today.day) }

    /// The retirement category assumed for a resident: men `male`; women `female-50` (as flexible workers
    /// generally are; `carnation benefits compare --category female-55` shows the other case).
    public static func retirementCategory(of r: Resident) -> RetirementCategory { r.sex == .male ? .male : .female50 }

    /// The register's pension scheme as the Benefits comparisons see it.
    public static func status(_ scheme: PensionScheme?) -> PensionStatus {
        switch scheme {
        case .none?: return .none
        case .resident?: return .residentContributing
        case .employee?: return .employeeContributing
        case .receiving?: return .receiving
        case nil: return .unknown
        }
    }

    /// The person as the comparison sees them.
    public func comparisonPerson(for r: Resident) throws(FigureUnavailable) -> ComparisonPerson {
        let birth = try! YearMonth(year: r.birthDate.year, month: r.birthDate.month)
        return ComparisonPerson(birth: birth, category: Self.retirementCategory(of: r), region: try region(for: r),
                                status: Self.status(r.pensionScheme), asOf: asOf)
    }

    /// The four comparison tables for this resident (cached).
    public func comparison(for r: Resident) throws(FigureUnavailable) -> ComparisonReport {
        var person = try comparisonPerson(for: r)
        if person.status == .receiving {
            throw FigureUnavailable("已在领取养老金，不需要比较参保方案")
        }
        person.status = .unknown  // the tables do not depend on it otherwise; one cache entry per birth month
        let key = "\(person.birth)|\(person.category.rawValue)|\(person.region.code)"
        lock.lock()
        let cached = reports[key]
        lock.unlock()
        let result: Result<ComparisonReport, FigureUnavailable>
        if let cached { result = cached } else {
            do { result = .success(try Comparison.fourQuestions(for: person, book: book)) } catch {
                result = .failure(FigureUnavailable("比较表算不出来：\(error)"))
            }
            lock.lock()
            reports[key] = result
            lock.unlock()
        }
        return try result.get()
    }

    /// The plan the comparison uses for N resident years at a tier: ending the year before the claim at the
    /// claim age, starting no earlier than this year (then contributing past the claim age).
    public func residentPlan(tier: Money, years: Int, person: ComparisonPerson, hardshipGroup: String? = nil) throws -> ResidentPlan {
        let claimAge = try book.integer(.residentClaimAge, region: person.region, on: person.asOf.firstDay, projecting: true).value
        let atClaimAge = person.birth.adding(months: claimAge * 12)
        var firstYear = atClaimAge.year - years
        var claim = atClaimAge
        if firstYear < person.asOf.year {
            firstYear = person.asOf.year
            claim = try YearMonth(year: max(atClaimAge.year, firstYear + years), month: atClaimAge.month)
        }
        return ResidentPlan(tier: tier, years: years, firstYear: firstYear, claimMonth: claim, region: person.region,
                            hardshipGroup: hardshipGroup)
    }

    /// Computes `figures` for `r`; throws when one cannot be computed (the explainer is then not offered).
    public func figures(_ wanted: [ExplainerFigure], for r: Resident, facts: AudienceFacts, rules: RegistryRules)
        throws(FigureUnavailable) -> [FigureValue] {
        var out: [ExplainerFigure: FigureValue] = [:]
        for f in wanted where out[f] == nil {
            for v in try compute(f, r, facts: facts, rules: rules) where out[v.figure] == nil { out[v.figure] = v }
        }
        return wanted.compactMap { out[$0] }
    }

    // MARK: - per figure

    func compute(_ f: ExplainerFigure, _ r: Resident, facts: AudienceFacts, rules: RegistryRules) throws(FigureUnavailable) -> [FigureValue] {
        do {
            switch f {
            case .lowestTier, .lowestTierPension, .exampleTier, .exampleTierPension, .minimumYears:
                return try whyInsure(r)
            case .currentTier, .currentTierPension, .higherTier, .higherTierPension:
                return try higherTier(r)
            case .longerYears, .longerYearsPension:
                return try longer(r)
            case .employeeYears, .employeeBasePercent, .employeePension, .employeeYearlyCost, .residentSameYearsPension:
                return try employee(r)
            case .lastCertification, .certificationDue:
                return certification(r)
            case .claimAge, .claimMonth, .yearsPaid, .missingYears, .basicPension:
                return try claim(r)
            case .visitDate:
                guard let visit = facts.visit else { throw FigureUnavailable("没有安排上门") }
                return [FigureValue(figure: .visitDate, text: ChineseText.monthDay(visit), exact: visit.description)]
            case .hardshipGroup, .governmentPaid, .paidTierPension:
                return try governmentPays(r, rules: rules)
            }
        } catch let e as FigureUnavailable {
            throw e
        } catch {
            throw FigureUnavailable("\(f.rawValue) 算不出来：\(error)")
        }
    }

    func table(_ report: ComparisonReport, _ id: String) throws -> ComparisonTable {
        guard let t = report.tables.first(where: { $0.id == id }) else { throw FigureUnavailable("比较表里没有 \(id)") }
        return t
    }

    /// The row of `table` for a scheme and years (and, for the resident scheme, a tier).
    func row(_ table: ComparisonTable, scheme: String, years: Int, tier: Money? = nil) throws -> ComparisonRow {
        guard let row = table.rows.first(where: { row in
            row.scheme == scheme && row.years == years && (tier.map { row.personalCost == $0 * years } ?? true)
        }) else {
            throw FigureUnavailable("比较表 \(table.id) 里没有 \(scheme) \(years)年\(tier.map { " \(ChineseText.yuan($0))元档" } ?? "") 这一行")
        }
        guard row.eligible, row.monthlyPension > .zero else {
            throw FigureUnavailable("\(row.label)：\(row.note ?? "不能按月领取")")
        }
        return row
    }

    func pension(_ figure: ExplainerFigure, _ row: ComparisonRow, _ table: ComparisonTable) -> FigureValue {
        FigureValue(figure: figure, text: ChineseText.yuan(row.monthlyPension), exact: row.monthlyPension.description,
                    parameters: table.parameters, assumptions: table.assumptions + (row.note.map { [$0] } ?? []))
    }

    func pension(_ figure: ExplainerFigure, _ result: ResidentPensionResult) throws -> FigureValue {
        guard result.eligibility.isEligible, result.total > .zero else { throw FigureUnavailable("缴费年限不够，不能按月领取") }
        return FigureValue(figure: figure, text: ChineseText.yuan(result.total), exact: result.total.description,
                           parameters: result.breakdown.parameters, assumptions: result.breakdown.assumptions)
    }

    func money(_ figure: ExplainerFigure, _ m: Money, _ uses: [ParameterUse]) -> FigureValue {
        FigureValue(figure: figure, text: ChineseText.yuan(m), exact: m.description, parameters: uses)
    }

    func whyInsure(_ r: Resident) throws -> [FigureValue] {
        let report = try comparison(for: r)
        let person = try comparisonPerson(for: r)
        let t = try table(report, "whyInsure")
        let tiers = try book.tiers(region: person.region, on: person.asOf.firstDay, projecting: true)
        let scenarios = try book.comparisonScenarios(region: person.region, on: person.asOf.firstDay, projecting: true)
        let minYears = try book.integer(.residentMinimumYears, region: person.region, on: person.asOf.firstDay, projecting: true)
        let lowest = tiers.value.first!
        let example = scenarios.value.residentTier
        return [
            money(.lowestTier, lowest, [tiers.use]),
            pension(.lowestTierPension, try row(t, scheme: "resident", years: minYears.value, tier: lowest), t),
            money(.exampleTier, example, [scenarios.use]),
            pension(.exampleTierPension, try row(t, scheme: "resident", years: minYears.value, tier: example), t),
            FigureValue(figure: .minimumYears, text: "\(minYears.value)", parameters: [minYears.use]),
        ]
    }

    func higherTier(_ r: Resident) throws -> [FigureValue] {
        guard r.pensionScheme == .resident, let fen = r[.pensionTierFen].flatMap(Int.init) else {
            throw FigureUnavailable("登记里没有本人的居民养老保险档次")
        }
        let current = Money(fen: fen)
        let report = try comparison(for: r)
        let person = try comparisonPerson(for: r)
        let t = try table(report, "whyHigherTier")
        let scenarios = try book.comparisonScenarios(region: person.region, on: person.asOf.firstDay, projecting: true)
        let minYears = try book.integer(.residentMinimumYears, region: person.region, on: person.asOf.firstDay, projecting: true)
        guard let higher = scenarios.value.residentTiers.first(where: { $0 > current }) else {
            throw FigureUnavailable("本人档次 \(ChineseText.yuan(current)) 元已不低于示例的最高档")
        }
        let currentValue: FigureValue
        if scenarios.value.residentTiers.contains(current) {
            currentValue = pension(.currentTierPension, try row(t, scheme: "resident", years: minYears.value, tier: current), t)
        } else {
            let plan = try residentPlan(tier: current, years: minYears.value, person: person)
            currentValue = try pension(.currentTierPension, ResidentPension.calculate(plan, book: book))
        }
        return [
            FigureValue(figure: .currentTier, text: ChineseText.yuan(current), exact: current.description, registerFields: [ResidentField.pensionTierFen.rawValue]),
            currentValue,
            money(.higherTier, higher, [scenarios.use]),
            pension(.higherTierPension, try row(t, scheme: "resident", years: minYears.value, tier: higher), t),
        ]
    }

    func longer(_ r: Resident) throws -> [FigureValue] {
        let report = try comparison(for: r)
        let person = try comparisonPerson(for: r)
        let t = try table(report, "whyLonger")
        let scenarios = try book.comparisonScenarios(region: person.region, on: person.asOf.firstDay, projecting: true)
        let minYears = try book.integer(.residentMinimumYears, region: person.region, on: person.asOf.firstDay, projecting: true)
        guard let longer = scenarios.value.years.first(where: { $0 > minYears.value }) else {
            throw FigureUnavailable("比较示例里没有比 \(minYears.value) 年更长的年限")
        }
        return [
            FigureValue(figure: .longerYears, text: "\(longer)", parameters: [scenarios.use]),
            pension(.longerYearsPension, try row(t, scheme: "resident", years: longer, tier: scenarios.value.residentTier), t),
        ] + (try whyInsure(r))
    }

    func employee(_ r: Resident) throws -> [FigureValue] {
        let report = try comparison(for: r)
        let person = try comparisonPerson(for: r)
        let t = try table(report, "whyEmployee")
        let scenarios = try book.comparisonScenarios(region: person.region, on: person.asOf.firstDay, projecting: true)
        guard let employeeRow = t.rows.first(where: { $0.scheme == "employee" }) else { throw FigureUnavailable("比较表里没有职工养老保险") }
        let e = try row(t, scheme: "employee", years: employeeRow.years)
        let resident = try row(t, scheme: "resident", years: e.years, tier: scenarios.value.residentTier)
        return [
            FigureValue(figure: .employeeYears, text: "\(e.years)", parameters: t.parameters.filter { $0.key.hasPrefix("retirement.") }),
            FigureValue(figure: .employeeBasePercent, text: Decimals.plain(Decimal(scenarios.value.employeeBasePercent.basisPoints) / 100),
                        parameters: [scenarios.use]),
            pension(.employeePension, e, t),
            FigureValue(figure: .employeeYearlyCost, text: ChineseText.yuan(Money(roundingYuan: e.personalCost.yuan / Decimal(e.years))),
                        exact: "\(e.personalCost) ÷ \(e.years)", parameters: t.parameters, assumptions: t.assumptions),
            pension(.residentSameYearsPension, resident, t),
        ] + (try whyInsure(r))
    }

    /// The last certification and when the next is due; the due date is empty (an empty section) when it
    /// has passed or no certification is recorded, so templates say "as soon as possible".
    func certification(_ r: Resident) -> [FigureValue] {
        let field = [ResidentField.lastCertification.rawValue]
        guard let last = r[.lastCertification].flatMap(CalendarDate.init(parsing:)) else {
            return [FigureValue(figure: .lastCertification, text: "没有记录", registerFields: field),
                    FigureValue(figure: .certificationDue, text: "", registerFields: field)]
        }
        // A certification is valid for one year from the last one.
        let due = CalendarDate.yearsBefore(last, -1)
        return [FigureValue(figure: .lastCertification, text: ChineseText.date(last), exact: last.description, registerFields: field),
                FigureValue(figure: .certificationDue, text: due <= today ? "" : ChineseText.date(due), exact: due.description, registerFields: field)]
    }

    func claim(_ r: Resident) throws -> [FigureValue] {
        let region = try region(for: r)
        let claimAge = try book.integer(.residentClaimAge, region: region, on: policyToday, projecting: true)
        let birth = try YearMonth(year: r.birthDate.year, month: r.birthDate.month)
        // Paid from the month after the birthday of the claim age.
        let claimMonth = birth.adding(months: claimAge.value * 12 + 1)
        let on = claimMonth.firstDay
        let minYears = try book.integer(.residentMinimumYears, region: region, on: on, projecting: true)
        let minimum = try book.amount(.residentMinimumBasicPension, region: region, on: on, projecting: true)
        let topUp = try book.amount(.residentBasicTopUp, region: region, on: on, projecting: true)
        let extra = try book.amount(.residentLongContributionExtra, region: region, on: on, projecting: true)
        guard let years = r[.pensionYears].flatMap(Int.init) else { throw FigureUnavailable("登记里没有已缴费年限") }
        let basic = minimum.value + topUp.value + extra.value * max(0, years - minYears.value)
        let missing = max(0, minYears.value - years)
        return [
            FigureValue(figure: .claimAge, text: "\(claimAge.value)", parameters: [claimAge.use]),
            FigureValue(figure: .claimMonth, text: ChineseText.month(claimMonth), exact: claimMonth.description,
                        parameters: [claimAge.use], registerFields: [ResidentField.birthDate.rawValue]),
            FigureValue(figure: .yearsPaid, text: "\(years)", registerFields: [ResidentField.pensionYears.rawValue]),
            FigureValue(figure: .missingYears, text: missing > 0 ? "\(missing)" : "", parameters: [minYears.use],
                        registerFields: [ResidentField.pensionYears.rawValue]),
            FigureValue(figure: .basicPension, text: ChineseText.yuan(basic), exact: basic.description,
                        parameters: [minimum.use, topUp.use, extra.use],
                        assumptions: ["基础养老金 = 最低标准 \(minimum.value) + 地方加发 \(topUp.value) + 长缴加发 \(extra.value) × \(max(0, years - minYears.value))年"]),
        ]
    }

    func governmentPays(_ r: Resident, rules: RegistryRules) throws -> [FigureValue] {
        guard let group = hardshipGroup(for: r, rules: rules) else { throw FigureUnavailable("不属于政府代缴的困难群体") }
        let person = try comparisonPerson(for: r)
        let groups = try book.hardshipGroups(region: person.region, on: policyToday, projecting: true)
        let tiers = try book.tiers(region: person.region, on: person.asOf.firstDay, projecting: true)
        let minYears = try book.integer(.residentMinimumYears, region: person.region, on: person.asOf.firstDay, projecting: true)
        let lowest = tiers.value.first!
        let plan = try residentPlan(tier: lowest, years: minYears.value, person: person, hardshipGroup: group.group)
        let result = try ResidentPension.calculate(plan, book: book)
        return [
            FigureValue(figure: .hardshipGroup, text: group.label, parameters: [groups.use], registerFields: [ResidentField.assistance.rawValue, ResidentField.disabilityGrade.rawValue]),
            money(.governmentPaid, min(group.paid, lowest), [groups.use, tiers.use]),
            try pension(.paidTierPension, result),
        ] + (try whyInsure(r))
    }
}
