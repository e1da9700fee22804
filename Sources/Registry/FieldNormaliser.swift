import Foundation

/// Turns a cell as departments write it into the stored form of a field, or says why it can't.
///
/// Empty cells give nil: a department that leaves a cell empty says nothing about it.
public enum FieldNormaliser {
    public static func normalise(_ field: ResidentField, _ raw: String) throws(FieldError) -> String? {
        let s = raw.trimmingSpaces()
        if s.isEmpty { return nil }
        if s.utf8.count <= 3, s == "-" || s == "—" || s == "无" { return nil }
        switch field {
        case .id:
            do { return try ResidentID(s).value } catch { throw FieldError(error.description) }
        case .name, .address, .guardianName, .guardianRelation, .householdID, .ethnicity:
            return s
        case .sex:
            switch s {
            case "男", "M", "m", "1", "男性": return "M"
            case "女", "F", "f", "2", "女性": return "F"
            default: throw FieldError("sex '\(s)' is not 男 or 女")
            }
        case .birthDate, .lastCertification, .deathDate, .moveOutDate:
            guard let d = CalendarDate(parsing: s) else {
                throw FieldError("'\(s)' is not a possible date; write it as 1950-01-01, 1950/1/1 or 19500101")
            }
            return d.description
        case .phone, .guardianPhone:
            do { return try PhoneNumber(s).value } catch { throw FieldError(error.description) }
        case .landline:
            return s
        case .areaCode:
            do { return try AreaCode(s).value } catch { throw FieldError(error.description) }
        case .latitude, .longitude:
            guard let v = Double(s), field == .latitude ? (-90...90).contains(v) : (-180...180).contains(v) else {
                throw FieldError("'\(s)' is not a \(field == .latitude ? "latitude" : "longitude") in decimal degrees")
            }
            return s
        case .languages:
            let parts = s.split(whereSeparator: { "、,，/;； ".contains($0) }).map { String($0) }
            return parts.joined(separator: ",")
        case .literacy:
            switch s {
            case "是", "能", "识字", "会", "Y", "y", "1", "reads": return "reads"
            case "否", "不能", "不识字", "文盲", "不会", "N", "n", "0", "cannot_read": return "cannot_read"
            default: throw FieldError("literacy '\(s)' should be 是 or 否")
            }
        case .disabilityType:
            if let n = Int(s), (1...7).contains(n) { return String(n) }
            let stripped = s.replacingOccurrences(of: "残疾", with: "")
            if let t = DisabilityType.allCases.first(where: { $0.chinese == stripped }) { return String(t.rawValue) }
            if s == "无" { return nil }
            throw FieldError("disability type '\(s)' is not one of 视力, 听力, 言语, 肢体, 智力, 精神, 多重 (or 1–7)")
        case .disabilityGrade:
            let map = ["一级": 1, "二级": 2, "三级": 3, "四级": 4, "1级": 1, "2级": 2, "3级": 3, "4级": 4]
            if let n = Int(s), (1...4).contains(n) { return String(n) }
            if let n = map[s] { return String(n) }
            throw FieldError("disability grade '\(s)' is not 一级 to 四级 (1–4)")
        case .disabilityCertificate:
            let up = s.uppercased()
            guard up.utf8.count == 20 else { throw FieldError("certificate number '\(s)' has \(s.count) characters; the second-generation certificate has 20") }
            return up
        case .livingArrangement:
            switch s {
            case "独居", "alone", "一人居住": return "alone"
            case "与配偶同住", "仅与配偶同住", "夫妻同住", "spouse_only", "老两口": return "spouse_only"
            case "与子女同住", "与家人同住", "with_family", "非独居": return "with_family"
            case "是": return "alone"   // a yes/no 是否空巢 column: at least empty-nest
            case "否": return "with_family"
            default: throw FieldError("living arrangement '\(s)' should be 独居, 与配偶同住 or 与子女同住")
            }
        case .bedridden:
            switch s {
            case "是", "Y", "y", "1", "长期卧床", "卧床": return "1"
            case "否", "N", "n", "0": return "0"
            default: throw FieldError("bedridden '\(s)' should be 是 or 否")
            }
        case .incapacityLevel:
            switch s {
            case "轻度", "轻度失能", "1": return "1"
            case "中度", "中度失能", "2": return "2"
            case "重度", "重度失能", "完全失能", "3": return "3"
            case "否", "无", "能力完好", "0": return nil
            default: throw FieldError("incapacity level '\(s)' should be 轻度, 中度 or 重度")
            }
        case .assistance:
            var codes = Set<String>()
            for part in s.split(whereSeparator: { "、,，/;； ".contains($0) }) {
                let p = String(part)
                if p.contains("低保") { codes.insert(Category.minimumLiving.rawValue) }
                else if p.contains("特困") || p.contains("五保") { codes.insert(Category.extremePoverty.rawValue) }
                else if p.contains("监测") || p.contains("防返贫") || p.contains("脱贫不稳定") || p.contains("边缘易致贫") { codes.insert(Category.povertyMonitoring.rawValue) }
                else if p == "无" || p == "否" { continue }
                else { throw FieldError("assistance category '\(p)' is not 低保, 特困 or 防返贫监测") }
            }
            return codes.isEmpty ? nil : codes.sorted().joined(separator: ",")
        case .pensionScheme:
            switch s {  // the usual spellings first, without searching
            case "未参保": return PensionScheme.none.rawValue
            case "城乡居民养老保险", "城乡居民": return PensionScheme.resident.rawValue
            case "企业职工养老保险", "职工养老保险": return PensionScheme.employee.rawValue
            case "待遇领取", "领取待遇": return PensionScheme.receiving.rawValue
            default: break
            }
            if s.contains("未参保") || s == "否" || s == "none" { return PensionScheme.none.rawValue }
            if s.contains("领取") || s.contains("待遇") || s == "receiving" { return PensionScheme.receiving.rawValue }
            if s.contains("职工") || s.contains("企业") || s.contains("灵活就业") || s == "employee" { return PensionScheme.employee.rawValue }
            if s.contains("居民") || s.contains("城乡") || s.contains("新农保") || s == "resident" { return PensionScheme.resident.rawValue }
            throw FieldError("pension status '\(s)' should be 未参保, 城乡居民, 职工 or 待遇领取")
        case .pensionTierFen:
            if let fen = FieldNormaliser.wholeYuan(s) { return String(fen) }
            let digits = s.replacingOccurrences(of: "元", with: "").replacingOccurrences(of: "档", with: "")
                .replacingOccurrences(of: "/年", with: "").trimmingSpaces()
            guard let d = Decimal(string: digits), d > 0, d < 100_000 else {
                throw FieldError("contribution tier '\(s)' should be a yearly amount in yuan such as 200 or 200元")
            }
            var fen = d * 100
            var rounded = Decimal()
            NSDecimalRound(&rounded, &fen, 0, .plain)
            return "\(rounded)"
        case .pensionYears:
            guard let n = Int(s) ?? Int(s.replacingOccurrences(of: "年", with: "")), (0...60).contains(n) else {
                throw FieldError("contribution years '\(s)' should be a whole number of years, 0 to 60")
            }
            return String(n)
        }
    }
}

extension FieldNormaliser {
    /// "200" or "200元" → 20000 fen, without Foundation; nil for anything else.
    static func wholeYuan(_ s: String) -> Int? {
        var n = 0, digits = 0
        var u = Substring(s).utf8
        if u.count > 3, u.suffix(3).elementsEqual("元".utf8) { u = u.dropLast(3) }
        for b in u {
            guard b >= 48 && b <= 57 else { return nil }
            n = n * 10 + Int(b - 48)
            digits += 1
        }
        guard (1...5).contains(digits), n > 0 else { return nil }
        return n * 100
    }
}

/// Why one cell was not accepted.
public struct FieldError: Error, Equatable, Sendable, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
