import Foundation
import Testing
@testable import Benefits

@Suite struct ResidentPensionTests {
    let book = Fixtures.book

    /// E6: a known balance of 50,000 at 60.
    @Test func pensionFromAKnownBalance() throws {
        for (claim, total) in [("2026-03", "522.71"), ("2025-03", "502.71"), ("2024-03", "482.71")] {
            let r = try ResidentPension.monthly(balance: Fixtures.yuan("50000"), contributionYears: 15, claimMonth: Fixtures.ym(claim),
                                                region: Fixtures.yunnan, book: book)
            #expect(r.account.description == "359.71")
            #expect(r.total.description == total)
            #expect(r.total == r.account + r.basic)
        }
    }

    /// E7: "why a higher tier", 15 years at 2.62 %, subsidy at the national floor, basic 163.
    @Test(arguments: [("200", "30", "4160.55", "29.93", "192.93"), ("500", "60", "10130.04", "72.88", "235.88"),
                      ("1000", "60", "19174.72", "137.95", "300.95"), ("2000", "60", "37264.08", "268.09", "431.09")])
    func higherTier(tier: String, subsidy: String, balance: String, account: String, total: String) throws {
        let plan = ResidentPlan(tier: Fixtures.yuan(tier), years: 15, firstYear: 2011, claimMonth: Fixtures.ym("2026-01"),
                                region: Fixtures.yunnan, subsidy: Fixtures.yuan(subsidy), interestRate: Rate(basisPoints: 262))
        let r = try ResidentPension.calculate(plan, book: book)
        #expect(r.balance.description == balance)
        #expect(r.account.description == account)
        #expect(r.basic.description == "163.00")
        #expect(r.total.description == total)
        #expect(r.personalCost == Fixtures.yuan(tier) * 15)
        #expect(r.yearly.count == 15 && r.yearly.last!.closing.description == balance)
    }

    /// E7 continued: "why longer" at the 500 tier.
    @Test func longerContribution() throws {
        for (years, balance, account) in [(20, "14479.07", "104.17"), (25, "19428.47", "139.77")] {
            let plan = ResidentPlan(tier: Fixtures.yuan("500"), years: years, firstYear: 2027, claimMonth: try YearMonth(year: 2027 + years, month: 1),
                                    region: Fixtures.yunnan, subsidy: Fixtures.yuan("60"), interestRate: Rate(basisPoints: 262))
            let r = try ResidentPension.calculate(plan, book: book)
            #expect(r.balance.description == balance)
            #expect(r.account.description == account)
        }
    }

    /// The same E7 case from the parameters alone, projected forward: the national subsidy floors give the same
    /// balance, and the basic pension past 2026 is a labelled projection.
    @Test func projectedFromParameters() throws {
        let plan = ResidentPlan(tier: Fixtures.yuan("500"), years: 15, firstYear: 2027, claimMonth: Fixtures.ym("2042-01"),
                                region: Fixtures.yunnan, interestRate: Rate(basisPoints: 262))
        let r = try ResidentPension.calculate(plan, book: book)
        #expect(r.balance.description == "10130.04")
        #expect(r.total.description == "235.88")
        #expect(r.breakdown.parameters.contains { $0.key == "resident.minimumBasicPension" && $0.projectedTo != nil })
        #expect(r.breakdown.assumptions.contains { $0.contains("resident.minimumBasicPension") && $0.contains("2042-01-01") })
        #expect(r.breakdown.parameters.contains { $0.key == "resident.subsidy" && $0.status == .official && $0.region == "national" })
        #expect(r.breakdown.assumptions.contains { $0.contains("缴费档次按国家档次") })
    }

    @Test func notYetEligibleWhenYearsFallShort() throws {
        let plan = ResidentPlan(tier: Fixtures.yuan("300"), years: 10, firstYear: 2016, claimMonth: Fixtures.ym("2026-06"),
                                region: Fixtures.yunnan, interestRate: Rate(basisPoints: 262))
        let r = try ResidentPension.calculate(plan, book: book)
        #expect(r.eligibility == .notYetEligible(missingYears: 5))
        #expect(r.total == .zero && r.balance > .zero)
        #expect(r.breakdown.lines.contains { $0.id == "eligibility" })
    }

    @Test func backPaymentClosesTheGapWithoutSubsidy() throws {
        let base = ResidentPlan(tier: Fixtures.yuan("300"), years: 10, firstYear: 2016, claimMonth: Fixtures.ym("2026-06"),
                                region: Fixtures.yunnan, interestRate: Rate(basisPoints: 262))
        var paid = base
        paid.backPaidYears = 5
        let without = try ResidentPension.calculate(base, book: book)
        let with = try ResidentPension.calculate(paid, book: book)
        #expect(with.eligibility == .eligible)
        #expect(with.balance == without.balance + Fixtures.yuan("1500"))  // 5 × 300, no subsidy (Yunnan rule, unverified)
        #expect(with.personalCost == without.personalCost + Fixtures.yuan("1500"))
        #expect(with.total == with.account + with.basic)
    }

    @Test func hardshipGroupPaysTheLowestTier() throws {
        let plan = ResidentPlan(tier: Fixtures.yuan("100"), years: 15, firstYear: 2011, claimMonth: Fixtures.ym("2026-01"),
                                region: Fixtures.yunnan, subsidy: Fixtures.yuan("30"), interestRate: Rate(basisPoints: 262),
                                hardshipGroup: "severely-disabled")
        let r = try ResidentPension.calculate(plan, book: book)
        #expect(r.personalCost == .zero)
        #expect(r.eligibility == .eligible && r.account > .zero)
        var unknown = plan
        unknown.hardshipGroup = "nobody"
        #expect(throws: BenefitsError.self) { try ResidentPension.calculate(unknown, book: book) }
    }

    @Test func agedSixtyAtLaunchGetsTheBasicPensionOnly() throws {
        let plan = ResidentPlan(tier: Fixtures.yuan("100"), years: 0, firstYear: 2026, claimMonth: Fixtures.ym("2026-02"),
                                region: Fixtures.yunnan, agedSixtyAtLaunch: true)
        let r = try ResidentPension.calculate(plan, book: book)
        #expect(r.total.description == "163.00" && r.account == .zero)
    }

    @Test func tierThatDoesNotExistIsAnError() {
        let plan = ResidentPlan(tier: Fixtures.yuan("250"), years: 15, firstYear: 2011, claimMonth: Fixtures.ym("2026-01"),
                                region: Fixtures.yunnan, subsidy: Fixtures.yuan("30"), interestRate: Rate(basisPoints: 262))
        do {
            _ = try ResidentPension.calculate(plan, book: book)
            Issue.record("tier 250 accepted")
        } catch let BenefitsError.invalidInput(name, value, allowed) {
            #expect(name == "tier" && value == "250.00 元" && allowed.contains("100, 200, 300"))
        } catch { Issue.record("\(error)") }
    }

    @Test func yearsBeforeTheParametersAreAnErrorNotADefault() {
        // The national subsidy schedule starts 2014-02-21: contributions in 2011 cannot take it from the data.
        let plan = ResidentPlan(tier: Fixtures.yuan("500"), years: 15, firstYear: 2011, claimMonth: Fixtures.ym("2026-01"),
                                region: Fixtures.yunnan, interestRate: Rate(basisPoints: 262))
        #expect(throws: BenefitsError.notCovered(parameter: "resident.subsidy", region: "53", date: .midYear(2011))) {
            try ResidentPension.calculate(plan, book: book)
        }
    }
}
