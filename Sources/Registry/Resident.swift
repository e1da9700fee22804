/// A person in the real-name register, as a typed view over the stored field values.
///
/// The store keeps each field as a normalised string with its provenance; `Resident` reads
/// them into domain types for rules (categories, reachability) and display.
public struct Resident: Sendable {
    public var id: ResidentID
    public var fields: [ResidentField: String]

    public init(id: ResidentID, fields: [ResidentField: String]) {
        self.id = id
        self.fields = fields
    }

    public subscript(_ f: ResidentField) -> String? { fields[f] }

    public var name: String { fields[.name] ?? "" }
    public var sex: Sex { fields[.sex].flatMap(Sex.init(rawValue:)) ?? id.sex }
    public var birthDate: CalendarDate { fields[.birthDate].flatMap(CalendarDate.init(parsing:)) ?? id.birthDate }
    public var phone: PhoneNumber? { fields[.phone].map(PhoneNumber.init(stored:)) }
    public var guardianPhone: PhoneNumber? { fields[.guardianPhone].map(PhoneNumber.init(stored:)) }
    public var areaCode: AreaCode? { fields[.areaCode].flatMap { try? AreaCode($0) } }
    public var disabilityType: DisabilityType? { fields[.disabilityType].flatMap(Int.init).flatMap(DisabilityType.init(rawValue:)) }
    public var disabilityGrade: Int? { fields[.disabilityGrade].flatMap(Int.init) }
    public var pensionScheme: PensionScheme? { fields[.pensionScheme].flatMap(PensionScheme.init(rawValue:)) }
    public var canRead: Bool? { fields[.literacy].map { $0 == "reads" } }
    public var languages: [String] { fields[.languages].map { $0.split(separator: ",").map(String.init) } ?? [] }

    public var lifeStatus: LifeStatus {
        if fields[.deathDate] != nil { return .deceased }
        if fields[.moveOutDate] != nil { return .movedOut }
        return .alive
    }

    public func age(on date: CalendarDate) -> Int { birthDate.age(on: date) }

    /// The categories this person falls in on `date`, given the rules in content.
    public func categories(on date: CalendarDate, rules: RegistryRules) -> [Category] {
        var out: [Category] = []
        if age(on: date) >= rules.elderlyAge { out.append(.elderly) }
        if fields[.disabilityType] != nil { out.append(.disabled) }
        if let l = fields[.livingArrangement], l == "alone" || l == "spouse_only" { out.append(.emptyNest) }
        if fields[.bedridden] == "1" { out.append(.bedridden) }
        if fields[.incapacityLevel] != nil { out.append(.incapacitated) }
        let assistance = Set((fields[.assistance] ?? "").split(separator: ",").map(String.init))
        for c in [Category.minimumLiving, .extremePoverty, .povertyMonitoring] where assistance.contains(c.rawValue) {
            out.append(c)
        }
        return out
    }
}

/// How a resident can be reached, as `registry stats` counts it. Outreach decides it for each
/// resident with the same rules that choose an explainer's channel (`ChannelChooser`).
public enum Reachability: String, Sendable, CaseIterable {
    /// Has a mobile (own or guardian's) and can read, or has a guardian who reads for them.
    case sms
    /// Has a phone but cannot read, or is blind: a voice message.
    case voice
    /// No usable phone, or neither channel fits: a visit.
    case inPerson = "in_person"

    public var chinese: String {
        switch self { case .sms: return "短信"; case .voice: return "语音"; case .inPerson: return "仅上门" }
    }
}

/// Registry rules that are policy, loaded from `content/registry.yaml`.
public struct RegistryRules: Sendable, Equatable {
    /// Age from which a resident counts as 高龄.
    public var elderlyAge: Int
    public init(elderlyAge: Int) { self.elderlyAge = elderlyAge }
}
