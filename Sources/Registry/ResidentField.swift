/// A field of a resident record, as import mappings, provenance and the store name it.
///
/// The raw value is the stable name used in `content/import/*.yaml` and in the database.
public enum ResidentField: String, CaseIterable, Sendable, Codable, Comparable {
    case id
    case name
    case sex
    case birthDate = "birth_date"
    case ethnicity
    case languages
    case phone
    case landline
    case guardianName = "guardian_name"
    case guardianRelation = "guardian_relation"
    case guardianPhone = "guardian_phone"
    case address
    case areaCode = "area_code"
    case latitude
    case longitude
    case literacy
    case disabilityType = "disability_type"
    case disabilityGrade = "disability_grade"
    case disabilityCertificate = "disability_certificate"
    case livingArrangement = "living_arrangement"
    case bedridden
    case incapacityLevel = "incapacity_level"
    case assistance
    case pensionScheme = "pension_scheme"
    case pensionTierFen = "pension_tier_fen"
    case pensionYears = "pension_years"
    case lastCertification = "last_certification"
    case deathDate = "death_date"
    case moveOutDate = "move_out_date"
    case householdID = "household_id"

    /// Fields that merge like any other; `id` is the key and never merges.
    public static let mergeable: [ResidentField] = allCases.filter { $0 != .id }

    public static func < (a: ResidentField, b: ResidentField) -> Bool { a.rawValue < b.rawValue }
}

/// The categories of residents the service looks after.
public enum Category: String, CaseIterable, Sendable, Codable {
    case elderly            // 高龄
    case disabled           // 残疾
    case emptyNest = "empty_nest"          // 空巢
    case bedridden          // 长期卧床
    case incapacitated      // 失能
    case minimumLiving = "dibao"           // 低保
    case extremePoverty = "tekun"          // 特困
    case povertyMonitoring = "fanpin"      // 防返贫监测

    public var chinese: String {
        switch self {
        case .elderly: return "高龄"
        case .disabled: return "残疾"
        case .emptyNest: return "空巢"
        case .bedridden: return "长期卧床"
        case .incapacitated: return "失能"
        case .minimumLiving: return "低保"
        case .extremePoverty: return "特困"
        case .povertyMonitoring: return "防返贫监测"
        }
    }

    /// Accepts the English code or the Chinese name.
    public init?(label: String) {
        let s = label.trimmingSpaces()
        if let c = Category(rawValue: s) { self = c; return }
        if let c = Category.allCases.first(where: { $0.chinese == s }) { self = c; return }
        return nil
    }
}

/// Disability types as numbered on the second-generation certificate.
public enum DisabilityType: Int, CaseIterable, Sendable {
    case visual = 1, hearing, speech, physical, intellectual, mental, multiple

    public var chinese: String {
        ["视力", "听力", "言语", "肢体", "智力", "精神", "多重"][rawValue - 1]
    }
}

/// Where a person stands with the pension schemes.
public enum PensionScheme: String, CaseIterable, Sendable {
    case none
    case resident
    case employee
    case receiving

    public var chinese: String {
        switch self {
        case .none: return "未参保"
        case .resident: return "城乡居民养老保险"
        case .employee: return "职工养老保险"
        case .receiving: return "领取养老金"
        }
    }
}

/// Alive, or why outreach has stopped.
public enum LifeStatus: String, Sendable, CaseIterable {
    case alive
    case deceased
    case movedOut = "moved_out"

    public var chinese: String {
        switch self { case .alive: return "在世"; case .deceased: return "已故"; case .movedOut: return "已迁出" }
    }
}

public enum Sex: String, Sendable {
    case male = "M"
    case female = "F"
    public var chinese: String { self == .male ? "男" : "女" }
}
