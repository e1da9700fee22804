import Registry

/// Who receives a message about a resident.
public struct Recipient: Sendable, Equatable, Encodable {
    public enum Role: String, Sendable, Codable { case resident, guardian }
    public let role: Role
    public let name: String
    /// For a guardian: how they are related to the resident, e.g. 儿子.
    public let relation: String?
    public let phone: PhoneNumber

    public init(role: Role, name: String, relation: String? = nil, phone: PhoneNumber) {
        self.role = role
        self.name = name
        self.relation = relation
        self.phone = phone
    }

    enum CodingKeys: String, CodingKey { case role, name, relation, phone }
    /// The phone is always encoded masked.
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(role, forKey: .role)
        try c.encode(name, forKey: .name)
        try c.encodeIfPresent(relation, forKey: .relation)
        try c.encode(phone.masked, forKey: .phone)
    }
}

/// How (and whether) a resident is told: recipient, channels, and why.
public struct ChannelChoice: Sendable, Equatable, Encodable {
    /// nil when nothing is sent by phone.
    public let recipient: Recipient?
    /// Empty when nothing is sent by phone.
    public let channels: [ExplainerChannel]
    /// The reason, in Chinese, for the coordinator.
    public let reason: String

    public var sendsNothing: Bool { recipient == nil || channels.isEmpty }

    static func none(_ reason: String) -> ChannelChoice { ChannelChoice(recipient: nil, channels: [], reason: reason) }
}

/// Chooses recipient and channel for a resident (pure).
///
/// - Deceased or moved-out residents get nothing.
/// - Someone whose guardian handles their affairs (bedridden, incapacitated, intellectual disability) is
///   never messaged directly: the guardian gets an SMS (a voice call to a landline) that names whom it is about.
/// - Someone blind, or who cannot read, gets voice; a deaf resident never gets voice.
/// - Otherwise an SMS to their own mobile; with no usable own phone, the guardian if there is one; else a visit.
public enum ChannelChooser {
    public static func choose(for r: Resident) -> ChannelChoice {
        switch r.lifeStatus {
        case .deceased: return .none("已故，不发")
        case .movedOut: return .none("已迁出，不发")
        case .alive: break
        }
        let handled = guardianHandlesAffairs(r)
        let blind = r.disabilityType == .visual
        let deaf = r.disabilityType == .hearing
        let reads = r.canRead ?? true
        if let why = handled {
            if let g = guardian(r) { return g.choice("由监护人代办（\(why)），发给监护人") }
            return .none("由监护人代办（\(why)），但没有监护人电话：上门告知")
        }
        // A landline cannot take an SMS but can take a voice call.
        let own = r.phone ?? r[.landline].map { PhoneNumber.landline($0) }
        if deaf {
            if let own, own.canReceiveSMS, reads, !blind {
                return ChannelChoice(recipient: Recipient(role: .resident, name: r.name, phone: own), channels: [.sms], reason: "听力残疾，只发短信")
            }
            if let g = guardian(r) { return g.choice("听力残疾，本人不能看短信，发给监护人") }
            return .none("听力残疾，不能收语音，也不能看短信：上门告知")
        }
        if blind || !reads {
            let why = blind ? "视力残疾" : "不识字"
            if let own { return ChannelChoice(recipient: Recipient(role: .resident, name: r.name, phone: own), channels: [.voice], reason: "\(why)，发语音") }
            if let g = guardian(r) { return g.choice("\(why)，本人没有电话，发给监护人") }
            return .none("\(why)，没有电话：上门告知")
        }
        if let own {
            return own.canReceiveSMS
                ? ChannelChoice(recipient: Recipient(role: .resident, name: r.name, phone: own), channels: [.sms], reason: "识字，有手机，发短信")
                : ChannelChoice(recipient: Recipient(role: .resident, name: r.name, phone: own), channels: [.voice], reason: "只有座机，发语音")
        }
        if let g = guardian(r) { return g.choice("本人没有电话，发给监护人") }
        return .none("没有电话：上门告知")
    }

    /// Why the guardian handles this resident's affairs, or nil.
    public static func guardianHandlesAffairs(_ r: Resident) -> String? {
        if r[.bedridden] == "1" { return "长期卧床" }
        if r[.incapacityLevel] != nil { return "失能" }
        if r.disabilityType == .intellectual { return "智力残疾" }
        return nil
    }

    struct Guardian {
        let recipient: Recipient
        func choice(_ reason: String) -> ChannelChoice {
            ChannelChoice(recipient: recipient, channels: [recipient.phone.canReceiveSMS ? .sms : .voice], reason: reason)
        }
    }

    static func guardian(_ r: Resident) -> Guardian? {
        guard let phone = r.guardianPhone, let name = r[.guardianName], !name.isEmpty else { return nil }
        return Guardian(recipient: Recipient(role: .guardian, name: name, relation: r[.guardianRelation], phone: phone))
    }
}

extension ChannelChooser {
    /// How the resident can be reached, by the same rules as the channel choice: SMS (to them or
    /// their guardian), voice, or only in person.
    public static func reachability(for r: Resident) -> Reachability {
        let choice = choose(for: r)
        if choice.sendsNothing { return .inPerson }
        return choice.channels.contains(.sms) ? .sms : .voice
    }
}
