import Foundation

/// Builds Kannel sendsms requests and reads Kannel's answers (messaging.md §3).
///
/// Pitfalls handled here:
/// - Chinese sent without `coding=2` is turned into `?` and still answered `0: Accepted for delivery`:
///   any text outside GSM-7 is sent with `coding=2&charset=UTF-8` (Kannel's default charset for
///   `coding=2` is UTF-16BE, so the charset must be named).
/// - `+` in a query means a space to Kannel, and `to` takes several numbers separated by space or `+`:
///   every value is percent-encoded with only unreserved characters left bare, and `to` must be one
///   normalised 11-digit number.
/// - `dlr-url` must itself be URL-encoded, and Kannel expands `%` escapes in it: the outbox id and the
///   per-message key are made of unreserved characters only, so no stray `%` reaches Kannel.
/// - Text longer than `max-messages` parts is cut by Kannel: it is refused before sending.
/// - 202 means accepted (or queued), not delivered.
public enum KannelURL {
    /// RFC 3986 unreserved characters: the only ones left unescaped in a query value.
    static let unreserved: Set<Unicode.Scalar> = {
        var set = Set<Unicode.Scalar>()
        for range in [("A", "Z"), ("a", "z"), ("0", "9")] {
            for value in Unicode.Scalar(range.0)!.value...Unicode.Scalar(range.1)!.value {
                set.insert(Unicode.Scalar(value)!)
            }
        }
        for c in "-._~".unicodeScalars { set.insert(c) }
        return set
    }()

    /// Percent-encodes `value` (UTF-8) leaving only unreserved characters bare; a space becomes `%20`, `+` `%2B`.
    /// Byte by byte, with a table: the dispatcher encodes every message this way.
    public static func percentEncode(_ value: String) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(value.utf8.count * 3)
        for byte in value.utf8 {
            if unreservedBytes[Int(byte)] {
                out.append(byte)
            } else {
                out.append(0x25)  // %
                out.append(hexDigits[Int(byte >> 4)])
                out.append(hexDigits[Int(byte & 0x0F)])
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// `unreserved` as a table over the 256 byte values.
    private static let unreservedBytes: [Bool] = (0..<256).map { b in b < 0x80 && unreserved.contains(Unicode.Scalar(UInt8(b))) }
    private static let hexDigits: [UInt8] = Array("0123456789ABCDEF".utf8)

    /// The Kannel `coding` value for `text`: 0 (7-bit) when GSM-7 can carry it, else 2 (UCS-2).
    public static func coding(for text: String) -> Int {
        SMSEncoding.required(for: text) == .gsm7 ? 0 : 2
    }

    /// The dlr-url handed to Kannel for one outbox row, with Kannel's escapes for the report fields:
    /// `outbox`, `key`, then `type=%d&ts=%T&to=%p&from=%P&smsc=%i&reply=%A&fid=%F`. `key` is this message's
    /// own key (`MessageKey`: an HMAC of the outbox id under `dlr-secret`), never the secret itself.
    public static func deliveryReportURL(_ config: KannelConfiguration, outboxID: String) throws(MessagingError) -> String? {
        guard let callback = config.dlrCallbackURL else { return nil }
        try validateOutboxID(outboxID)
        var url = callback.absoluteString + "?outbox=" + outboxID
        if let secret = config.dlrSecret { url += "&key=" + MessageKey(secret: secret).key(for: outboxID) }
        return url + reportFields
    }

    /// The GET URL that asks smsbox to send `message`.
    public static func sendURL(_ config: KannelConfiguration, message: OutgoingSMS) throws(MessagingError) -> URL {
        try SendForm(config).url(for: message)
    }

    /// The sendsms request of one configuration, with what every message shares worked out once: the
    /// configuration checked, the fixed query fields encoded, the report key's HMAC state. A gateway keeps one
    /// and makes each message's URL from it (`sendURL` makes a new one per call).
    public struct SendForm: Sendable {
        public let configuration: KannelConfiguration
        private let reportKey: MessageKey?
        /// `…/sendsms?username=…&password=…[&from=…]&to=`.
        private let head: String
        /// `[&smsc=…]&coding=`.
        private let afterPhone: String
        /// `&charset=UTF-8[&dlr-mask=…&dlr-url=<callback?outbox=>` (percent-encoded), or `&charset=UTF-8`.
        private let beforeOutboxID: String

        public init(_ config: KannelConfiguration) throws(MessagingError) {
            try config.validate()
            configuration = config
            reportKey = config.dlrSecret.map { MessageKey(secret: $0) }
            var head = config.sendsmsURL.absoluteString + "?username=" + percentEncode(config.username)
                + "&password=" + percentEncode(config.password)
            if let sender = config.sender { head += "&from=" + percentEncode(sender) }
            self.head = head + "&to="
            afterPhone = (config.smscID.map { "&smsc=" + percentEncode($0) } ?? "") + "&coding="
            var before = "&charset=UTF-8"
            if let callback = config.dlrCallbackURL {
                before += "&dlr-mask=\(config.dlrMask)&dlr-url=" + percentEncode(callback.absoluteString + "?outbox=")
            }
            beforeOutboxID = before
        }

        /// The GET URL that asks smsbox to send `message`: the same text, byte for byte, as encoding each
        /// field on its own (the outbox id and the key are unreserved characters, so they encode as themselves).
        public func url(for message: OutgoingSMS) throws(MessagingError) -> URL {
            try OutgoingSMS.validatePhone(message.phone)
            try validateOutboxID(message.outboxID)
            let measurement = SMSSegmenter.measure(message.text)
            guard measurement.segments <= configuration.maxMessages else {
                throw .textTooLong(segments: measurement.segments, maximum: configuration.maxMessages)
            }
            var query = head + message.phone + afterPhone + (measurement.encoding == .gsm7 ? "0" : "2") + beforeOutboxID
            if configuration.dlrCallbackURL != nil {
                query += message.outboxID
                if let reportKey { query += "%26key%3D" + reportKey.key(for: message.outboxID) }
                query += KannelURL.encodedReportFields
            }
            query += "&text=" + percentEncode(message.text)
            guard let url = URL(string: query) else {
                throw .invalidGatewayConfiguration(gateway: configuration.name, field: "sendsms-url", reason: "does not form a URL with the query")
            }
            return url
        }
    }

    /// The report fields Kannel fills in, appended to every dlr-url.
    static let reportFields = "&type=%d&ts=%T&to=%p&from=%P&smsc=%i&reply=%A&fid=%F"
    private static let encodedReportFields = percentEncode(reportFields)

    /// Outbox ids travel inside the dlr-url: letters, digits, `-`, `_`, `.`, at most 64 characters.
    public static func validateOutboxID(_ id: String) throws(MessagingError) {
        guard !id.isEmpty, id.utf8.count <= 64,
              id.unicodeScalars.allSatisfy({ unreserved.contains($0) && $0 != "~" }) else {
            throw .invalidOutboxID(id)
        }
    }

    /// Reads smsbox's answer to a sendsms request (userguide reply codes).
    /// `202 0: Accepted for delivery` and `202 3: Queued for later delivery` are accepted;
    /// 503 and other 5xx, and 429, are temporary; other 4xx are rejections.
    public static func interpretAnswer(gateway: String, status: Int, body: String, retryAfter: Double? = nil) -> SendResult {
        let text = body.trimmingWhitespace()
        switch status {
        case 200...299:
            if text.hasPrefix("0:") || text.hasPrefix("3:") {
                return .accepted(gatewayMessageID: nil, detail: text)
            }
            return .failed(.unreadableAnswer(gateway: gateway, status: status, body: text))
        case 429, 500...599:
            return .failed(.temporarilyRefused(gateway: gateway, status: status, body: text, retryAfter: retryAfter))
        case 400...499:
            return .failed(.rejected(gateway: gateway, status: status, code: nil, body: text))
        default:
            return .failed(.unreadableAnswer(gateway: gateway, status: status, body: text))
        }
    }
}

extension String {
    func leftPadded(to width: Int, with pad: Character = "0") -> String {
        count >= width ? self : String(repeating: pad, count: width - count) + self
    }
}
