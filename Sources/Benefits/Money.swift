import Foundation

/// An amount of money in integer fen (1 yuan = 100 fen). Never a floating-point number.
public struct Money: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    public let fen: Int

    public init(fen: Int) { self.fen = fen }

    /// Rounds a yuan amount half-up (away from zero at .5) to the fen.
    public init(roundingYuan yuan: Decimal) {
        let fenDecimal = Decimals.round(yuan * 100, scale: 0)
        self.fen = NSDecimalNumber(decimal: fenDecimal).intValue
    }

    public static let zero = Money(fen: 0)

    /// The amount in yuan, exact.
    public var yuan: Decimal { Decimal(fen) / 100 }

    /// Yuan with two decimals, e.g. "991.80", "-3.05"; no thousands separators.
    public var description: String {
        let sign = fen < 0 ? "-" : ""
        let a = abs(fen)
        let cents = a % 100
        return "\(sign)\(a / 100).\(cents < 10 ? "0" : "")\(cents)"
    }

    public static func < (l: Money, r: Money) -> Bool { l.fen < r.fen }
    public static func + (l: Money, r: Money) -> Money { Money(fen: l.fen + r.fen) }
    public static func - (l: Money, r: Money) -> Money { Money(fen: l.fen - r.fen) }
    public static func * (l: Money, n: Int) -> Money { Money(fen: l.fen * n) }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(description)
    }

    public init(from decoder: Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let d = Decimal(string: text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "not an amount: \(text)"))
        }
        self.init(roundingYuan: d)
    }
}

/// A rate in basis points (1 bp = 0.01 %), e.g. 262 for 2.62 %.
public struct Rate: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    public let basisPoints: Int
    public init(basisPoints: Int) { self.basisPoints = basisPoints }
    /// The rate as a fraction, e.g. 0.0262.
    public var fraction: Decimal { Decimal(basisPoints) / 10_000 }
    /// "2.62%".
    public var description: String { "\(Decimals.text(Decimal(basisPoints) / 100, places: 2))%" }
    public static func < (l: Rate, r: Rate) -> Bool { l.basisPoints < r.basisPoints }
}

/// Decimal helpers: explicit rounding and locale-free formatting.
public enum Decimals {
    /// Rounds half-up (away from zero at exactly .5) to `scale` decimal places.
    public static func round(_ value: Decimal, scale: Int) -> Decimal {
        var input = value
        var output = Decimal()
        NSDecimalRound(&output, &input, scale, .plain)
        return output
    }

    /// Truncates toward zero to `scale` decimal places.
    public static func truncate(_ value: Decimal, scale: Int) -> Decimal {
        var input = value
        var output = Decimal()
        NSDecimalRound(&output, &input, scale, value < 0 ? .up : .down)
        return output
    }

    /// Fixed-point text with exactly `places` decimals (rounded half-up), e.g. text(129.666, 1) = "129.7".
    public static func text(_ value: Decimal, places: Int) -> String {
        let r = round(value, scale: places)
        let negative = r < 0
        var scaled = (negative ? -r : r)
        for _ in 0..<places { scaled *= 10 }
        let digits = NSDecimalNumber(decimal: round(scaled, scale: 0)).stringValue
        let padded = String(repeating: "0", count: max(0, places + 1 - digits.count)) + digits
        let intPart = padded.dropLast(places)
        let fracPart = padded.suffix(places)
        return (negative ? "-" : "") + intPart + (places > 0 ? "." + fracPart : "")
    }

    /// Shortest text without trailing zeros, e.g. 0.6 → "0.6", 15 → "15".
    public static func plain(_ value: Decimal) -> String { NSDecimalNumber(decimal: value).stringValue }
}
