import Messaging
import Registry

/// An explainer's SMS as a carrier counts it.
public struct SMSRendering: Sendable, Equatable, Encodable {
    public enum Variant: String, Sendable, Codable { case full, short }
    /// The text without the signature.
    public let body: String
    /// Signature and body: what the carrier sends and counts.
    public let text: String
    public let variant: Variant
    public let encoding: SMSEncoding
    public let units: Int
    public let segments: Int
    /// Units of body text that fit one segment after the signature.
    public let budget: Int
    /// When the short variant was used: units of the full text, which did not fit.
    public let fullUnits: Int?

    public var withinBudget: Bool { segments == 1 }

    enum CodingKeys: String, CodingKey { case body, text, variant, encoding, units, segments, budget, fullUnits, withinBudget }
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(body, forKey: .body)
        try c.encode(text, forKey: .text)
        try c.encode(variant, forKey: .variant)
        try c.encode(encoding, forKey: .encoding)
        try c.encode(units, forKey: .units)
        try c.encode(segments, forKey: .segments)
        try c.encode(budget, forKey: .budget)
        try c.encodeIfPresent(fullUnits, forKey: .fullUnits)
        try c.encode(withinBudget, forKey: .withinBudget)
    }
}

/// An explainer's voice script: short sentences, one per line, for the speech module to read.
public struct VoiceRendering: Sendable, Equatable, Encodable {
    public let script: String
    public var sentences: [String] { script.split(separator: "\n").map(String.init) }
}

/// What one resident would receive for one explainer, with the figures used and their sources.
public struct ExplainerMessage: Sendable, Encodable {
    public let explainer: String
    public let question: String
    public let kind: ExplainerKind
    public let resident: ResidentID
    public let residentName: String
    public let choice: ChannelChoice
    /// Channels rendered: the chosen ones, or those asked for in a preview.
    public let rendered: [ExplainerChannel]
    public let sms: SMSRendering?
    public let voice: VoiceRendering?
    /// The same message as an approved provider template and its parameters, if the explainer has one.
    public let provider: SMSTemplateContent?
    public let figures: [FigureValue]
    /// True when a figure rests on an unverified parameter: the text says 以当地经办机构核定为准.
    public let confirmLocally: Bool

    /// Whether the channel is one the resident would actually receive (not only a preview).
    public func delivers(_ channel: ExplainerChannel) -> Bool { choice.channels.contains(channel) }

    enum CodingKeys: String, CodingKey {
        case explainer, question, kind, resident, residentName, choice, rendered, sms, voice, provider, figures, confirmLocally
    }
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(explainer, forKey: .explainer)
        try c.encode(question, forKey: .question)
        try c.encode(kind, forKey: .kind)
        try c.encode(resident.masked, forKey: .resident)
        try c.encode(residentName, forKey: .residentName)
        try c.encode(choice, forKey: .choice)
        try c.encode(rendered, forKey: .rendered)
        try c.encodeIfPresent(sms, forKey: .sms)
        try c.encodeIfPresent(voice, forKey: .voice)
        try c.encodeIfPresent(provider, forKey: .provider)
        try c.encode(figures, forKey: .figures)
        try c.encode(confirmLocally, forKey: .confirmLocally)
    }
}

/// An explainer for one resident: the message, or why it is not offered.
public enum ExplainerOutcome: Sendable, Encodable {
    case message(ExplainerMessage)
    case notOffered(explainer: String, question: String, reason: String)

    public var message: ExplainerMessage? { if case let .message(m) = self { m } else { nil } }
    public var explainer: String {
        switch self { case let .message(m): m.explainer; case let .notOffered(name, _, _): name }
    }

    enum CodingKeys: String, CodingKey { case explainer, question, offered, reason, message }
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        switch self {
        case let .message(m):
            try c.encode(m.explainer, forKey: .explainer)
            try c.encode(m.question, forKey: .question)
            try c.encode(true, forKey: .offered)
            try c.encode(m, forKey: .message)
        case let .notOffered(name, question, reason):
            try c.encode(name, forKey: .explainer)
            try c.encode(question, forKey: .question)
            try c.encode(false, forKey: .offered)
            try c.encode(reason, forKey: .reason)
        }
    }
}
