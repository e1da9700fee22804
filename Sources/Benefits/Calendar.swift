/// A calendar month, e.g. 2031-07. Pension rules count in months; days never matter.
public struct YearMonth: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    public let year: Int
    public let month: Int

    /// Fails for a month outside 1…12.
    public init(year: Int, month: Int) throws {
        guard (1...12).contains(month) else {
            throw BenefitsError.invalidInput(name: "month", value: "\(year)-\(month)", allowed: "a month from 01 to 12")
        }
        self.year = year
        self.month = month
    }

    private init(uncheckedIndex index: Int) {
        year = index >= 0 ? index / 12 : (index - 11) / 12  // floor division
        month = index - year * 12 + 1
    }

    /// Parses "YYYY-MM"; `name` is the option or field name used in the error.
    public init(parsing text: String, name: String = "month") throws {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[0].count == 4, parts[1].count == 2,
              let y = Int(parts[0]), let m = Int(parts[1]) else {
            throw BenefitsError.invalidInput(name: name, value: text, allowed: "a month written YYYY-MM, e.g. 1970-03")
        }
        guard (1...12).contains(m) else {
            throw BenefitsError.invalidInput(name: name, value: text, allowed: "a month from 01 to 12")
        }
        self.init(uncheckedIndex: y * 12 + m - 1)
    }

    /// Months since year 0, for arithmetic.
    public var index: Int { year * 12 + month - 1 }

    public func adding(months: Int) -> YearMonth { YearMonth(uncheckedIndex: index + months) }

    /// Months from `other` to `self` (positive when self is later).
    public func months(since other: YearMonth) -> Int { index - other.index }

    /// The first day of this month.
    public var firstDay: PolicyDate { PolicyDate(year: year, month: month, day: 1) }

    public var description: String { "\(year)-\(month < 10 ? "0" : "")\(month)" }

    public static func < (l: YearMonth, r: YearMonth) -> Bool { l.index < r.index }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(description)
    }

    public init(from decoder: Decoder) throws {
        try self.init(parsing: decoder.singleValueContainer().decode(String.self))
    }
}

/// A calendar date used for parameter validity (`from`/`to`, both inclusive).
public struct PolicyDate: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    public let year: Int
    public let month: Int
    public let day: Int

    public init(year: Int, month: Int, day: Int) {
        self.year = year
        self.month = month
        self.day = day
    }

    /// Parses "YYYY-MM-DD"; returns nil when malformed or not a real date.
    public init?(iso text: String) {
        let parts = text.split(separator: "-")
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
              let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2]),
              (1...12).contains(m), d >= 1, d <= PolicyDate.daysIn(year: y, month: m) else { return nil }
        self.init(year: y, month: m, day: d)
    }

    /// 1 July of a year: the day on which a contribution year's parameters are read.
    public static func midYear(_ year: Int) -> PolicyDate { PolicyDate(year: year, month: 7, day: 1) }

    static func daysIn(year: Int, month: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    public var description: String {
        func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
        return "\(year)-\(two(month))-\(two(day))"
    }

    public static func < (l: PolicyDate, r: PolicyDate) -> Bool {
        (l.year, l.month, l.day) < (r.year, r.month, r.day)
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(description)
    }

    public init(from decoder: Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let d = PolicyDate(iso: text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "not a date: \(text)"))
        }
        self = d
    }
}

/// An age in whole years and months, e.g. 61y4m.
public struct AgeInMonths: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    public let totalMonths: Int
    public init(totalMonths: Int) { self.totalMonths = totalMonths }
    public init(years: Int, months: Int) { totalMonths = years * 12 + months }

    /// Parses "60y1m", "60y" or "60"; `name` is used in the error.
    public init(parsing text: String, name: String = "age") throws {
        let bad = BenefitsError.invalidInput(name: name, value: text, allowed: "an age written like 60y1m (years, then 0–11 months)")
        let t = text.lowercased()
        var years: Int?
        var months = 0
        if let y = t.firstIndex(of: "y") {
            years = Int(t[..<y])
            let rest = t[t.index(after: y)...]
            if !rest.isEmpty {
                guard rest.hasSuffix("m"), let m = Int(rest.dropLast()) else { throw bad }
                months = m
            }
        } else {
            years = Int(t)
        }
        guard let y = years, y >= 0, (0...11).contains(months) else { throw bad }
        totalMonths = y * 12 + months
    }

    public var years: Int { totalMonths / 12 }
    public var months: Int { totalMonths % 12 }
    public var description: String { "\(years)y\(months)m" }
    public static func < (l: AgeInMonths, r: AgeInMonths) -> Bool { l.totalMonths < r.totalMonths }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(description)
    }

    public init(from decoder: Decoder) throws {
        try self.init(parsing: decoder.singleValueContainer().decode(String.self))
    }
}
