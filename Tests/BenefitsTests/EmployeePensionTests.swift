import Foundation
import Testing
@testable import Benefits

@Suite struct EmployeePensionTests {
    let book = Fixtures.book
    let on = PolicyDate(year: 2026, month: 6, day: 1)

    /// E8: monthly cost of a Yunnan flexible worker.
    @Test func contributionCost() throws {
        let low = try EmployeePension.contributionCost(base: Fixtures.yuan("4403"), on: on, book: book).value
        #expect(low.monthly.description == "880.60" && low.toAccount.description == "352.24" && low.toPool.description == "528.36")
        #expect(low.yearly.description == "10567.20")
        let high = try EmployeePension.contributionCost(base: Fixtures.yuan("22017"), on: on, book: book).value
        #expect(high.monthly.description == "4403.40" && high.toAccount.description == "1761.36")
        let y2025 = try EmployeePension.contributionCost(base: Fixtures.yuan("4357"), on: PolicyDate(year: 2025, month: 6, day: 1), book: book).value
        #expect(y2025.monthly.description == "871.40")
    }

    /// E9: the account at 2.62 % credited at year end, and the pension from it.
    @Test(arguments: [(15, "76461.55", "991.80", "550.08", "1541.88", "158508.00"), (20, "109288.04", "1322.40", "786.24", "2108.64", "211344.00")])
    func whyTheEmployeeScheme(years: Int, balance: String, basic: String, account: String, total: String, cost: String) throws {
        let steps = (0..<years).map { AccountGrowth.Step(year: 2026 + $0, credits: Fixtures.yuan("352.24").yuan * 12, rate: Rate(basisPoints: 262)) }
        let grown = AccountGrowth.grow(opening: 0, steps: steps, convention: CreditingConvention(contributionWeight: 0))
        #expect(Money(roundingYuan: grown.closing).description == balance)
        #expect((Fixtures.yuan("880.60") * (12 * years)).description == cost)
        let r = try EmployeePension.calculate(EmployeeFigures(retirementAge: Fixtures.age("60y0m"), months: years * 12,
                                                              computationBase: Fixtures.yuan("8265"), index: Decimal(string: "0.6")!,
                                                              balance: Fixtures.yuan(balance), region: Fixtures.yunnan, on: on), book: book)
        #expect(r.basic.description == basic && r.account.description == account && r.total.description == total)
        #expect(r.transitional == .zero)
    }

    @Test func yearsToTwoDecimalsAndTransitional() throws {
        let r = try EmployeePension.calculate(EmployeeFigures(retirementAge: Fixtures.age("60y1m"), months: 517, computationBase: Fixtures.yuan("8265"),
                                                              index: 1, balance: Fixtures.yuan("200000"), deemedYears: 5,
                                                              region: Fixtures.yunnan, on: on), book: book)
        #expect(r.yearsText == "43.08" && r.divisorText == "138.4")
        #expect(r.basic.description == "3560.56")        // 8265 × 2/2 × 43.08 %  = 3560.562
        #expect(r.account.description == "1445.09")      // 200000 / 138.4        = 1445.0867
        #expect(r.transitional.description == "537.23")  // 8265 × 1 × 5 × 1.3 % = 537.225
        #expect(r.total.description == "5542.88")
        #expect(r.breakdown.parameters.contains { $0.key == "employee.transitional" && $0.status == .code })
        // 208 months: 17.333… is shown as 17.33 before multiplying.
        let notice = try EmployeePension.calculate(EmployeeFigures(retirementAge: Fixtures.age("60y0m"), months: 208, computationBase: Fixtures.yuan("8265"),
                                                                   index: 1, balance: .zero, region: Fixtures.yunnan, on: on), book: book)
        #expect(notice.yearsText == "17.33" && notice.basic.description == "1432.32")  // 8265 × 17.33 % = 1432.3245
    }

    @Test func invalidFiguresAreRejected() {
        func figures(index: Decimal = 1, balance: String = "0", months: Int = 180) -> EmployeeFigures {
            EmployeeFigures(retirementAge: Fixtures.age("60y0m"), months: months, computationBase: Fixtures.yuan("8265"), index: index,
                            balance: Fixtures.yuan(balance), region: Fixtures.yunnan, on: on)
        }
        #expect(throws: BenefitsError.invalidInput(name: "index", value: "3.1", allowed: "an index from 0 to 3 (300 % of the average wage)")) {
            try EmployeePension.calculate(figures(index: Decimal(string: "3.1")!), book: book)
        }
        #expect(throws: BenefitsError.self) { try EmployeePension.calculate(figures(balance: "-1"), book: book) }
        #expect(throws: BenefitsError.self) { try EmployeePension.calculate(figures(months: -1), book: book) }
    }

    /// E10: a man born 1976-09 needs 240 months; with 200 he is 40 short.
    @Test func shortfallAgainstTheMinimum() throws {
        let plan = EmployeeProjectionPlan(birth: Fixtures.ym("1976-09"), category: .male, basePercent: Rate(basisPoints: 6000),
                                          start: Fixtures.ym("2026-01"), region: Fixtures.yunnan, openingBalance: Fixtures.yuan("10000"),
                                          priorMonths: 36, priorIndex: Decimal(string: "0.6")!)
        let p = try EmployeePension.project(plan, book: book)
        #expect(p.retirement.retirementMonth.description == "2039-09")
        #expect(p.contributionMonths == 36 + 164)
        #expect(p.retirement.minimumContributionMonths == 240 && p.shortfallMonths == 40)
        #expect(p.eligibility == .notYetEligible(missingYears: 4))
        #expect(p.breakdown.lines.contains { $0.id == "shortfall" && $0.formula.contains("延长缴费 40 个月") })
        let oldRules = try book.minimumContribution(on: PolicyDate(year: 2029, month: 12, day: 31)).value
        #expect(oldRules.months(in: 2029) == 180)
    }

    @Test func projectionFromParameters() throws {
        let plan = EmployeeProjectionPlan(birth: Fixtures.ym("1970-03"), category: .male, basePercent: Rate(basisPoints: 6000),
                                          start: Fixtures.ym("2026-01"), region: Fixtures.yunnan, openingBalance: Fixtures.yuan("60000"),
                                          priorMonths: 120, priorIndex: Decimal(string: "0.6")!)
        let p = try EmployeePension.project(plan, book: book)
        #expect(p.retirement.retirementMonth.description == "2031-07")
        #expect(p.contributionMonths == 120 + 66)
        #expect(p.firstCost.monthly.description == "880.60")
        #expect(p.index == Decimal(string: "0.6")!)
        #expect(p.computationBase.description == "8265.00")
        #expect(p.shortfallMonths == 6)  // 192 needed in 2031
        #expect(p.pension.divisorText == "129.7")
        #expect(p.pension.total == p.pension.basic + p.pension.account + p.pension.transitional)
        #expect(p.breakdown.total == p.pension.total)
        // Labelled projections: C and the bounds after their last year, the rate after 2025.
        let projected = Set(p.breakdown.parameters.filter { $0.projectedTo != nil }.map(\.key))
        #expect(projected.isSuperset(of: ["employee.computationBase", "employee.contributionBounds"]))
        #expect(p.breakdown.parameters.contains { $0.key == "projection.interestRate" && $0.status == .unverified })
        #expect(p.breakdown.assumptions.contains { $0.contains("未公布年份的记账利率") })
        // 2026: 12 months of 352.24 credited, 2026 at the projection rate.
        #expect(p.yearly.first!.year == 2026 && p.yearly.first!.credits.description == "4226.88")
        #expect(p.yearly.last!.year == 2031 && p.yearly.last!.months == 6)
        #expect(throws: BenefitsError.self) {
            var bad = plan
            bad.basePercent = Rate(basisPoints: 30100)
            return try EmployeePension.project(bad, book: book)
        }
    }

    @Test func pastYearsWithoutBoundsAreAnError() {
        let plan = EmployeeProjectionPlan(birth: Fixtures.ym("1970-03"), category: .male, basePercent: Rate(basisPoints: 6000),
                                          start: Fixtures.ym("2020-01"), region: Fixtures.yunnan)
        #expect(throws: BenefitsError.notCovered(parameter: "employee.contributionBounds", region: "53", date: .midYear(2020))) {
            try EmployeePension.project(plan, book: book)
        }
    }
}
