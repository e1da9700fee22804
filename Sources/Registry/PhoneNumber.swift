/// A telephone number as the registry keeps it.
///
/// Mainland mobile numbers are validated and normalised to 11 digits (they can receive SMS);
/// landlines are kept as given, trimmed (they cannot).
public enum PhoneNumber: Hashable, Sendable, CustomStringConvertible {
    case mobile(String)
    case landline(String)

    /// Parses a number as written: spaces, dashes, `+86`, `86` or `0086` in front are accepted.
    public init(_ raw: String) throws(PhoneNumberError) {
        let trimmed = raw.trimmingSpaces()
        if trimmed.isEmpty { throw .empty }
        if trimmed.utf8.contains(UInt8(ascii: "+")) && trimmed.utf8.contains(where: { $0 == UInt8(ascii: "E") || $0 == UInt8(ascii: "e") }) {
            throw .spreadsheetNumber(trimmed)
        }
        var digits: [UInt8] = []
        for b in trimmed.utf8 {
            switch b {
            case 48...57: digits.append(b)
            case UInt8(ascii: " "), UInt8(ascii: "-"), UInt8(ascii: "+"), UInt8(ascii: "("), UInt8(ascii: ")"), UInt8(ascii: "."):
                continue
            default:
                // Full-width digits and spaces are common in hand-typed cells.
                throw .badCharacters(trimmed)
            }
        }
        var d = digits[...]
        if d.count == 15, d.starts(with: [48, 48, 56, 54]) { d = d.dropFirst(4) }
        else if d.count == 13, d.starts(with: [56, 54]) { d = d.dropFirst(2) }
        if d.count == 11, d.first == 49, let second = d.dropFirst().first, (51...57).contains(second) {
            self = .mobile(String(decoding: d, as: UTF8.self))
            return
        }
        if digits.first == 48, (10...12).contains(digits.count) {
            self = .landline(trimmed)
            return
        }
        if d.count == 11, d.first == 49 { throw .notMobile(trimmed) }
        throw .wrongLength(trimmed, count: d.count)
    }

    /// The stored form: 11 digits for a mobile, the number as given for a landline.
    public var value: String {
        switch self {
        case let .mobile(s), let .landline(s): return s
        }
    }

    public var canReceiveSMS: Bool { if case .mobile = self { return true } else { return false } }

    /// `138****5678` for mobiles; landlines keep the area code and last two digits.
    public var masked: String {
        switch self {
        case let .mobile(s): return String(s.prefix(3)) + "****" + String(s.suffix(4))
        case let .landline(s):
            let visibleHead = s.prefix(4), tail = s.suffix(2)
            return String(visibleHead) + String(repeating: "*", count: max(0, s.count - 6)) + String(tail)
        }
    }

    public var description: String { masked }

    /// Rebuilds a stored value without re-validating.
    public init(stored: String) {
        if stored.count == 11, stored.first == "1" { self = .mobile(stored) } else { self = .landline(stored) }
    }
}

public enum PhoneNumberError: Error, Equatable, Sendable, CustomStringConvertible {
    case empty
    case badCharacters(String)
    case wrongLength(String, count: Int)
    case notMobile(String)
    case spreadsheetNumber(String)

    public var description: String {
        func mask(_ v: String) -> String { v.count > 7 ? String(v.prefix(3)) + String(repeating: "*", count: v.count - 7) + String(v.suffix(4)) : v }
        switch self {
        case .empty: return "the phone number is empty"
        case let .badCharacters(v): return "phone '\(mask(v))' contains characters other than digits, spaces, dashes and +86; retype it with ASCII digits"
        case let .wrongLength(v, n): return "phone '\(mask(v))' has \(n) digits; a mobile number has 11, a landline starts with 0 and its area code"
        case let .notMobile(v): return "phone '\(mask(v))' is not a mainland mobile number (second digit must be 3–9)"
        case let .spreadsheetNumber(v): return "phone '\(mask(v))' was turned into a number by a spreadsheet; export the column as text"
        }
    }
}
