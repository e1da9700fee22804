import Testing
@testable import Registry

@Suite struct RowInterpreterTests {
    let mapping = try! ImportMapping.parse("""
        source: hrss
        title: test
        columns:
          id: [公民身份号码, 身份证号]
          name: [姓名]
          sex: [性别]
          phone: [手机号码]
          birth_date: [出生日期]
          disability_grade: [残疾等级]
        """, file: "hrss.yaml")

    let good = "11010519491231002X"

    func run(_ rows: [[String]], lastTerminated: Bool = true) throws -> [RowInterpreter.Outcome] {
        var i = RowInterpreter(mapping: mapping)
        return try rows.enumerated().map { n, r in try i.interpret(CSVRecord(fields: r, line: n + 1), terminated: n < rows.count - 1 || lastTerminated) }
    }

    @Test func skipsTitleRowsAndTotals() throws {
        let out = try run([["某县参保人员名单"], ["姓名", "公民身份号码", "手机号码"], ["张三", good, "+86 138 1234 5678"], ["合计", "1"]])
        #expect(out[0] == .preamble && out[1] == .preamble && out[3] == .skipped)
        guard case let .row(row) = out[2] else { Issue.record("expected a row"); return }
        #expect(row.values[.phone] == "13812345678")
        #expect(row.values[.name] == "张三")
    }

    @Test func unknownHeadingsListWhatWasFound() {
        #expect {
            _ = try run(Array(repeating: ["户主", "门牌号"], count: RowInterpreter.headingSearchLimit))
        } throws: { e in
            let d = (e as! HeadingError).description
            return d.contains("户主") && d.contains("公民身份号码")
        }
    }

    func rejection(_ row: [String], heading: [String] = ["姓名", "公民身份号码", "手机号码", "性别", "出生日期", "残疾等级"], terminated: Bool = true) throws -> RowRejection? {
        let out = try run([heading, row], lastTerminated: terminated)
        if case let .rejected(r) = out[1] { return r }
        return nil
    }

    @Test func everyBadRowKindIsRejectedWithLineColumnAndReason() throws {
        let wrongChecksum = try rejection(["张三", "110105194912310021", "", "", "", ""])
        #expect(wrongChecksum?.column == "公民身份号码" && wrongChecksum?.reason.contains("check character") == true)
        #expect(wrongChecksum?.line == 2)

        let body = "53010219500230123"
        let impossible = try rejection(["张三", body + String(ResidentID.checkCharacter(forDigits: body)), "", "", "", ""])
        #expect(impossible?.reason.contains("impossible birth date") == true)

        let excel = try rejection(["张三", "5.30102E+17", "", "", "", ""])
        #expect(excel?.reason.contains("spreadsheet") == true)

        let badPhone = try rejection(["张三", good, "12345", "", "", ""])
        #expect(badPhone?.column == "手机号码")

        let sexMismatch = try rejection(["张三", good, "", "男", "", ""])
        #expect(sexMismatch?.column == "性别" && sexMismatch?.reason.contains("ID") == true)

        let birthMismatch = try rejection(["张三", good, "", "", "1950-01-01", ""])
        #expect(birthMismatch?.column == "出生日期")

        let badGrade = try rejection(["张三", good, "", "", "", "五级"])
        #expect(badGrade?.column == "残疾等级")

        let cut = try rejection(["张三", good], terminated: false)
        #expect(cut?.reason.contains("cut off") == true)

        let short = try rejection(["张三", good])
        #expect(short?.reason.contains("columns") == true)
    }

    @Test func consistentSexAndBirthAreAccepted() throws {
        #expect(try rejection(["张三", good, "13812345678", "女", "1949/12/31", "二级"]) == nil)
    }
}

@Suite struct FieldNormaliserTests {
    @Test func categoriesAndCodes() throws {
        #expect(try FieldNormaliser.normalise(.disabilityType, "肢体残疾") == "4")
        #expect(try FieldNormaliser.normalise(.disabilityGrade, "一级") == "1")
        #expect(try FieldNormaliser.normalise(.assistance, "特困供养、低保") == "dibao,tekun")
        #expect(try FieldNormaliser.normalise(.pensionScheme, "城乡居民养老保险") == "resident")
        #expect(try FieldNormaliser.normalise(.pensionScheme, "待遇领取") == "receiving")
        #expect(try FieldNormaliser.normalise(.pensionTierFen, "200元") == "20000")
        #expect(try FieldNormaliser.normalise(.languages, "彝语、汉语") == "彝语,汉语")
        #expect(try FieldNormaliser.normalise(.incapacityLevel, "重度失能") == "3")
        #expect(try FieldNormaliser.normalise(.name, "  𠮷祥 ") == "𠮷祥")
        #expect(try FieldNormaliser.normalise(.phone, "") == nil)
        #expect(throws: FieldError.self) { try FieldNormaliser.normalise(.latitude, "95.1") }
    }
}

@Suite struct MergeTests {
    let id = try! ResidentID("11010519491231002X")
    let nov = CalendarDate(year: 2026, month: 11, day: 1)!
    let oct = CalendarDate(year: 2026, month: 10, day: 1)!

    func stored(_ v: [ResidentField: String], _ p: Provenance) -> StoredResident {
        StoredResident(id: id, values: v, provenance: v.mapValues { _ in p })
    }

    @Test func newResident() {
        let r = RegistryMerge.merge(ParsedRow(id: id, values: [.name: "张三"], line: 2), into: nil, from: Provenance(source: "hrss", asOf: nov))
        #expect(r.change == .new)
        #expect(r.resident.provenance[.name]?.source == "hrss")
    }

    @Test func newerWinsOlderIsIgnored() {
        let existing = stored([.phone: "13800000000"], Provenance(source: "hrss", asOf: oct))
        let newer = RegistryMerge.merge(ParsedRow(id: id, values: [.phone: "13911111111"], line: 2), into: existing, from: Provenance(source: "civil-affairs", asOf: nov))
        #expect(newer.change == .updated([.phone]))
        #expect(newer.resident.values[.phone] == "13911111111")
        let older = RegistryMerge.merge(ParsedRow(id: id, values: [.phone: "13922222222"], line: 2), into: newer.resident, from: Provenance(source: "health", asOf: oct))
        #expect(older.change == .unchanged)
        #expect(older.resident.values[.phone] == "13911111111")
        #expect(older.conflicts.isEmpty)
    }

    @Test func sameDateOtherSourceIsAConflictNotAnOverwrite() {
        let existing = stored([.phone: "13800000000"], Provenance(source: "hrss", asOf: nov))
        let r = RegistryMerge.merge(ParsedRow(id: id, values: [.phone: "13911111111", .name: "张三"], line: 2), into: existing, from: Provenance(source: "civil-affairs", asOf: nov))
        #expect(r.resident.values[.phone] == "13800000000")
        #expect(r.conflicts.count == 1)
        #expect(r.conflicts.first?.offered == "13911111111")
        #expect(r.change == .updated([.name]))
    }

    @Test func sameSourceSameDateCorrectsItself() {
        let existing = stored([.phone: "13800000000"], Provenance(source: "hrss", asOf: nov))
        let r = RegistryMerge.merge(ParsedRow(id: id, values: [.phone: "13911111111"], line: 2), into: existing, from: Provenance(source: "hrss", asOf: nov))
        #expect(r.change == .updated([.phone]))
    }

    @Test func identicalRowIsUnchanged() {
        let existing = stored([.phone: "13800000000"], Provenance(source: "hrss", asOf: nov))
        let r = RegistryMerge.merge(ParsedRow(id: id, values: [.phone: "13800000000"], line: 2), into: existing, from: Provenance(source: "hrss", asOf: nov))
        #expect(r.change == .unchanged)
        #expect(r.resident == existing)
    }
}

@Suite struct ResidentRulesTests {
    let rules = RegistryRules(elderlyAge: 80)
    let today = CalendarDate(year: 2026, month: 11, day: 30)!

    func resident(_ v: [ResidentField: String]) -> Resident { Resident(id: try! ResidentID("11010519491231002X"), fields: v) }

    @Test func categories() {
        let r = resident([.disabilityType: "1", .livingArrangement: "alone", .bedridden: "1", .assistance: "dibao,fanpin"])
        #expect(r.categories(on: today, rules: rules) == [.disabled, .emptyNest, .bedridden, .minimumLiving, .povertyMonitoring])
        #expect(resident([:]).categories(on: today, rules: RegistryRules(elderlyAge: 76)) == [.elderly])
    }
}

@Suite struct DemoCountyTests {
    @Test func sameSeedSameCountyAndAllIDsValid() throws {
        let today = CalendarDate(year: 2026, month: 11, day: 30)!
        let a = DemoCounty(residents: 400, seed: 9, today: today)
        let b = DemoCounty(residents: 400, seed: 9, today: today)
        #expect(a.residents.map(\.id) == b.residents.map(\.id))
        #expect(a.residents.map(\.values) == b.residents.map(\.values))
        #expect(a.residents.count > 380)
        for r in a.residents { #expect(try ResidentID(r.id.value) == r.id) }
        let old = a.residents.filter { $0.id.birthDate.age(on: today) >= 60 }.count
        #expect((40...160).contains(old))  // roughly a fifth
        #expect(DemoCounty(residents: 400, seed: 10, today: today).residents.map(\.id) != a.residents.map(\.id))
    }
}

@Suite struct MappingTests {
    @Test func unknownKeysNameTheLine() {
        #expect(throws: MappingError.unknownKey(file: "x.yaml", line: 2, key: "colums")) {
            try ImportMapping.parse("source: x\ncolums: {}\n", file: "x.yaml")
        }
        #expect(throws: MappingError.unknownField(file: "x.yaml", line: 3, name: "nmae")) {
            try ImportMapping.parse("source: x\ncolumns:\n  nmae: [姓名]\n  id: [身份证号]\n", file: "x.yaml")
        }
    }
}
