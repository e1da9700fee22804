import Digests
import Foundation

/// Signed, expiring links to one voice message's audio on `carnation serve`:
/// `/audio/<outbox id>?exp=<UNIX seconds>&sig=<hex HMAC-SHA256 of "audio:<id>:<exp>" under the server's audio secret>`.
/// A voice provider fetches the audio through such a link; without the secret nobody can make one, and a link
/// stops working when it expires. Pure: the time comes in.
public struct AudioLink: Sendable {
    /// The route's path prefix on `carnation serve`.
    public static let pathPrefix = "/audio/"
    /// The name of the server secret (kept in the database) that signs audio links.
    public static let secretName = "audio-link"

    private let mac: HMACSHA256

    public init(secret: [UInt8]) {
        mac = HMACSHA256(key: secret)
    }

    /// What a request for audio turned out to be.
    public enum Verdict: Sendable, Equatable {
        case valid
        case expired
        case badSignature
    }

    /// The signature of a link to `outboxID` expiring at `expires`.
    public func signature(outboxID: String, expires: Int64) -> String {
        Hex.encode(mac.mac(Array("audio:\(outboxID):\(expires)".utf8)))
    }

    /// `/audio/<id>?exp=…&sig=…`.
    public func path(outboxID: String, expires: Int64) throws(MessagingError) -> String {
        try KannelURL.validateOutboxID(outboxID)
        return Self.pathPrefix + outboxID + "?exp=\(expires)&sig=" + signature(outboxID: outboxID, expires: expires)
    }

    /// The full link under `base` (carnation serve as the provider reaches it, with or without a path).
    public func url(base: URL, outboxID: String, expires: Int64) throws(MessagingError) -> URL {
        let root = base.absoluteString.hasSuffix("/") ? String(base.absoluteString.dropLast()) : base.absoluteString
        guard let url = URL(string: root + (try path(outboxID: outboxID, expires: expires))) else {
            throw .invalidGatewayConfiguration(gateway: "voice", field: "public-url", reason: "does not form a URL with the audio path")
        }
        return url
    }

    /// Checks a request's `exp` and `sig` for `outboxID` at `now`. The signature is checked first, so an
    /// expired link tells nothing to someone who could not have made it.
    public func check(outboxID: String, expires: String?, signature: String?, now: Date) -> Verdict {
        guard let expires, let signature, let seconds = Int64(expires), String(seconds) == expires,
              constantTimeEqual(signature.lowercased(), self.signature(outboxID: outboxID, expires: seconds)) else {
            return .badSignature
        }
        return Double(seconds) > now.timeIntervalSince1970 ? .valid : .expired
    }
}
