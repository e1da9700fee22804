import Foundation
import Registry

/// Writes a demo county as the five departments would export it: their own headings, dates,
/// encodings (some GBK) and the mistakes real exports contain (a wrong checksum, an impossible
/// birth date, an ID mangled by a spreadsheet, a duplicate row, a file cut off mid-row).
public enum DemoExports {
    /// The files in the order they should be imported.
    public static func write(_ county: DemoCounty, to directory: URL, asOf: CalendarDate) throws -> [(source: String, file: URL)] {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        var rng = SeededRandom(seed: 7)
        var out: [(String, URL)] = []
        let people = county.residents

        func save(_ name: String, _ lines: [String], gbk: Bool, bom: Bool, cutLast: Bool = false) throws -> URL {
            var text = lines.joined()
            if cutLast, let lastBreak = text.dropLast(2).lastIndex(of: "\r\n") {
                // Cut the last row in half, as a copy interrupted mid-transfer would.
                let tail = text[text.index(after: lastBreak)...]
                text = String(text[...lastBreak]) + String(tail.prefix(tail.count / 2))
            }
            var data = Data()
            if gbk { data.append(contentsOf: try encodeGB18030(text)) } else {
                if bom { data.append(contentsOf: [0xEF, 0xBB, 0xBF]) }
                data.append(contentsOf: text.utf8)
            }
            let url = directory.appendingPathComponent(name)
            try data.write(to: url, options: .atomic)
            return url
        }
        func date(_ s: String?, style: Int) -> String {
            guard let s, let d = CalendarDate(parsing: s) else { return "" }
            switch style {
            case 1: return "\(d.year)/\(d.month)/\(d.day)"
            case 2: return "\(d.year)\(pad(d.month))\(pad(d.day))"
            default: return d.description
            }
        }
        func pad(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }

        // 公安: everyone, GBK, a title row above the headings, a totals row below.
        var ps = [CSVWriter.line(["\(county.countyName)户籍人口信息（截至\(asOf.year)年\(asOf.month)月）"]),
                  CSVWriter.line(["序号", "姓名", "性别", "民族", "公民身份号码", "出生日期", "户籍地址", "行政区划代码", "户号", "纬度", "经度", "死亡日期", "迁出日期"])]
        for (i, r) in people.enumerated() {
            let v = r.values
            ps.append(CSVWriter.line([String(i + 1), v[.name] ?? "", v[.sex] == "M" ? "男" : "女", v[.ethnicity] ?? "", r.id.value,
                                      date(v[.birthDate], style: i % 3), v[.address] ?? "", v[.areaCode] ?? "", v[.householdID] ?? "",
                                      v[.latitude] ?? "", v[.longitude] ?? "", date(v[.deathDate], style: 0), date(v[.moveOutDate], style: 0)]))
        }
        // An ID whose check character is right but whose birth date (30 February) is impossible.
        let impossible = "\(county.countyCode)19500230123"
        ps.append(CSVWriter.line([String(people.count + 1), "王某", "男", "汉族", impossible + String(ResidentID.checkCharacter(forDigits: impossible)), "1950-02-30", "", "", "", "", "", "", ""]))
        ps.append(CSVWriter.line(["合计", "\(people.count + 1)人"]))
        out.append(("public-security", try save("public-security.csv", ps, gbk: true, bom: false)))

        // 人社: everyone 16+, UTF-8 without BOM; phones as typed (spaces, +86); one ID mangled by Excel.
        var hr = [CSVWriter.line(["姓名", "公民身份号码", "手机号码", "参保状态", "缴费档次", "缴费年限", "最近认证日期"])]
        for (i, r) in people.enumerated() {
            let v = r.values
            var phone = v[.phone] ?? ""
            if !phone.isEmpty && i % 17 == 0 { phone = "+86 " + phone.prefix(3) + " " + phone.dropFirst(3).prefix(4) + " " + phone.suffix(4) }
            let scheme: String = {
                switch v[.pensionScheme] {
                case "none": return "未参保"
                case "resident": return "城乡居民养老保险"
                case "employee": return "企业职工养老保险"
                case "receiving": return "待遇领取"
                default: return ""
                }
            }()
            let tier = v[.pensionTierFen].flatMap(Int.init).map { "\($0 / 100)元" } ?? ""
            hr.append(CSVWriter.line([v[.name] ?? "", r.id.value, phone, scheme, tier, v[.pensionYears] ?? "", date(v[.lastCertification], style: 0)]))
        }
        if let victim = people.first {
            hr.append(CSVWriter.line([victim.values[.name] ?? "", "5.32999E+17", "", "待遇领取", "", "", ""]))
        }
        out.append(("hrss", try save("hrss.csv", hr, gbk: false, bom: false)))

        // 民政: the old, those on assistance and those with guardians; UTF-8 with BOM; one wrong check digit;
        // a few phones that disagree with 人社 on the same date (conflicts to review).
        var ca = [CSVWriter.line(["姓名", "身份证号", "联系电话", "保障类别", "居住状况", "监护人姓名", "监护人关系", "监护人电话", "能否阅读短信", "常用语言"])]
        var wrongChecksumDone = false
        for r in people {
            let v = r.values
            let age = r.id.birthDate.age(on: asOf)
            guard age >= 60 || v[.assistance] != nil || v[.guardianName] != nil else { continue }
            var id = r.id.value
            if !wrongChecksumDone { id = String(id.dropLast()) + (id.last == "1" ? "2" : "1"); wrongChecksumDone = true }
            var phone = v[.phone] ?? ""
            if !phone.isEmpty && rng.chance(0.02) { phone = "139" + String(format: "%08d", Int(rng.next() % 100_000_000)) }
            let assistance = (v[.assistance] ?? "").split(separator: ",").map { Category(rawValue: String($0))?.chinese ?? "" }.joined(separator: "、")
            let living = ["alone": "独居", "spouse_only": "与配偶同住", "with_family": "与子女同住"][v[.livingArrangement] ?? ""] ?? ""
            ca.append(CSVWriter.line([v[.name] ?? "", id, phone, assistance, living, v[.guardianName] ?? "", v[.guardianRelation] ?? "",
                                      v[.guardianPhone] ?? "", v[.literacy] == "reads" ? "是" : "否",
                                      (v[.languages] ?? "").replacingOccurrences(of: ",", with: "、")]))
        }
        out.append(("civil-affairs", try save("civil-affairs.csv", ca, gbk: false, bom: true)))

        // 残联: disabled residents, GBK; one row exported twice.
        var df = [CSVWriter.line(["姓名", "身份证号", "残疾证号", "残疾类别", "残疾等级", "联系电话"])]
        let grades = ["", "一级", "二级", "三级", "四级"]
        for r in people where r.values[.disabilityType] != nil {
            let v = r.values
            let type = DisabilityType(rawValue: Int(v[.disabilityType]!)!)!.chinese
            let line = CSVWriter.line([v[.name] ?? "", r.id.value, v[.disabilityCertificate] ?? "", type, grades[Int(v[.disabilityGrade] ?? "0") ?? 0], v[.phone] ?? ""])
            df.append(line)
            if df.count == 3 { df.append(line) }
        }
        out.append(("disabled-federation", try save("disabled-federation.csv", df, gbk: true, bom: false)))

        // 卫健: bedridden and incapacitated; UTF-8; the copy was cut off in the middle of the last row.
        var he = [CSVWriter.line(["姓名", "身份证号码", "是否长期卧床", "失能等级", "固定电话"])]
        let levels = ["", "轻度失能", "中度失能", "重度失能"]
        for r in people where r.values[.bedridden] != nil || r.values[.incapacityLevel] != nil {
            let v = r.values
            he.append(CSVWriter.line([v[.name] ?? "", r.id.value, v[.bedridden] == "1" ? "是" : "否", levels[Int(v[.incapacityLevel] ?? "0") ?? 0], v[.landline] ?? ""]))
        }
        out.append(("health", try save("health.csv", he, gbk: false, bom: false, cutLast: he.count > 2)))
        return out
    }
}
