import Messaging

/// What a resident's reply SMS asks for (pure).
public enum InboundReply: Sendable, Equatable {
    /// 退订, TD, STOP…: no more messages to this phone.
    case optOut
    /// "请回电", "打电话给我"…: someone should call or come by.
    case callMe
    /// Anything else: kept on record, nothing done.
    case other

    /// Phrases that ask for a call or a visit. Chinese phrases may appear anywhere in the text; the Latin
    /// ones must be the whole message, as with the opt-out keywords.
    public static let callMePhrases = ["回电", "回个电话", "打电话", "来电话", "给我电话", "联系我", "上门", "来我家", "不明白", "看不懂", "听不懂", "咨询"]
    public static let callMeLatin = ["CALL", "CALLME", "HD"]

    public static func classify(_ text: String, optOut: OptOutKeywords = .standard) -> InboundReply {
        if optOut.matches(text) { return .optOut }
        let compact = String(String.UnicodeScalarView(text.precomposedStringWithCompatibilityMapping.uppercased().unicodeScalars.filter {
            !$0.properties.isWhitespace && !$0.properties.isPunctuationLike
        }))
        if callMeLatin.contains(compact) { return .callMe }
        if callMePhrases.contains(where: { compact.contains($0) }) { return .callMe }
        return .other
    }
}

extension Unicode.Scalar.Properties {
    var isPunctuationLike: Bool {
        switch generalCategory {
        case .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation, .initialPunctuation,
             .finalPunctuation, .otherPunctuation, .mathSymbol, .otherSymbol, .control, .format:
            return true
        default:
            return false
        }
    }
}
