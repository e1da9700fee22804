import Foundation
import Testing
@testable import Benefits

/// A small deterministic generator so property tests are repeatable.
struct SplitMix: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

@Suite struct PropertyTests {
    let book = Fixtures.book

    private func resident(tier: Money, years: Int, rate: Int = 262) throws -> ResidentPensionResult {
        try ResidentPension.calculate(ResidentPlan(tier: tier, years: years, firstYear: 2027, claimMonth: try YearMonth(year: 2027 + years, month: 1),
                                                   region: Fixtures.yunnan, interestRate: Rate(basisPoints: rate)), book: book)
    }

    @Test func higherTierNeverLowersThePension() throws {
        let tiers = try book.tiers(region: Fixtures.yunnan, on: .midYear(2030)).value
        for years in [15, 20, 25] {
            let pensions = try tiers.map { try resident(tier: $0, years: years).total }
            #expect(zip(pensions, pensions.dropFirst()).allSatisfy { $0 <= $1 }, "years \(years): \(pensions)")
        }
    }

    @Test func moreYearsNeverLowerThePension() throws {
        for tier in [Fixtures.yuan("100"), Fixtures.yuan("500"), Fixtures.yuan("2000")] {
            let pensions = try (15...40).map { try resident(tier: tier, years: $0).total }
            #expect(zip(pensions, pensions.dropFirst()).allSatisfy { $0 <= $1 })
        }
        // Employee: more months (all else equal) never lower the pension.
        var previous = Money.zero
        for months in stride(from: 180, through: 480, by: 7) {
            let r = try EmployeePension.calculate(EmployeeFigures(retirementAge: Fixtures.age("60y0m"), months: months, computationBase: Fixtures.yuan("8265"),
                                                                  index: Decimal(string: "0.8")!, balance: Fixtures.yuan("50000"),
                                                                  region: Fixtures.yunnan, on: PolicyDate(year: 2026, month: 1, day: 1)), book: book)
            #expect(r.total >= previous)
            previous = r.total
        }
    }

    @Test func higherEmployeeBaseNeverLowersThePension() throws {
        var previous = Money.zero
        for percent in stride(from: 6000, through: 30000, by: 2000) {
            let plan = EmployeeProjectionPlan(birth: Fixtures.ym("1985-04"), category: .male, basePercent: Rate(basisPoints: percent),
                                              start: Fixtures.ym("2026-01"), region: Fixtures.yunnan)
            let p = try EmployeePension.project(plan, book: book)
            #expect(p.pension.total >= previous)
            previous = p.pension.total
        }
    }

    @Test func totalIsTheSumOfItsRoundedParts() throws {
        var rng = SplitMix(state: 20_261_129)
        for _ in 0..<300 {
            let ageMonths = Int.random(in: (50 * 12)...(66 * 12), using: &rng)
            let figures = EmployeeFigures(
                retirementAge: AgeInMonths(totalMonths: ageMonths), months: Int.random(in: 0...540, using: &rng),
                computationBase: Money(fen: Int.random(in: 300_000...1_500_000, using: &rng)),
                index: Decimal(Int.random(in: 0...30_000, using: &rng)) / 10_000,
                balance: Money(fen: Int.random(in: 0...50_000_000, using: &rng)),
                deemedYears: Bool.random(using: &rng) ? Decimal(Int.random(in: 1...2_000, using: &rng)) / 100 : nil,
                region: Fixtures.yunnan, on: PolicyDate(year: 2026, month: 1, day: 1))
            let r = try EmployeePension.calculate(figures, book: book)
            #expect(r.total == r.basic + r.account + r.transitional)
            #expect(r.breakdown.total == r.total)
            #expect(r.breakdown.lines.filter(\.part).count == 3)
        }
        let tiers = try book.tiers(region: Fixtures.yunnan, on: .midYear(2030)).value
        for _ in 0..<60 {
            let r = try resident(tier: tiers.randomElement(using: &rng)!, years: Int.random(in: 15...45, using: &rng),
                                 rate: Int.random(in: 0...800, using: &rng))
            #expect(r.total == r.basic + r.account && r.breakdown.total == r.total)
        }
    }

    @Test func moneyRoundsHalfUpToTheFen() {
        #expect(Money(roundingYuan: Decimal(string: "537.225")!).description == "537.23")
        #expect(Money(roundingYuan: Decimal(string: "537.2249")!).description == "537.22")
        #expect(Money(roundingYuan: Decimal(string: "-0.005")!).description == "-0.01")
        #expect(Money(fen: 5).description == "0.05")
        #expect(Decimals.text(Decimal(string: "181.25")!, places: 1) == "181.3")
        #expect(Decimals.truncate(Decimal(517) / 12, scale: 2) == Decimal(string: "43.08")!)
    }
}
