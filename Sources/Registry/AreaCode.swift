/// A 12-digit statistical area code (统计用区划代码): province (2), prefecture (2), county (2),
/// township (3), village (3). Trailing zero parts mean "the whole of the level above".
public struct AreaCode: Hashable, Sendable, Comparable, CustomStringConvertible {
    public let value: String

    public init(_ raw: String) throws(AreaCodeError) {
        let s = raw.trimmingSpaces()
        guard s.utf8.count == 12 || s.utf8.count == 6 || s.utf8.count == 9,
              s.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }) else { throw .malformed(s) }
        // 6 or 9 digits are county or township codes: pad to 12.
        value = s + String(repeating: "0", count: 12 - s.utf8.count)
    }

    public var province: String { String(value.prefix(2)) }
    public var prefecture: String { String(value.prefix(4)) }
    public var county: String { String(value.prefix(6)) }
    public var township: String { String(value.prefix(9)) }
    public var village: String { value }

    /// Whether `prefix` (digits, any length) covers this code.
    public func isWithin(_ prefix: String) -> Bool { value.hasPrefix(prefix) }

    public var description: String { value }
    public static func < (a: AreaCode, b: AreaCode) -> Bool { a.value < b.value }
}

public enum AreaCodeError: Error, Equatable, Sendable, CustomStringConvertible {
    case malformed(String)
    public var description: String {
        switch self {
        case let .malformed(v): return "area code '\(v)' is not 12 digits (province 2, prefecture 2, county 2, township 3, village 3)"
        }
    }
}

/// An area-code prefix used to scope a user or filter a query: 2 to 12 digits.
public struct AreaPrefix: Hashable, Sendable, CustomStringConvertible {
    public let value: String
    public init(_ raw: String) throws(AreaCodeError) {
        var s = raw.trimmingSpaces()
        guard (2...12).contains(s.utf8.count), s.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }) else { throw .malformed(raw) }
        // "530102000000" means the whole county: strip zero parts at level boundaries.
        while s.count > 2 {
            let cut = s.count > 9 ? 3 : s.count > 6 ? 3 : 2
            let tail = s.suffix(cut)
            if tail.allSatisfy({ $0 == "0" }) && [12, 9, 6, 4].contains(s.count) { s = String(s.dropLast(cut)) } else { break }
        }
        value = s
    }
    public var description: String { value }
}
