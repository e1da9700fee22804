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

    /// The field's position in `allCases`. Hashing uses it: a String-backed enum would
    /// otherwise hash its raw value, which dominates imports of millions of rows.
    public var ordinal: Int {
        switch self {
        case .id: return 0
        case .name: return 1
        case .sex: return 2
        case .birthDate: return 3
        case .ethnicity: return 4
        case .languages: return 5
        case .phone: return 6
        case .landline: return 7
        case .guardianName: return 8
        case .guardianRelation: return 9
        case .guardianPhone: return 10
        case .address: return 11
        case .areaCode: return 12
        case .latitude: return 13
        case .longitude: return 14
        case .literacy: return 15
        case .disabilityType: return 16
        case .disabilityGrade: return 17
        case .disabilityCertificate: return 18
        case .livingArrangement: return 19
        case .bedridden: return 20
        case .incapacityLevel: return 21
        case .assistance: return 22
        case .pensionScheme: return 23
        case .pensionTierFen: return 24
        case .pensionYears: return 25
        case .lastCertification: return 26
        case .deathDate: return 27
        case .moveOutDate: return 28
        case .householdID: return 29
        }
    }

    public func hash(into hasher: inout Hasher) { hasher.combine(ordinal) }
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
