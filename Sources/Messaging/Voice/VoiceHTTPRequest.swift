import Foundation

/// Builds voice-call requests from `VoiceHTTPConfiguration` (pure; the audio link or the audio comes in).
public enum VoiceHTTPRequest {
    /// The request that asks the provider to call `message.phone` and play the audio. `audioURL` is given in
    /// url mode, `audioBase64` (a WAV file) in inline mode; `{{reportURL}}` needs the configuration's public URL.
    public static func build(_ config: VoiceHTTPConfiguration, message: OutgoingSMS, audioURL: URL?, audioBase64: String?) throws(MessagingError) -> HTTPRequestSpec {
        try OutgoingSMS.validatePhone(message.phone)
        try KannelURL.validateOutboxID(message.outboxID)
        var values: [String: JSONValue] = [
            "phone": .string(message.phone),
            "phoneE164": .string("+86" + message.phone),
            "outboxID": .string(message.outboxID),
            "idempotencyKey": .string(message.idempotencyKey),
            "script": .string(message.text),
            "audioFormat": .string("wav"),
        ]
        switch config.audio {
        case .url:
            guard let audioURL else { throw .invalidGatewayConfiguration(gateway: config.name, field: "audio", reason: "is url but no audio link was made") }
            values["audioURL"] = .string(audioURL.absoluteString)
        case .inline:
            guard let audioBase64 else { throw .invalidGatewayConfiguration(gateway: config.name, field: "audio", reason: "is inline but no audio was given") }
            values["audioBase64"] = .string(audioBase64)
        }
        if let report = reportURL(config, outboxID: message.outboxID) { values["reportURL"] = .string(report.absoluteString) }
        let body = try HTTPTemplateRequest.fill(config.body, values: values, place: "body")
        return HTTPRequestSpec(method: config.method.uppercased(), url: config.url,
                               headers: try HTTPTemplateRequest.headers(config.headers, values: values), body: Data(body.serialized.utf8))
    }

    /// The signed audio link for `outboxID`, valid for the configured time from `now`.
    public static func audioURL(_ config: VoiceHTTPConfiguration, link: AudioLink, outboxID: String, now: Date) throws(MessagingError) -> URL {
        guard let base = config.publicURL else {
            throw .invalidGatewayConfiguration(gateway: config.name, field: "public-url", reason: "is needed with audio: url")
        }
        return try link.url(base: base, outboxID: outboxID, expires: Int64((now.timeIntervalSince1970 + config.audioLinkSeconds).rounded(.up)))
    }

    /// This message's call-report URL, carrying its own key (nil without a public URL).
    public static func reportURL(_ config: VoiceHTTPConfiguration, outboxID: String) -> URL? {
        guard let base = config.publicURL else { return nil }
        let root = base.absoluteString.hasSuffix("/") ? String(base.absoluteString.dropLast()) : base.absoluteString
        return URL(string: root + VoiceHTTPConfiguration.reportPath + "?outbox=" + outboxID + "&key="
                   + MessageKey(secret: config.reportSecret).key(for: outboxID))
    }

    /// Reads the provider's answer to a call request.
    public static func interpretAnswer(_ config: VoiceHTTPConfiguration, status: Int, body: Data, retryAfter: Double? = nil) -> SendResult {
        config.answer.interpret(gateway: config.name, status: status, body: body, retryAfter: retryAfter)
    }
}
