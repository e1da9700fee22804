import Foundation

/// How to reach one voice-notification provider, as written in carnation.yaml (`gateway.voice-http`).
///
/// The provider calls the resident and plays their own explainer audio, which it either fetches from a signed,
/// expiring link on `carnation serve` (`audio: url`) or receives inside the request (`audio: inline`, base64).
/// The body is a JSON shape with placeholders, as for `http-template`: `{{phone}}` · `{{phoneE164}}` ·
/// `{{outboxID}}` (send it where the provider echoes it back in call reports, e.g. Aliyun's `OutId`) ·
/// `{{idempotencyKey}}` · `{{script}}` (the spoken text) · `{{audioFormat}}` (`wav`) · `{{audioURL}}` (url mode)
/// · `{{audioBase64}}` (inline mode) · `{{reportURL}}` (this message's call-report URL with its own key, for
/// providers that take a callback per request). Request signing (Aliyun, Tencent) is not done here.
public struct VoiceHTTPConfiguration: Sendable, Equatable {
    /// How the provider gets the audio.
    public enum AudioDelivery: String, Sendable, Equatable, CaseIterable {
        /// The provider fetches it from a signed link on `carnation serve`.
        case url
        /// The audio travels in the request, base64-encoded.
        case inline
    }

    public var name: String
    public var url: URL
    public var method: String
    public var headers: [String: String]
    public var body: JSONValue
    public var audio: AudioDelivery
    /// `carnation serve` as the provider reaches it, e.g. `https://office.example.org`: the base of audio links
    /// and of `{{reportURL}}`.
    public var publicURL: URL?
    /// How long an audio link works after the request is made.
    public var audioLinkSeconds: Double
    /// How the answer to a call request is read (`messageIDPath` is where the call id is).
    public var answer: ProviderAnswer
    /// How call reports posted to `/gateway/voice/report` are read.
    public var report: VoiceReportFormat
    /// The gateway's secret: call reports carry it as `key`, or a per-message key made from it.
    public var reportSecret: String
    /// Seconds to wait for an answer.
    public var timeoutSeconds: Double
    /// Set only for a provider documented to drop a repeated request with the same id.
    public var deduplicates: Bool

    /// The path of call reports on `carnation serve`.
    public static let reportPath = "/gateway/voice/report"

    public init(name: String = "voice-http", url: URL, method: String = "POST",
                headers: [String: String] = ["Content-Type": "application/json; charset=utf-8"], body: JSONValue,
                audio: AudioDelivery = .url, publicURL: URL? = nil, audioLinkSeconds: Double = 6 * 3600,
                answer: ProviderAnswer = ProviderAnswer(), report: VoiceReportFormat = VoiceReportFormat(),
                reportSecret: String, timeoutSeconds: Double = 15, deduplicates: Bool = false) {
        self.name = name
        self.url = url
        self.method = method
        self.headers = headers
        self.body = body
        self.audio = audio
        self.publicURL = publicURL
        self.audioLinkSeconds = audioLinkSeconds
        self.answer = answer
        self.report = report
        self.reportSecret = reportSecret
        self.timeoutSeconds = timeoutSeconds
        self.deduplicates = deduplicates
    }

    /// Checks the configuration by building a request for a sample message, so an unknown placeholder or a
    /// missing `public-url` is found when the configuration is read, not at the first call.
    public func validate() throws(MessagingError) {
        func bad(_ field: String, _ reason: String) -> MessagingError {
            .invalidGatewayConfiguration(gateway: name, field: field, reason: reason)
        }
        guard let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https", url.host != nil else {
            throw bad("url", "must be an http(s) URL")
        }
        if let publicURL {
            guard let scheme = publicURL.scheme?.lowercased(), scheme == "http" || scheme == "https", publicURL.host != nil,
                  publicURL.query == nil else {
                throw bad("public-url", "must be carnation serve's http(s) address without a query, e.g. https://office.example.org")
            }
        }
        guard reportSecret.utf8.count >= 16 else { throw bad("report-secret", "must be at least 16 characters (a random string)") }
        guard audioLinkSeconds >= 60 else { throw bad("audio-link-minutes", "must be at least 1") }
        guard timeoutSeconds > 0 else { throw bad("timeout-seconds", "must be positive") }
        if audio == .url && publicURL == nil { throw bad("public-url", "is needed with audio: url (the provider fetches the audio there)") }
        let sample = try OutgoingSMS(outboxID: "1", idempotencyKey: "c1-r1-voice", phone: "13800000000", text: "示例")
        let link = audio == .url ? try AudioLink(secret: [0]).url(base: publicURL!, outboxID: "1", expires: 0) : nil
        _ = try VoiceHTTPRequest.build(self, message: sample, audioURL: link, audioBase64: audio == .inline ? "UklGRg==" : nil)
    }
}

/// How a provider's call reports are read: where the report (or the list of reports) is, and which status values
/// mean the call was answered. Every other status is a final failure (not answered, busy, switched off…), except
/// those listed as progress.
public struct VoiceReportFormat: Sendable, Equatable {
    /// Where the report or the list of reports is in the body, e.g. `voiceprompt_callback`; nil: the body itself.
    public var itemsPath: String?
    /// Where our outbox id is (the value sent as `{{outboxID}}`), e.g. `out_id`.
    public var outboxIDPath: String
    /// Where the provider's call id is, e.g. `call_id`.
    public var callIDPath: String?
    /// Where the call's status is, e.g. `status_code`.
    public var statusPath: String
    /// Status values meaning the call was answered and the message played, e.g. `200000`.
    public var delivered: [String]
    /// Status values that are not final (ringing, queued).
    public var progress: [String]
    /// The body answered to the provider once the reports are taken, e.g. `{"code":0,"msg":"成功"}`.
    public var reply: String

    public init(itemsPath: String? = nil, outboxIDPath: String = "outbox", callIDPath: String? = nil, statusPath: String = "status",
                delivered: [String] = ["answered"], progress: [String] = [], reply: String = "ok") {
        self.itemsPath = itemsPath
        self.outboxIDPath = outboxIDPath
        self.callIDPath = callIDPath
        self.statusPath = statusPath
        self.delivered = delivered
        self.progress = progress
        self.reply = reply
    }
}
