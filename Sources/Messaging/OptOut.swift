import Foundation

/// Recognises an inbound SMS that asks to stop messages (退订, TD, STOP …).
///
/// The text is normalised first (full-width letters and digits to ASCII, upper case, whitespace and
/// punctuation dropped). A Latin keyword must be the whole message ("td", "Ｔ Ｄ", "STOP!"), so it
/// never matches inside a word; a Chinese keyword may appear anywhere ("我要退订").
public struct OptOutKeywords: Sendable, Equatable {
    public let keywords: [String]

    /// `keywords` as a coordinator writes them; compared after the same normalisation as messages.
    public init(_ keywords: [String]) {
        self.keywords = keywords.map(Self.normalise).filter { !$0.isEmpty }
    }

    /// 退订, TD, T, STOP, 拒收: the replies Chinese carriers' notices ask for ("回T退订").
    public static let standard = OptOutKeywords(["退订", "TD", "T", "STOP", "UNSUBSCRIBE", "拒收"])

    /// Whether `message` asks to opt out.
    public func matches(_ message: String) -> Bool {
        let text = Self.normalise(message)
        guard !text.isEmpty else { return false }
        for keyword in keywords {
            if text == keyword { return true }
            let isLatin = keyword.unicodeScalars.allSatisfy { $0.isASCII }
            if !isLatin && text.contains(keyword) { return true }
        }
        return false
    }

    static func normalise(_ text: String) -> String {
        let folded = text.precomposedStringWithCompatibilityMapping.uppercased()
        var out = String.UnicodeScalarView()
        for scalar in folded.unicodeScalars {
            let p = scalar.properties
            if p.isWhitespace { continue }
            switch p.generalCategory {
            case .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation,
                 .initialPunctuation, .finalPunctuation, .otherPunctuation, .mathSymbol, .otherSymbol,
                 .control, .format:
                continue
            default:
                out.append(scalar)
            }
        }
        return String(out)
    }
}
