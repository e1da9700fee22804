import Digests

/// The key of one message's report URL: HMAC-SHA256 of the outbox id under the gateway's secret, in base64url
/// (43 unreserved characters, safe inside Kannel's dlr-url). A report for one message cannot carry another's key,
/// and the gateway's secret itself never travels in a URL or lands in a provider's logs.
public struct MessageKey: Sendable {
    private let mac: HMACSHA256

    public init(secret: String) {
        mac = HMACSHA256(key: Array(secret.utf8))
    }

    /// The key for `outboxID`.
    public func key(for outboxID: String) -> String {
        Base64URL.encode(mac.mac(Array(("report:" + outboxID).utf8)))
    }

    /// Whether `key` is the key for `outboxID` (compared in constant time).
    public func verify(_ key: String?, for outboxID: String) -> Bool {
        guard let key else { return false }
        return constantTimeEqual(key, self.key(for: outboxID))
    }
}
