import Registry

/// Who an explainer suits: rules over age, categories, pension status, area and a few service conditions.
/// Every rule given must hold; an empty list means "any".
public struct ExplainerAudience: Sendable, Equatable {
    public var minAge: Int?
    public var maxAge: Int?
    /// Pension situations in the register (`none`, `resident`, `employee`, `receiving`).
    public var pension: [PensionScheme]
    /// The resident must be in at least one of these categories.
    public var categoriesAny: [Category]
    /// The resident must be in none of these categories.
    public var categoriesNone: [Category]
    /// Area-code prefixes (digits); the resident's area must start with one.
    public var areas: [String]
    public var conditions: [AudienceCondition]

    public init(minAge: Int? = nil, maxAge: Int? = nil, pension: [PensionScheme] = [], categoriesAny: [Category] = [],
                categoriesNone: [Category] = [], areas: [String] = [], conditions: [AudienceCondition] = []) {
        self.minAge = minAge
        self.maxAge = maxAge
        self.pension = pension
        self.categoriesAny = categoriesAny
        self.categoriesNone = categoriesNone
        self.areas = areas
        self.conditions = conditions
    }

    /// Whether `resident` is in this audience on `date`; nil if so, else the first rule that fails (in Chinese).
    public func mismatch(_ resident: Resident, on date: CalendarDate, rules: RegistryRules, facts: AudienceFacts) -> String? {
        let age = resident.age(on: date)
        if let minAge, age < minAge { return "年龄\(age)岁，不到\(minAge)岁" }
        if let maxAge, age > maxAge { return "年龄\(age)岁，超过\(maxAge)岁" }
        if !pension.isEmpty {
            guard let scheme = resident.pensionScheme, pension.contains(scheme) else {
                return "参保情况（\(resident.pensionScheme?.chinese ?? "不详")）不在\(pension.map(\.chinese).joined(separator: "、"))之列"
            }
        }
        let categories = resident.categories(on: date, rules: rules)
        if !categoriesAny.isEmpty, !categoriesAny.contains(where: categories.contains) {
            return "不属于\(categoriesAny.map(\.chinese).joined(separator: "、"))"
        }
        if let c = categoriesNone.first(where: categories.contains) { return "属于\(c.chinese)，不发" }
        if !areas.isEmpty {
            guard let area = resident.areaCode, areas.contains(where: area.isWithin) else { return "不在本说明的地区范围内" }
        }
        for condition in conditions {
            if let why = condition.mismatch(resident, on: date, facts: facts) { return why }
        }
        return nil
    }
}

/// Service conditions an audience can require; each is checked from the register (and a planned visit).
public enum AudienceCondition: Sendable, Equatable {
    /// Receiving a pension and the last certification is at least this many days old (or not recorded).
    case certificationDueAfterDays(Int)
    /// Reaches the resident claim age within this many months (or reached it less than that many months ago).
    case claimAgeWithinMonths(Int)
    /// In a group whose contribution the government pays (低保, 特困, 防返贫监测, severe disability).
    case governmentPays
    /// A visit by the team is planned.
    case visitPlanned

    func mismatch(_ r: Resident, on date: CalendarDate, facts: AudienceFacts) -> String? {
        switch self {
        case let .certificationDueAfterDays(days):
            guard r.pensionScheme == .receiving else { return "不在领取养老金" }
            if let last = r[.lastCertification].flatMap(CalendarDate.init(parsing:)),
               date.daysSinceEpoch - last.daysSinceEpoch < days {
                return "上次认证在\(last)，还不到\(days)天"
            }
            return nil
        case let .claimAgeWithinMonths(window):
            guard let claimAge = facts.claimAge else { return "领取年龄未知" }
            let months = (date.year - r.birthDate.year) * 12 + (date.month - r.birthDate.month) - (date.day < r.birthDate.day ? 1 : 0)
            let toClaim = claimAge * 12 - months
            return abs(toClaim) <= window ? nil
                : toClaim > 0 ? "离\(claimAge)岁还有\(toClaim)个月，不在\(window)个月之内" : "已满\(claimAge)岁超过\(window)个月"
        case .governmentPays:
            return facts.hardshipGroup == nil ? "不属于政府代缴的困难群体" : nil
        case .visitPlanned:
            return facts.visit == nil ? "没有安排上门" : nil
        }
    }
}

/// What the audience rules need beyond the register: a planned visit, the hardship group, the claim age.
public struct AudienceFacts: Sendable, Equatable {
    public var visit: CalendarDate?
    /// The `resident.hardshipGroups` group the resident falls in, if any.
    public var hardshipGroup: String?
    /// The resident scheme's claim age in force (from the policy book).
    public var claimAge: Int?
    public init(visit: CalendarDate? = nil, hardshipGroup: String? = nil, claimAge: Int? = nil) {
        self.visit = visit
        self.hardshipGroup = hardshipGroup
        self.claimAge = claimAge
    }
}
