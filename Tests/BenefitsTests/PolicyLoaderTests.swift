import Foundation
import Testing
@testable import Benefits

@Suite struct PolicyLoaderTests {
    private func load(_ text: String, name: String = "test.yaml") throws -> PolicyBook {
        try PolicyLoader.load(files: [PolicyFile(name: name, contents: text)])
    }

    @Test func realContentLoadsAndCoversTheRequiredParameters() throws {
        let book = Fixtures.book
        let keys = Set(book.entries.map(\.key))
        for key in ParameterKey.allCases { #expect(keys.contains(key), "missing \(key.rawValue)") }
        #expect(book.entries.allSatisfy { !$0.source.isEmpty })
        let minimum = book.entries(.residentMinimumBasicPension, region: .national)
        #expect(minimum.map(\.from.year) == [2014, 2018, 2020, 2022, 2023, 2024, 2025, 2026])
        #expect(try book.amount(.residentMinimumBasicPension, on: PolicyDate(year: 2026, month: 5, day: 1)).value == Money(fen: 16300))
        #expect(try book.amount(.residentMinimumBasicPension, on: PolicyDate(year: 2019, month: 5, day: 1)).value == Money(fen: 8800))
    }

    @Test func countyEntryWinsOverProvinceAndNational() throws {
        let county = """
        region: "530102"
        parameters:
          - {key: resident.basicTopUp, from: 2026-01-01, to: 2026-12-31, value: 2000, source: "县通知 1号", status: official}
        """
        let book = try PolicyLoader.load(files: [
            PolicyFile(name: "yunnan.yaml", contents: try String(contentsOf: Fixtures.policyDirectory.appendingPathComponent("yunnan.yaml"), encoding: .utf8)),
            PolicyFile(name: "county.yaml", contents: county),
        ])
        let inCounty = try book.amount(.residentBasicTopUp, region: Region(parsing: "530102"), on: PolicyDate(year: 2026, month: 3, day: 1))
        #expect(inCounty.value == Money(fen: 2000))
        #expect(inCounty.use.file == "county.yaml" && inCounty.use.status == .official)
        let elsewhere = try book.amount(.residentBasicTopUp, region: Region(parsing: "530103"), on: PolicyDate(year: 2026, month: 3, day: 1))
        #expect(elsewhere.value == .zero && elsewhere.use.region == "53")
        // Outside the county's dates the province applies again.
        let later = try book.amount(.residentBasicTopUp, region: Region(parsing: "530102000000".prefix(6).description), on: PolicyDate(year: 2027, month: 3, day: 1))
        #expect(later.use.region == "53")
    }

    @Test func overlappingDatesNameBothPlaces() {
        let text = """
        region: national
        parameters:
          - {key: resident.minimumBasicPension, from: 2024-01-01, to: 2024-12-31, value: 12300, source: S6, status: secondary}
          - {key: resident.minimumBasicPension, from: 2024-06-01, value: 14300, source: S7, status: secondary}
        """
        #expect(throws: BenefitsError.overlappingDates(parameter: "resident.minimumBasicPension", region: "national",
                                                      first: "a.yaml:3 (2024-01-01–2024-12-31)", second: "a.yaml:4 (2024-06-01–open)")) {
            try load(text, name: "a.yaml")
        }
    }

    @Test func missingSourceIsAnErrorWithTheLine() {
        let text = """
        - key: resident.divisor
          region: national
          from: 2014-02-21
          value: 139
          status: official
        """
        #expect(throws: BenefitsError.missingField(file: "b.yaml", line: 1, field: "source", parameter: "resident.divisor")) {
            try load(text, name: "b.yaml")
        }
        let blank = text + "\n  source: \"  \"\n"
        #expect(throws: BenefitsError.missingField(file: "b.yaml", line: 6, field: "source", parameter: "resident.divisor")) {
            try load(blank, name: "b.yaml")
        }
    }

    @Test func negativeAmountIsAnError() {
        let text = """
        region: "53"
        parameters:
          - key: employee.contributionBounds
            from: 2026-01-01
            value: {lower: -440300, upper: 2201700}
            source: S14
            status: code
        """
        #expect(throws: BenefitsError.negativeAmount(file: "c.yaml", line: 5, field: "lower", value: "-440300")) { try load(text, name: "c.yaml") }
    }

    @Test func unknownKeysAreErrors() throws {
        let field = """
        - {key: resident.divisor, region: national, from: 2014-02-21, value: 139, source: S1, status: official, sourse: x}
        """
        #expect(throws: BenefitsError.unknownKey(file: "d.yaml", line: 1, key: "sourse", allowed: PolicyLoader.entryFields)) { try load(field, name: "d.yaml") }

        let parameter = """
        - key: resident.divisr
          region: national
          from: 2014-02-21
          value: 139
          source: S1
          status: official
        """
        do {
            _ = try load(parameter, name: "e.yaml")
            Issue.record("unknown parameter accepted")
        } catch let BenefitsError.unknownKey(file, line, key, _) {
            #expect(file == "e.yaml" && line == 1 && key == "resident.divisr")
        }

        let nested = """
        - key: employee.baseBand
          region: national
          from: 2019-05-01
          value: {lower: 6000, uper: 30000}
          source: S16
          status: unverified
        """
        #expect(throws: BenefitsError.unknownKey(file: "f.yaml", line: 4, key: "uper", allowed: ["lower", "upper"])) { try load(nested, name: "f.yaml") }
    }

    @Test func badStatusDatesAndShapesAreErrors() {
        let status = "- {key: resident.divisor, region: national, from: 2014-02-21, value: 139, source: S1, status: maybe}"
        #expect(throws: BenefitsError.self) { try load(status) }
        let date = "- {key: resident.divisor, region: national, from: 2014-02-30, value: 139, source: S1, status: official}"
        #expect(throws: BenefitsError.invalidValue(file: "test.yaml", line: 1, field: "from", value: "2014-02-30", expected: "a date YYYY-MM-DD")) { try load(date) }
        let reversed = "- {key: resident.divisor, region: national, from: 2014-02-21, to: 2013-01-01, value: 139, source: S1, status: official}"
        #expect(throws: BenefitsError.self) { try load(reversed) }
        let gap = "- {key: employee.divisorTable, region: national, from: 2006-01-01, value: {59: 145, 61: 132}, source: S10, status: code}"
        #expect(throws: BenefitsError.self) { try load(gap) }
        let broken = "- {key: resident.divisor, region: national"
        #expect(throws: BenefitsError.self) { try load(broken) }
    }

    @Test func aDateNoParameterCoversIsAnError() {
        #expect(throws: BenefitsError.notCovered(parameter: "resident.minimumBasicPension", region: "53", date: PolicyDate(year: 2013, month: 1, day: 1))) {
            try Fixtures.book.amount(.residentMinimumBasicPension, region: Fixtures.yunnan, on: PolicyDate(year: 2013, month: 1, day: 1))
        }
        #expect(throws: BenefitsError.notCovered(parameter: "resident.minimumBasicPension", region: "national", date: PolicyDate(year: 2027, month: 1, day: 1))) {
            try Fixtures.book.amount(.residentMinimumBasicPension, on: PolicyDate(year: 2027, month: 1, day: 1))
        }
        // Projection must be asked for, and is labelled.
        let projected = try? Fixtures.book.amount(.residentMinimumBasicPension, on: PolicyDate(year: 2030, month: 1, day: 1), projecting: true)
        #expect(projected?.value == Money(fen: 16300))
        #expect(projected?.use.projectedTo == PolicyDate(year: 2030, month: 1, day: 1))
    }
}

@Suite struct ValueTypeTests {
    @Test func regionsReadAreaCodesOfAnyLength() throws {
        #expect(try Region(parsing: "530000").code == "53")
        #expect(try Region(parsing: "530100").code == "5301")
        #expect(try Region(parsing: "530102003000").code == "530102")
        #expect(try Region(parsing: "530102").chain.map(\.code) == ["530102", "5301", "53", "national"])
        #expect(throws: BenefitsError.self) { try Region(parsing: "53a") }
    }

    @Test func monthArithmeticCrossesYears() throws {
        let m = Fixtures.ym("1970-03")
        #expect(m.adding(months: 736).description == "2031-07")
        #expect(m.adding(months: -3).description == "1969-12")
        #expect(Fixtures.ym("2031-07").months(since: m) == 736)
        #expect(try YearMonth(year: 2026, month: 12).adding(months: 1) == Fixtures.ym("2027-01"))
    }

    @Test func emptyFilesAndEmptyListsLoad() throws {
        #expect(try PolicyLoader.parse(PolicyFile(name: "empty.yaml", contents: "# only comments\n")).isEmpty)
        #expect(try PolicyLoader.parse(PolicyFile(name: "list.yaml", contents: "[]\n")).isEmpty)
    }
}
