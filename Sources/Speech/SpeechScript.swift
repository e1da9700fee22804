/// Synthesis input for older listeners (pure): normalised text, sentence pauses, and the closing repeat.
///
/// Built as SSML for espeak-ng: a pause after every sentence, and, when asked, a longer pause,
/// "我再说一遍。", and the key sentences said again.
public struct SpeechScript: Sendable, Equatable {
    /// The text as it will be heard (after number normalisation), for display and for the cache key.
    public let spokenText: String
    /// The SSML handed to the synthesiser.
    public let ssml: String

    public init(text: String, closingRepeat: String? = nil, voice: String, settings: SpeechSettings = .default) {
        let fixes = PronunciationFixes.forVoice(voice)
        let body = MandarinNormalizer.normalize(text)
        let closing = closingRepeat.map(MandarinNormalizer.normalize)
        var spoken = body
        if let closing { spoken += "\n我再说一遍。" + closing }
        spokenText = spoken

        let pause = "<break time=\"\(settings.sentencePauseMilliseconds)ms\"/>"
        var parts = Self.sentences(body).map { Self.escaped(fixes.apply(to: $0)) }
        if let closing {
            parts.append("<break time=\"\(settings.closingPauseMilliseconds)ms\"/>我再说一遍。")
            parts += Self.sentences(closing).map { Self.escaped(fixes.apply(to: $0)) }
        }
        ssml = "<speak>" + parts.joined(separator: pause) + "</speak>"
    }

    /// Splits after 。！？!?； and at line breaks, keeping the punctuation; drops empty pieces.
    public static func sentences(_ text: String) -> [String] {
        var out: [String] = []
        var current = ""
        for c in text {
            if c == "\n" || c == "\r" {
                out.append(current); current = ""
                continue
            }
            current.append(c)
            if "。！？!?；;".contains(c) { out.append(current); current = "" }
        }
        out.append(current)
        return out.map { $0.trimmingSpaces }.filter { !$0.isEmpty }
    }

    static func escaped(_ s: String) -> String {
        var out = ""
        for c in s {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            default: out.append(c)
            }
        }
        return out
    }
}

extension String {
    var trimmingSpaces: String {
        var s = Substring(self)
        while let f = s.first, f == " " || f == "\t" || f == "\u{3000}" { s.removeFirst() }
        while let l = s.last, l == " " || l == "\t" || l == "\u{3000}" { s.removeLast() }
        return String(s)
    }
}
