/// The GSM 03.38 default alphabet and its extension table, as carriers count them.
///
/// A character of the basic table costs one septet; a character of the extension table is sent as
/// ESC + code and costs two. Anything else forces the whole message into UCS-2.
public enum GSM7Alphabet {
    /// Characters of the basic table (one septet each), as Unicode scalars.
    public static let basic: Set<Unicode.Scalar> = {
        let table: [Unicode.Scalar] = [
            "@", "\u{00A3}", "$", "\u{00A5}", "\u{00E8}", "\u{00E9}", "\u{00F9}", "\u{00EC}",
            "\u{00F2}", "\u{00C7}", "\n", "\u{00D8}", "\u{00F8}", "\r", "\u{00C5}", "\u{00E5}",
            "\u{0394}", "_", "\u{03A6}", "\u{0393}", "\u{039B}", "\u{03A9}", "\u{03A0}", "\u{03A8}",
            "\u{03A3}", "\u{0398}", "\u{039E}", /* 0x1B = ESC */ "\u{00C6}", "\u{00E6}", "\u{00DF}", "\u{00C9}",
            " ", "!", "\"", "#", "\u{00A4}", "%", "&", "'", "(", ")", "*", "+", ",", "-", ".", "/",
            "0", "1", "2", "3", "4", "5", "6", "7", "8", "9", ":", ";", "<", "=", ">", "?",
            "\u{00A1}", "A", "B", "C", "D", "E", "F", "G", "H", "I", "J", "K", "L", "M", "N", "O",
            "P", "Q", "R", "S", "T", "U", "V", "W", "X", "Y", "Z", "\u{00C4}", "\u{00D6}", "\u{00D1}", "\u{00DC}", "\u{00A7}",
            "\u{00BF}", "a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l", "m", "n", "o",
            "p", "q", "r", "s", "t", "u", "v", "w", "x", "y", "z", "\u{00E4}", "\u{00F6}", "\u{00F1}", "\u{00FC}", "\u{00E0}",
        ]
        return Set(table)
    }()

    /// Characters of the extension table (ESC + code, two septets each): form feed `^ { } \ [ ~ ] | €`.
    public static let extended: Set<Unicode.Scalar> = [
        "\u{000C}", "^", "{", "}", "\\", "[", "~", "]", "|", "\u{20AC}",
    ]

    /// Septets the scalar costs in GSM-7, or nil when it is not in the alphabet.
    public static func septets(_ scalar: Unicode.Scalar) -> Int? {
        if basic.contains(scalar) { return 1 }
        if extended.contains(scalar) { return 2 }
        return nil
    }

    /// Whether every scalar of `text` can be sent in GSM-7.
    public static func canEncode(_ text: String) -> Bool {
        text.unicodeScalars.allSatisfy { septets($0) != nil }
    }
}
