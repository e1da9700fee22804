import Foundation
import Testing
@testable import Benefits

/// Pins one full breakdown (lines, formulas, parameters with source and status, assumptions) as JSON.
/// The book is inline so that an office editing content/policy/ does not move the golden file.
/// Figures checked independently (Python decimal, half-up): 1156.82 + 550.26 + 132.22 = 1839.30.
@Suite struct GoldenBreakdownTests {
    static let policy = """
    region: national
    parameters:
      - key: employee.divisorTable
        from: 2006-01-01
        value: {58: 152, 59: 145, 60: 139, 61: 132, 62: 125}
        source: "attachment to 国发〔2005〕38号 (S10)"
        status: code
      - key: employee.divisorInterpolation
        from: 2006-01-01
        value: {method: linear, decimals: 1}
        source: "Jinan 12345 reply (S11)"
        status: code
      - key: employee.contributionYearsRounding
        from: 2006-01-01
        value: {decimals: 2, mode: truncate}
        source: "official notices show 2 decimals"
        status: unverified
      - key: employee.transitional
        region: "53"
        from: 2006-01-01
        value: {rate: 130, base: cz}
        source: "Yunnan 预核定表 (S13)"
        status: code
    """

    static let expected = #"""
    {
      "assumptions" : [
        "不含地方增发项目（如独生子女父母加发）"
      ],
      "lines" : [
        {
          "formula" : "208 ÷ 12 → 17.33",
          "id" : "years",
          "label" : "累计缴费年限",
          "part" : false,
          "result" : "17.33"
        },
        {
          "formula" : "139 − (139 − 132) × 1 ÷ 12 = 138.417 → 138.4",
          "id" : "divisor",
          "label" : "计发月数",
          "part" : false,
          "result" : "138.4"
        },
        {
          "amount" : "1156.82",
          "formula" : "8265.00 × (1 + 0.6153) ÷ 2 × 17.33 × 1% = 1156.82",
          "id" : "basic",
          "label" : "基础养老金",
          "part" : true,
          "result" : "1156.82"
        },
        {
          "amount" : "550.26",
          "formula" : "76156.31 ÷ 138.4 = 550.26",
          "id" : "account",
          "label" : "个人账户养老金",
          "part" : true,
          "result" : "550.26"
        },
        {
          "amount" : "132.22",
          "formula" : "8265.00 × 0.6153 × 2.00 × 1.30% = 132.22",
          "id" : "transitional",
          "label" : "过渡性养老金",
          "part" : true,
          "result" : "132.22"
        }
      ],
      "parameters" : [
        {
          "file" : "golden.yaml",
          "from" : "2006-01-01",
          "key" : "employee.contributionYearsRounding",
          "line" : 13,
          "region" : "national",
          "source" : "official notices show 2 decimals",
          "status" : "unverified",
          "value" : "2 位小数，截断"
        },
        {
          "file" : "golden.yaml",
          "from" : "2006-01-01",
          "key" : "employee.divisorTable",
          "line" : 3,
          "region" : "national",
          "source" : "attachment to 国发〔2005〕38号 (S10)",
          "status" : "code",
          "value" : "58–62 岁计发月数表"
        },
        {
          "file" : "golden.yaml",
          "from" : "2006-01-01",
          "key" : "employee.divisorInterpolation",
          "line" : 8,
          "region" : "national",
          "source" : "Jinan 12345 reply (S11)",
          "status" : "code",
          "value" : "linear，保留 1 位小数"
        },
        {
          "file" : "golden.yaml",
          "from" : "2006-01-01",
          "key" : "employee.transitional",
          "line" : 18,
          "region" : "53",
          "source" : "Yunnan 预核定表 (S13)",
          "status" : "code",
          "value" : "C×Z × 视同年限 × 1.30%"
        }
      ],
      "total" : "1839.30"
    }
    """#

    @Test func employeeBreakdownIsPinned() throws {
        let book = try PolicyLoader.load(files: [PolicyFile(name: "golden.yaml", contents: Self.policy)])
        let r = try EmployeePension.calculate(EmployeeFigures(
            retirementAge: Fixtures.age("60y1m"), months: 208, computationBase: Fixtures.yuan("8265"), index: Decimal(string: "0.6153")!,
            balance: Fixtures.yuan("76156.31"), deemedYears: 2, region: Fixtures.yunnan, on: PolicyDate(year: 2025, month: 12, day: 1)), book: book)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let json = String(decoding: try encoder.encode(r.breakdown), as: UTF8.self)
        #expect(json == Self.expected)
        #expect(r.total.description == "1839.30")
    }
}
