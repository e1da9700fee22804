import Foundation
import Testing
@testable import Benefits

@Suite struct RetirementRulesTests {
    struct Vector: Sendable, CustomTestStringConvertible {
        let category: RetirementCategory, birth: String, delay: Int, age: String, retires: String, minimumMonths: Int, divisor: String
        var testDescription: String { "\(category.rawValue) \(birth)" }
    }

    /// Reference §3.2 test vectors (and E1, E10).
    static let vectors: [Vector] = [
        .init(category: .male, birth: "1964-12", delay: 0, age: "60y0m", retires: "2024-12", minimumMonths: 180, divisor: "139.0"),
        .init(category: .male, birth: "1965-01", delay: 1, age: "60y1m", retires: "2025-02", minimumMonths: 180, divisor: "138.4"),
        .init(category: .male, birth: "1970-03", delay: 16, age: "61y4m", retires: "2031-07", minimumMonths: 192, divisor: "129.7"),
        .init(category: .male, birth: "1976-09", delay: 36, age: "63y0m", retires: "2039-09", minimumMonths: 240, divisor: "117.0"),
        .init(category: .female55, birth: "1970-01", delay: 1, age: "55y1m", retires: "2025-02", minimumMonths: 180, divisor: "169.5"),
        .init(category: .female55, birth: "1981-09", delay: 36, age: "58y0m", retires: "2039-09", minimumMonths: 240, divisor: "152.0"),
        .init(category: .female50, birth: "1975-01", delay: 1, age: "50y1m", retires: "2025-02", minimumMonths: 180, divisor: "194.6"),
        .init(category: .female50, birth: "1980-06", delay: 33, age: "52y9m", retires: "2033-03", minimumMonths: 204, divisor: "181.3"),
        .init(category: .female50, birth: "1984-11", delay: 60, age: "55y0m", retires: "2039-11", minimumMonths: 240, divisor: "170.0"),
    ]

    @Test(arguments: vectors) func reformVector(_ v: Vector) throws {
        let r = try RetirementRules.retirement(birth: Fixtures.ym(v.birth), category: v.category, book: Fixtures.book)
        #expect(r.delayMonths == v.delay)
        #expect(r.statutoryAge.description == v.age)
        #expect(r.retirementMonth.description == v.retires)
        #expect(r.minimumContributionMonths == v.minimumMonths)
        #expect(r.divisorText == v.divisor)
        #expect(r.breakdown.parameters.contains { $0.key == "retirement.statutoryAge" && $0.status == .official })
    }

    @Test func capIsReachedAtTheDocumentedBirthMonths() throws {
        for (category, capBirth, before) in [(RetirementCategory.male, "1976-09", "1976-08"), (.female55, "1981-09", "1981-08"), (.female50, "1984-11", "1984-10")] {
            let atCap = try RetirementRules.retirement(birth: Fixtures.ym(capBirth), category: category, book: Fixtures.book)
            let justBefore = try RetirementRules.retirement(birth: Fixtures.ym(before), category: category, book: Fixtures.book)
            #expect(justBefore.delayMonths == atCap.delayMonths - 1)
            let later = try RetirementRules.retirement(birth: Fixtures.ym(capBirth).adding(months: 40), category: category, book: Fixtures.book)
            #expect(later.delayMonths == atCap.delayMonths)
        }
    }

    /// E2: divisors at ages with months.
    @Test func divisorsAtNonIntegerAges() throws {
        let on = PolicyDate(year: 2025, month: 6, day: 1)
        #expect(Decimals.text(try RetirementRules.divisor(at: Fixtures.age("60y1m"), on: on, book: Fixtures.book).value, places: 1) == "138.4")
        #expect(Decimals.text(try RetirementRules.divisor(at: Fixtures.age("50y1m"), on: on, book: Fixtures.book).value, places: 1) == "194.6")
        #expect(Decimals.text(try RetirementRules.divisor(at: Fixtures.age("61y4m"), on: on, book: Fixtures.book).value, places: 1) == "129.7")
        #expect(Decimals.text(try RetirementRules.divisor(at: Fixtures.age("52y9m"), on: on, book: Fixtures.book).value, places: 1) == "181.3")
        // 55 row: 170 − 6 × 6/12 = 167 (the circulating table's 55 row is wrong).
        #expect(try RetirementRules.divisor(at: Fixtures.age("55y6m"), on: on, book: Fixtures.book).value == 167)
        #expect(throws: BenefitsError.self) { try RetirementRules.divisor(at: Fixtures.age("70y1m"), on: on, book: Fixtures.book) }
        #expect(throws: BenefitsError.self) { try RetirementRules.divisor(at: Fixtures.age("39y11m"), on: on, book: Fixtures.book) }
    }

    @Test func divisorFallsWithAgeMonthByMonth() throws {
        let on = PolicyDate(year: 2030, month: 1, day: 1)
        var previous = Decimal(10_000)
        for months in (40 * 12)...(70 * 12) {
            let d = try RetirementRules.divisor(at: AgeInMonths(totalMonths: months), on: on, book: Fixtures.book).value
            #expect(d <= previous, "divisor rose at \(AgeInMonths(totalMonths: months))")
            previous = d
        }
    }

    @Test func flexibleRetirementLimits() throws {
        let birth = Fixtures.ym("1970-03")  // statutory 61y4m, delay 16
        let late = try RetirementRules.retirement(birth: birth, category: .male, flexibleMonths: 36, book: Fixtures.book)
        #expect(late.retirementAge.description == "64y4m")
        #expect(late.minimumYearCounted == 2031)  // late: still the statutory year
        let early = try RetirementRules.retirement(birth: birth, category: .male, flexibleMonths: -16, contributionMonths: 200, book: Fixtures.book)
        #expect(early.retirementAge.description == "60y0m" && early.retirementMonth.description == "2030-03")
        #expect(early.minimumYearCounted == 2030 && early.minimumContributionMonths == 186)
        #expect(early.divisorText == "139.0")
        // Never below the original age; never more than 3 years late; early needs the minimum met.
        #expect(throws: BenefitsError.self) { try RetirementRules.retirement(birth: birth, category: .male, flexibleMonths: -17, book: Fixtures.book) }
        #expect(throws: BenefitsError.self) { try RetirementRules.retirement(birth: birth, category: .male, flexibleMonths: 37, book: Fixtures.book) }
        #expect(throws: BenefitsError.self) { try RetirementRules.retirement(birth: birth, category: .male, flexibleMonths: -6, contributionMonths: 150, book: Fixtures.book) }
    }

    @Test func invalidMonthsAreRejected() {
        #expect(throws: BenefitsError.invalidInput(name: "birth", value: "1970-13", allowed: "a month from 01 to 12")) { try YearMonth(parsing: "1970-13", name: "birth") }
        #expect(throws: BenefitsError.self) { try YearMonth(parsing: "1970-3") }
        #expect(throws: BenefitsError.self) { try AgeInMonths(parsing: "60y12m") }
        #expect(Fixtures.age("60y") == AgeInMonths(years: 60, months: 0))
    }
}
