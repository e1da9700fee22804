/// Where a parameter applies: the whole country, or a province (2 digits), prefecture (4) or county (6)
/// by its administrative area code. "530000" and "53" are the same region (Yunnan).
public struct Region: Sendable, Hashable, Codable, CustomStringConvertible {
    /// `national`, or the significant digits of the area code ("53", "5301", "530102").
    public let code: String

    public static let national = Region(uncheckedCode: "national")

    private init(uncheckedCode: String) { code = uncheckedCode }

    /// Accepts `national` or a 2-, 4- or 6-digit area code (trailing "00" pairs are dropped); a 9- or
    /// 12-digit township or village code is read as its county (first 6 digits).
    public init(parsing text: String, name: String = "region") throws {
        if text == "national" { self = .national; return }
        guard [2, 4, 6, 9, 12].contains(text.count), text.allSatisfy(\.isASCII), text.allSatisfy(\.isNumber) else {
            throw BenefitsError.invalidInput(name: name, value: text, allowed: "national, or an area code of 2, 4, 6, 9 or 12 digits (e.g. 53, 5301, 530102)")
        }
        var digits = String(text.prefix(6))
        while digits.count > 2, digits.hasSuffix("00") { digits.removeLast(2) }
        code = digits
    }

    /// This region, then its parents up to `national`: 530102 → 5301 → 53 → national.
    public var chain: [Region] {
        if self == .national { return [.national] }
        var result: [Region] = []
        var digits = code
        while !digits.isEmpty {
            result.append(Region(uncheckedCode: digits))
            digits.removeLast(min(2, digits.count))
        }
        return result + [.national]
    }

    public var description: String { code }
}
