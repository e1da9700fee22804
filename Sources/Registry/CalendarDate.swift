/// A date without time or time zone, as departments write them (birth, death, as-of).
public struct CalendarDate: Hashable, Sendable, Comparable, Codable, CustomStringConvertible {
    public let year: Int
    public let month: Int
    public let day: Int

    /// Returns nil for an impossible date (month 13, 30 February, year before 1880 or after 2100).
    public init?(year: Int, month: Int, day: Int) {
        guard (1880...2100).contains(year), (1...12).contains(month),
              day >= 1, day <= CalendarDate.daysIn(month: month, year: year) else { return nil }
        self.year = year; self.month = month; self.day = day
    }

    public static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Parses `1950-01-01`, `1950/1/1`, `1950.1.1`, `19500101`, `1950年1月1日` and Excel serial numbers (e.g. `18264`).
    public init?(parsing raw: String) {
        let s = raw.trimmingSpaces()
        if s.isEmpty { return nil }
        let bytes = Array(s.utf8)
        // Fast path: YYYY-MM-DD.
        if bytes.count == 10, bytes[4] == 45, bytes[7] == 45 {
            func d(_ i: Int) -> Int? { bytes[i] >= 48 && bytes[i] <= 57 ? Int(bytes[i] - 48) : nil }
            if let y0 = d(0), let y1 = d(1), let y2 = d(2), let y3 = d(3), let m0 = d(5), let m1 = d(6), let d0 = d(8), let d1 = d(9) {
                self.init(year: y0 * 1000 + y1 * 100 + y2 * 10 + y3, month: m0 * 10 + m1, day: d0 * 10 + d1)
                return
            }
        }
        if bytes.allSatisfy({ $0 >= 48 && $0 <= 57 }) {
            if bytes.count == 8 {
                let n = Int(s)!
                self.init(year: n / 10000, month: n / 100 % 100, day: n % 100)
                return
            }
            if bytes.count <= 5, let serial = Int(s), serial > 0 {
                // Excel serial: day 1 is 1900-01-01, with Excel's phantom 1900-02-29.
                self.init(daysSinceEpoch: serial - 25569)
                return
            }
            return nil
        }
        var parts: [Int] = []
        var current = 0, inNumber = false
        for ch in s.unicodeScalars {
            if let d = ch.properties.numericType != nil ? Int(String(ch)) : nil, ch.isASCII {
                current = current * 10 + d; inNumber = true
            } else {
                if inNumber { parts.append(current) }
                current = 0; inNumber = false
                if !"-/.年月日 ".unicodeScalars.contains(ch) { return nil }
            }
        }
        if inNumber { parts.append(current) }
        guard parts.count == 3 else { return nil }
        self.init(year: parts[0], month: parts[1], day: parts[2])
    }

    /// Days since 1970-01-01 (proleptic Gregorian).
    public var daysSinceEpoch: Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146097 + doe - 719468
    }

    public init?(daysSinceEpoch z0: Int) {
        let z = z0 + 719468
        let era = (z >= 0 ? z : z - 146096) / 146097
        let doe = z - era * 146097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        self.init(year: yoe + era * 400 + (m <= 2 ? 1 : 0), month: m, day: d)
    }

    /// Whole years of age on `date`.
    public func age(on date: CalendarDate) -> Int {
        var a = date.year - year
        if (date.month, date.day) < (month, day) { a -= 1 }
        return a
    }

    public func adding(days: Int) -> CalendarDate { CalendarDate(daysSinceEpoch: daysSinceEpoch + days)! }

    /// ISO form `YYYY-MM-DD`.
    public var description: String {
        var bytes: [UInt8] = Array(repeating: 48, count: 10)
        var y = year
        for i in (0..<4).reversed() { bytes[i] = UInt8(48 + y % 10); y /= 10 }
        bytes[4] = 45; bytes[5] = UInt8(48 + month / 10); bytes[6] = UInt8(48 + month % 10)
        bytes[7] = 45; bytes[8] = UInt8(48 + day / 10); bytes[9] = UInt8(48 + day % 10)
        return String(decoding: bytes, as: UTF8.self)
    }

    public static func < (a: CalendarDate, b: CalendarDate) -> Bool { (a.year, a.month, a.day) < (b.year, b.month, b.day) }

    public init(from decoder: Decoder) throws {
        let s = try decoder.singleValueContainer().decode(String.self)
        guard let d = CalendarDate(parsing: s) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "not a date: \(s)"))
        }
        self = d
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(description)
    }
}
