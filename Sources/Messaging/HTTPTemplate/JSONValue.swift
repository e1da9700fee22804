import Foundation

/// A JSON value: the shape of a provider's request body in carnation.yaml, and its answers.
public indirect enum JSONValue: Sendable, Hashable, Codable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    public init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() { self = .null }
        else if let b = try? container.decode(Bool.self) { self = .bool(b) }
        else if let n = try? container.decode(Double.self) { self = .number(n) }
        else if let s = try? container.decode(String.self) { self = .string(s) }
        else if let a = try? container.decode([JSONValue].self) { self = .array(a) }
        else { self = .object(try container.decode([String: JSONValue].self)) }
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case let .bool(b): try container.encode(b)
        case let .number(n): try container.encode(n)
        case let .string(s): try container.encode(s)
        case let .array(a): try container.encode(a)
        case let .object(o): try container.encode(o)
        }
    }

    /// Parses JSON text; nil when it is not JSON.
    public static func parse(_ data: Data) -> JSONValue? {
        try? JSONDecoder().decode(JSONValue.self, from: data)
    }

    /// Compact JSON with keys sorted and non-ASCII text kept as UTF-8, so the same value always gives the same bytes.
    public var serialized: String {
        switch self {
        case .null: return "null"
        case let .bool(b): return b ? "true" : "false"
        case let .number(n):
            if n.rounded() == n && abs(n) < 9_007_199_254_740_992 { return String(Int64(n)) }
            return n.isFinite ? "\(n)" : "null"
        case let .string(s): return Self.quote(s)
        case let .array(a): return "[" + a.map(\.serialized).joined(separator: ",") + "]"
        case let .object(o):
            return "{" + o.keys.sorted().map { Self.quote($0) + ":" + o[$0]!.serialized }.joined(separator: ",") + "}"
        }
    }

    static func quote(_ s: String) -> String {
        var out = "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20 || scalar.value == 0x2028 || scalar.value == 0x2029:
                out += "\\u" + String(scalar.value, radix: 16).leftPadded(to: 4)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }

    /// The value at a dotted path such as `Response.SendStatusSet.0.SerialNo` (numbers index arrays).
    public func value(at path: String) -> JSONValue? {
        var current: JSONValue = self
        for component in path.split(separator: ".") {
            switch current {
            case let .object(o):
                guard let next = o[String(component)] else { return nil }
                current = next
            case let .array(a):
                guard let index = Int(component), a.indices.contains(index) else { return nil }
                current = a[index]
            default:
                return nil
            }
        }
        return current
    }

    /// A scalar as text (`"OK"`, `0`, `true`); nil for null, arrays and objects.
    public var scalarText: String? {
        switch self {
        case let .string(s): return s
        case let .number(n): return n.rounded() == n && abs(n) < 9_007_199_254_740_992 ? String(Int64(n)) : "\(n)"
        case let .bool(b): return b ? "true" : "false"
        case .null, .array, .object: return nil
        }
    }
}
