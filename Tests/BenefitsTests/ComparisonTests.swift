import Foundation
import Testing
@testable import Benefits

@Suite struct ComparisonTests {
    let book = Fixtures.book

    @Test func fourTablesForAYoungWoman() throws {
        let person = ComparisonPerson(birth: Fixtures.ym("1990-05"), category: .female50, region: Fixtures.yunnan, status: .none, asOf: Fixtures.ym("2026-11"))
        let report = try Comparison.fourQuestions(for: person, book: book)
        #expect(report.applicable)
        #expect(report.tables.map(\.id) == ["whyInsure", "whyEmployee", "whyHigherTier", "whyLonger"])
        for t in report.tables {
            #expect(!t.rows.isEmpty && !t.assumptions.isEmpty && !t.parameters.isEmpty)
            for row in t.rows where row.monthlyPension > .zero {
                // Years to recoup = personal cost ÷ (monthly × 12), one decimal.
                let expected = Decimals.text(row.personalCost.yuan / (row.monthlyPension.yuan * 12), places: 1)
                #expect(row.yearsToRecoup == expected)
            }
        }
        let insure = report.tables[0].rows
        #expect(insure[0].scheme == "none" && insure[0].monthlyPension == .zero)
        #expect(insure.dropFirst().allSatisfy { $0.monthlyPension > .zero })
        // A higher tier never lowers the pension, and costs more.
        let tiers = report.tables[2].rows
        #expect(zip(tiers, tiers.dropFirst()).allSatisfy { $0.monthlyPension <= $1.monthlyPension && $0.personalCost < $1.personalCost })
        // Employee rows: she reaches statutory age (55) in 2045 and needs 240 months, so 15 years fall short.
        let longer = report.tables[3].rows.filter { $0.scheme == "employee" }
        #expect(longer.map(\.years) == [15, 20, 30])
        #expect(!longer[0].eligible && longer[0].monthlyPension == .zero)
        #expect(longer[1].eligible && longer[1].monthlyPension > .zero)
        #expect(longer[2].note?.contains("延长缴费") == true)
        // The employee scheme pays more than the resident scheme at the same years.
        let employee = report.tables[1].rows
        #expect(employee.last!.scheme == "employee" && employee.last!.monthlyPension > employee.map(\.monthlyPension).dropLast().max()!)
    }

    @Test func someoneAlreadyReceivingGetsNoTables() throws {
        let person = ComparisonPerson(birth: Fixtures.ym("1955-01"), category: .male, region: Fixtures.yunnan, status: .receiving, asOf: Fixtures.ym("2026-11"))
        let report = try Comparison.fourQuestions(for: person, book: book)
        #expect(!report.applicable && report.tables.isEmpty && report.note != nil)
    }

    @Test func lateStarterExtendsEmployeeContributions() throws {
        // Statutory age 52y9m in 2033-03: 76 months from 2026-11, then 128 more to reach 204.
        let person = ComparisonPerson(birth: Fixtures.ym("1980-06"), category: .female50, region: Fixtures.yunnan, status: .none, asOf: Fixtures.ym("2026-11"))
        let report = try Comparison.fourQuestions(for: person, book: book)
        let employee = report.tables[1].rows.last!
        #expect(employee.scheme == "employee" && employee.eligible && employee.years == 17)
        #expect(employee.note == "到法定退休年龄只能缴 76 个月，再延长缴费 128 个月")
        #expect(employee.personalCost == Fixtures.yuan("880.60") * 204)
    }

    @Test func tooLateForTheEmployeeSchemeSaysSo() throws {
        // A man of 56 needs 192 months; he would be past 70 before reaching them.
        let person = ComparisonPerson(birth: Fixtures.ym("1970-03"), category: .male, region: Fixtures.yunnan, status: .none, asOf: Fixtures.ym("2026-11"))
        let report = try Comparison.fourQuestions(for: person, book: book)
        let employee = report.tables[1].rows.last!
        #expect(!employee.eligible && employee.personalCost == .zero)
        #expect(employee.note?.contains("到70岁也缴不满最低缴费年限") == true)
        // The resident scheme still works: contributions continue after 60 to reach 15 years.
        #expect(report.tables[0].rows[1].eligible && report.tables[0].rows[1].note?.contains("60岁后继续缴费") == true)
    }
}
