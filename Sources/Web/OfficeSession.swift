import Digests
import Foundation

/// A coordinator's signed session cookie: `NAME_B64.EXPIRY.MAC_B64`, an HMAC under the server's key (pure).
public struct OfficeSession: Sendable, Equatable {
    public let user: String
    public let expires: Int

    public static let cookieName = "carnation_session"
    public static let loginCookieName = "carnation_login"

    public init(user: String, expires: Int) { self.user = user; self.expires = expires }

    public func cookieValue(key: HMACSHA256) -> String {
        let body = Base64URL.encode(Array(user.utf8)) + "." + String(expires)
        return body + "." + Base64URL.encode(key.mac(Array(("session|" + body).utf8)))
    }

    /// The session a cookie carries, if its MAC is right and it has not expired at `now` (UNIX seconds).
    public static func verify(_ value: String, key: HMACSHA256, now: Int) -> OfficeSession? {
        let parts = value.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 3, let expires = Int(parts[1]), expires > now else { return nil }
        let body = parts[0] + "." + parts[1]
        guard constantTimeEqual(Base64URL.encode(key.mac(Array(("session|" + body).utf8))), parts[2]),
              let nameBytes = Base64URL.decode(parts[0]) else { return nil }
        return OfficeSession(user: String(decoding: nameBytes, as: UTF8.self), expires: expires)
    }

    /// The CSRF token of this session's forms.
    public func csrf(key: HMACSHA256) -> String {
        Base64URL.encode(key.mac(Array(("office-csrf|" + cookieValue(key: key)).utf8)))
    }
}

extension Base64URL {
    /// Decodes unpadded base64url; nil on any other character.
    public static func decode(_ text: String) -> [UInt8]? {
        var values: [UInt8] = []
        for c in text.utf8 {
            switch c {
            case 65...90: values.append(c - 65)
            case 97...122: values.append(c - 71)
            case 48...57: values.append(c + 4)
            case 45: values.append(62)
            case 95: values.append(63)
            default: return nil
            }
        }
        guard values.count % 4 != 1 else { return nil }
        var out: [UInt8] = []
        var i = 0
        while i < values.count {
            let chunk = Array(values[i..<min(i + 4, values.count)])
            var n: UInt32 = 0
            for (j, v) in chunk.enumerated() { n |= UInt32(v) << (18 - 6 * UInt32(j)) }
            out.append(UInt8(truncatingIfNeeded: n >> 16))
            if chunk.count > 2 { out.append(UInt8(truncatingIfNeeded: n >> 8)) }
            if chunk.count > 3 { out.append(UInt8(truncatingIfNeeded: n)) }
            i += 4
        }
        return out
    }
}

/// A bar chart of the day's progress per team, as inline SVG (pure; text is XML-escaped).
public enum ProgressChart {
    public struct Row: Sendable, Equatable {
        public var label: String
        public var recorded: Int
        public var total: Int
        public init(label: String, recorded: Int, total: Int) { self.label = label; self.recorded = recorded; self.total = total }
    }

    public static func svg(_ rows: [Row]) -> String {
        let rowHeight = 36, labelWidth = 160, barWidth = 320, height = max(1, rows.count) * rowHeight + 8
        var s = "<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" aria-label=\"各队今日进度\" width=\"100%\" viewBox=\"0 0 \(labelWidth + barWidth + 90) \(height)\">"
        for (i, r) in rows.enumerated() {
            let y = 4 + i * rowHeight
            let done = r.total == 0 ? 0 : Int((Double(barWidth) * Double(r.recorded) / Double(r.total)).rounded())
            s += "<text x=\"0\" y=\"\(y + 22)\" font-size=\"18\" fill=\"#111\">\(escape(r.label))</text>"
            s += "<rect x=\"\(labelWidth)\" y=\"\(y + 4)\" width=\"\(barWidth)\" height=\"24\" fill=\"#dde3ea\"/>"
            s += "<rect x=\"\(labelWidth)\" y=\"\(y + 4)\" width=\"\(done)\" height=\"24\" fill=\"#1d6b3a\"/>"
            s += "<text x=\"\(labelWidth + barWidth + 8)\" y=\"\(y + 22)\" font-size=\"18\" fill=\"#111\">\(r.recorded)/\(r.total)</text>"
        }
        return s + "</svg>"
    }

    static func escape(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}
