/// An 18-character resident identity number (公民身份号码, GB 11643-1999).
///
/// Stored normalised: 17 digits and a check character (`X` upper case). Parsing checks the
/// ISO 7064 MOD 11-2 check character and the embedded birth date, and upgrades a 15-digit
/// legacy number. The administrative code is where the number was first issued, not where
/// the person lives now.
public struct ResidentID: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// The normalised 18 characters.
    public let value: String
    /// A compact integer key: the 17 digits (the check character follows from them).
    public let key: Int64

    static let weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    static let checkCharacters: [Character] = ["1", "0", "X", "9", "8", "7", "6", "5", "4", "3", "2"]

    /// Parses and validates an ID as written in a department file or typed by a person.
    public init(_ raw: String) throws(ResidentIDError) {
        // Most IDs arrive already normalised: check them in place and keep the string as it is.
        if let key = ResidentID.keyIfNormalised(raw) {
            value = raw
            self.key = key
            return
        }
        let trimmed = raw.trimmingSpaces()
        if trimmed.isEmpty { throw .empty }
        // Spreadsheets turn the number into a float: 5.30102E+17, or 530102195001011000.
        if trimmed.utf8.contains(UInt8(ascii: "+")) && trimmed.utf8.contains(where: { $0 == UInt8(ascii: "E") || $0 == UInt8(ascii: "e") }) {
            throw .spreadsheetNumber(trimmed)
        }
        var chars = Array(trimmed.utf8)
        if let last = chars.last, last == UInt8(ascii: "x") { chars[chars.count - 1] = UInt8(ascii: "X") }
        switch chars.count {
        case 18:
            for c in chars.prefix(17) where !(c >= 48 && c <= 57) { throw .badCharacters(trimmed) }
            let last = chars[17]
            guard (last >= 48 && last <= 57) || last == UInt8(ascii: "X") else { throw .badCharacters(trimmed) }
            let expected = ResidentID.checkCharacter(chars.prefix(17))
            if Character(UnicodeScalar(last)) != expected {
                if chars.suffix(3) == [48, 48, 48] {
                    throw .spreadsheetNumber(trimmed)
                }
                throw .checksum(trimmed, expected: expected)
            }
            let value = String(decoding: chars, as: UTF8.self)
            guard ResidentID.birthDate(of: chars) != nil else { throw .impossibleBirthDate(trimmed) }
            guard chars[0] != 48 else { throw .noProvince(trimmed) }
            self.value = value
            self.key = ResidentID.key(of: chars)
        case 15:
            for c in chars where !(c >= 48 && c <= 57) { throw .badCharacters(trimmed) }
            var upgraded = Array(chars.prefix(6)) + [49, 57] + Array(chars.suffix(9))
            upgraded.append(ResidentID.checkCharacter(upgraded[...]).asciiValue!)
            guard ResidentID.birthDate(of: upgraded) != nil else { throw .impossibleBirthDate(trimmed) }
            guard upgraded[0] != 48 else { throw .noProvince(trimmed) }
            self.value = String(decoding: upgraded, as: UTF8.self)
            self.key = ResidentID.key(of: upgraded)
        default:
            if chars.allSatisfy({ $0 >= 48 && $0 <= 57 || $0 == 46 }) && chars.contains(46) {
                throw .spreadsheetNumber(trimmed)
            }
            throw .wrongLength(trimmed, count: trimmed.count)
        }
    }

    /// Builds a valid ID from its parts, computing the check character (used by the demo county).
    public init(area: String, birth: CalendarDate, sequence: Int) {
        let body = area + String(format4(birth.year)) + pad2(birth.month) + pad2(birth.day) + pad3(sequence)
        let bytes = Array(body.utf8)
        value = body + String(ResidentID.checkCharacter(bytes[...]))
        key = ResidentID.key(of: bytes)
    }

    /// The ID of a stored key (its 17 digits; the check character is computed). Nil if the key
    /// cannot be an ID: more than 17 digits, or no possible birth date in it. (IDs starting with 0 are
    /// refused now, but a register written before may hold one: its key has fewer digits and is padded.)
    public init?(key: Int64) {
        guard key > 0, key <= 99_999_999_999_999_999 else { return nil }
        var digits = [UInt8](repeating: 48, count: 17)
        var n = key
        for i in stride(from: 16, through: 0, by: -1) { digits[i] = UInt8(48 + n % 10); n /= 10 }
        guard ResidentID.birthDate(of: digits) != nil else { return nil }
        digits.append(ResidentID.checkCharacter(digits[...]).asciiValue!)
        value = String(decoding: digits, as: UTF8.self)
        self.key = key
    }

    static func key(of digits: [UInt8]) -> Int64 {
        var n: Int64 = 0
        for c in digits.prefix(17) { n = n * 10 + Int64(c &- 48) }
        return n
    }

    static let checkBytes: [UInt8] = checkCharacters.map { $0.asciiValue! }

    /// The key of `raw` if it is a valid ID exactly as stored (17 digits, not starting with 0, the right check
    /// character, `X` upper case, a possible birth date, nothing around it); nil for anything else.
    static func keyIfNormalised(_ raw: String) -> Int64? {
        guard raw.utf8.count == 18, raw.utf8.first != 48 else { return nil }
        return raw.utf8.withContiguousStorageIfAvailable { b -> Int64? in
            var n: Int64 = 0, sum = 0
            for i in 0..<17 {
                let d = b[i] &- 48
                guard d <= 9 else { return nil }
                n = n * 10 + Int64(d)
                sum += Int(d) * weights[i]
            }
            guard b[17] == checkBytes[sum % 11] else { return nil }
            func num(_ from: Int, _ to: Int) -> Int { (from..<to).reduce(0) { $0 * 10 + Int(b[$1] &- 48) } }
            guard CalendarDate(year: num(6, 10), month: num(10, 12), day: num(12, 14)) != nil else { return nil }
            return n
        } ?? nil
    }

    static func checkCharacter(_ digits: ArraySlice<UInt8>) -> Character {
        var sum = 0
        for (i, c) in digits.enumerated() { sum += Int(c - 48) * weights[i] }
        return checkCharacters[sum % 11]
    }

    /// The check character for 17 digits (ISO 7064 MOD 11-2).
    public static func checkCharacter(forDigits seventeen: String) -> Character {
        checkCharacter(Array(seventeen.utf8.prefix(17))[...])
    }

    static func birthDate(of chars: [UInt8]) -> CalendarDate? {
        func num(_ r: Range<Int>) -> Int { r.reduce(0) { $0 * 10 + Int(chars[$1] - 48) } }
        return CalendarDate(year: num(6..<10), month: num(10..<12), day: num(12..<14))
    }

    /// Birth date encoded in the number.
    public var birthDate: CalendarDate { ResidentID.birthDate(of: Array(value.utf8))! }

    /// Sex encoded by the parity of the sequence number (odd: male).
    public var sex: Sex {
        let d = Array(value.utf8)[16] - 48
        return d % 2 == 1 ? .male : .female
    }

    /// The 6-digit administrative code of first registration.
    public var issuingArea: String { String(value.prefix(6)) }

    /// `5301**********123X`: first four and last four characters.
    public var masked: String { String(value.prefix(4)) + String(repeating: "*", count: 10) + String(value.suffix(4)) }

    public var description: String { masked }
    public static func < (a: ResidentID, b: ResidentID) -> Bool { a.value < b.value }
}

/// Why a resident ID was rejected, and what to do about it.
public enum ResidentIDError: Error, Equatable, Sendable, CustomStringConvertible {
    case empty
    case wrongLength(String, count: Int)
    case badCharacters(String)
    case checksum(String, expected: Character)
    case impossibleBirthDate(String)
    case spreadsheetNumber(String)
    /// The first digit is 0: no province code (the first two digits, 11–82) starts with 0.
    case noProvince(String)

    public var description: String {
        // Error text reaches terminals and logs: never print the whole number.
        func mask(_ v: String) -> String { v.count > 8 ? String(v.prefix(4)) + String(repeating: "*", count: v.count - 8) + String(v.suffix(4)) : v }
        switch self {
        case .empty:
            return "the ID is empty; fill in the 18-character resident ID"
        case let .wrongLength(v, n):
            return "ID '\(mask(v))' has \(n) characters; a resident ID has 18 (or 15 for an old one)"
        case let .badCharacters(v):
            return "ID '\(mask(v))' contains characters other than digits and a final X"
        case let .checksum(v, expected):
            return "ID '\(mask(v))' fails the check character: the last character should be \(expected) for these 17 digits; check for a typing error"
        case let .impossibleBirthDate(v):
            return "ID '\(mask(v))' holds an impossible birth date (characters 7–14)"
        case let .noProvince(v):
            return "ID '\(mask(v))' starts with 0, but the first two digits are the province (11–82); check for a typing error or a shifted column"
        case let .spreadsheetNumber(v):
            return "ID '\(v)' was turned into a number by a spreadsheet, which lost its last digits; it cannot be recovered: export the column as text from the source system"
        }
    }
}

func pad2(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
func pad3(_ n: Int) -> String { n < 10 ? "00\(n)" : n < 100 ? "0\(n)" : "\(n)" }
func format4(_ n: Int) -> String { String(n) }

extension String {
    /// Trims ASCII and full-width spaces, tabs and newlines.
    func trimmingSpaces() -> String {
        // Fast path: most cells start and end with a printable ASCII or a CJK character.
        let u = utf8
        if let f = u.first, let l = u.last, f > 0x20, f < 0x80 || (f != 0xE3 && f != 0xEF && f != 0xE2 && f != 0xC2), l > 0x20, l != 0x80, l != 0xBF, l != 0x85, l != 0xA0 {
            return self
        }
        if u.isEmpty { return self }
        var s = Substring(self)
        while let f = s.first, f.isWhitespace || f == "\u{3000}" || f == "\u{FEFF}" { s = s.dropFirst() }
        while let l = s.last, l.isWhitespace || l == "\u{3000}" { s = s.dropLast() }
        return String(s)
    }
}
