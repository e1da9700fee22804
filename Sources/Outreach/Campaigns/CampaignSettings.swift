import Foundation
import Messaging
import Yams

/// Prices for the cost estimate, in fen; nil when the office has not configured one.
public struct CampaignPrices: Sendable, Equatable {
    public var smsSegmentFen: Int?
    public var voiceCallFen: Int?
    public init(smsSegmentFen: Int? = nil, voiceCallFen: Int? = nil) {
        self.smsSegmentFen = smsSegmentFen
        self.voiceCallFen = voiceCallFen
    }
}

/// At most `messages` to one phone within a rolling `hours` window (across campaigns).
public struct PhoneCap: Sendable, Equatable {
    public var messages: Int
    public var hours: Double
    public init(messages: Int, hours: Double) {
        self.messages = messages
        self.hours = hours
    }
}

/// Which gateway sends, and how to reach it.
public enum GatewayChoice: Sendable, Equatable {
    /// Files under a directory (the default: `var/spool`).
    case spool(directory: String?)
    case kannel(KannelConfiguration)
    /// A provider that sends approved templates with parameters (Aliyun-, Tencent-like JSON APIs).
    case httpTemplate(HTTPTemplateConfiguration, deduplicates: Bool)
}

/// Which gateway makes voice calls.
public enum VoiceGatewayChoice: Sendable, Equatable {
    /// No voice gateway: voice messages wait in the outbox.
    case disabled
    /// The script written as a file under the spool directory (the default with the spool SMS gateway).
    case spool
    /// A voice-notification provider over HTTP.
    case voiceHTTP(VoiceHTTPConfiguration)
}

/// The campaign and dispatch part of `carnation.yaml` (sections `sms`, `campaigns`, `dispatch`, `gateway`).
/// Every value has a default, except prices, which only the office knows.
public struct CampaignSettings: Sendable, Equatable {
    public var signature: SMSSignature?
    public var prices = CampaignPrices()
    /// Campaigns with more messages than this need `campaign approve`.
    public var approvalThreshold = 200
    /// The approver must be another user than the creator.
    public var approverMustDiffer = true
    public var phoneCap: PhoneCap? = PhoneCap(messages: 3, hours: 24)
    public var smsQuietHours = QuietHoursPolicy(standard: .smsDefault)
    public var voiceQuietHours = QuietHoursPolicy(standard: .voiceDefault)
    /// Quiet hours are local time in this zone.
    public var timeZone = TimeZone(identifier: "Asia/Shanghai")!
    /// Messages per second per gateway, and the burst the bucket allows.
    public var ratePerSecond = 20.0
    public var burst = 20.0
    /// Requests in flight at once.
    public var concurrency = 8
    /// How long a claim holds; a dispatcher killed mid-send leaves its messages `sending` until then.
    public var leaseSeconds = 120.0
    /// After this long without a final delivery report a message becomes `expired`.
    public var reportTimeoutHours = 48.0
    public var retry = RetryPolicy()
    public var circuitFailures = 5
    public var circuitOpenSeconds = 60.0
    public var gateway = GatewayChoice.spool(directory: nil)
    /// `gateway.voice`: by default the spool with the spool SMS gateway, else none.
    public var voiceGateway = VoiceGatewayChoice.spool
    /// Resend after a crash even to a gateway that does not deduplicate (only when the provider
    /// deduplicates by our idempotency key itself).
    public var resendAfterCrash = false

    public init() {}

    /// Reads the sections this module owns; other sections are left to their modules.
    public static func parse(_ text: String, file: String) throws(CampaignError) -> CampaignSettings {
        do { return try parseSections(text, file: file) } catch let e as CampaignError { throw e } catch {
            throw .configuration(file: file, line: 0, detail: "\(error)")
        }
    }

    static func parseSections(_ text: String, file: String) throws -> CampaignSettings {
        var s = CampaignSettings()
        let root: Node?
        do { root = try Yams.compose(yaml: text) } catch { throw CampaignError.configuration(file: file, line: 0, detail: "not valid YAML: \(error)") }
        guard let map = root?.mapping else { return s }
        let r = SettingsReader(file: file)
        if let sms = map["sms"]?.mapping, let sig = sms["signature"] {
            do { s.signature = try SMSSignature(try r.string(sig, "sms.signature")) } catch let e as MessagingError {
                throw CampaignError.configuration(file: file, line: r.line(sig), detail: "sms.signature: \(e.description)")
            } catch let e as CampaignError { throw e } catch { throw CampaignError.configuration(file: file, line: r.line(sig), detail: "\(error)") }
        }
        if let c = map["campaigns"] {
            let m = try r.mapping(c, "campaigns", allowed: ["price-per-segment-fen", "price-per-voice-call-fen", "approval-threshold", "approver-must-differ", "phone-cap"])
            if let v = m["price-per-segment-fen"] { s.prices.smsSegmentFen = try r.int(v, "campaigns.price-per-segment-fen", min: 0) }
            if let v = m["price-per-voice-call-fen"] { s.prices.voiceCallFen = try r.int(v, "campaigns.price-per-voice-call-fen", min: 0) }
            if let v = m["approval-threshold"] { s.approvalThreshold = try r.int(v, "campaigns.approval-threshold", min: 0) }
            if let v = m["approver-must-differ"] { s.approverMustDiffer = try r.bool(v, "campaigns.approver-must-differ") }
            if let v = m["phone-cap"] {
                if v.string == "none" { s.phoneCap = nil } else {
                    let pm = try r.mapping(v, "campaigns.phone-cap", allowed: ["messages", "hours"])
                    s.phoneCap = PhoneCap(messages: try pm["messages"].map { try r.int($0, "phone-cap.messages", min: 1) } ?? 3,
                                          hours: try pm["hours"].map { try r.double($0, "phone-cap.hours", min: 0.01) } ?? 24)
                }
            }
        }
        if let d = map["dispatch"] {
            let m = try r.mapping(d, "dispatch", allowed: ["rate", "burst", "concurrency", "lease-seconds", "report-timeout-hours", "quiet-hours", "retry", "circuit", "time-zone"])
            if let v = m["rate"] { s.ratePerSecond = try r.double(v, "dispatch.rate", min: 0.001); s.burst = max(1, s.ratePerSecond) }
            if let v = m["burst"] { s.burst = try r.double(v, "dispatch.burst", min: 1) }
            if let v = m["concurrency"] { s.concurrency = try r.int(v, "dispatch.concurrency", min: 1) }
            if let v = m["lease-seconds"] { s.leaseSeconds = try r.double(v, "dispatch.lease-seconds", min: 1) }
            if let v = m["report-timeout-hours"] { s.reportTimeoutHours = try r.double(v, "dispatch.report-timeout-hours", min: 0.01) }
            if let v = m["time-zone"] {
                let name = try r.string(v, "dispatch.time-zone")
                guard let tz = TimeZone(identifier: name) else { throw CampaignError.configuration(file: file, line: r.line(v), detail: "dispatch.time-zone '\(name)' is not a time zone; use e.g. Asia/Shanghai") }
                s.timeZone = tz
            }
            if let q = m["quiet-hours"] {
                let qm = try r.mapping(q, "dispatch.quiet-hours", allowed: ["sms", "voice", "areas"])
                let smsStd = try qm["sms"].map { try r.quiet($0, "quiet-hours.sms") } ?? .smsDefault
                let voiceStd = try qm["voice"].map { try r.quiet($0, "quiet-hours.voice") } ?? .voiceDefault
                var smsOver: [String: QuietHours] = [:], voiceOver: [String: QuietHours] = [:]
                for (k, v) in try qm["areas"].map({ try r.mapping($0, "quiet-hours.areas", allowed: nil) }) ?? [:] {
                    let prefix = k.string ?? ""
                    guard !prefix.isEmpty, prefix.allSatisfy({ $0.isASCII && $0.isNumber }) else {
                        throw CampaignError.configuration(file: file, line: r.line(k), detail: "quiet-hours.areas: '\(prefix)' is not an area-code prefix (digits)")
                    }
                    let am = try r.mapping(v, "quiet-hours.areas.\(prefix)", allowed: ["sms", "voice"])
                    if let x = am["sms"] { smsOver[prefix] = try r.quiet(x, "quiet-hours.areas.\(prefix).sms") }
                    if let x = am["voice"] { voiceOver[prefix] = try r.quiet(x, "quiet-hours.areas.\(prefix).voice") }
                }
                s.smsQuietHours = QuietHoursPolicy(standard: smsStd, overrides: smsOver)
                s.voiceQuietHours = QuietHoursPolicy(standard: voiceStd, overrides: voiceOver)
            }
            if let v = m["retry"] {
                let rm = try r.mapping(v, "dispatch.retry", allowed: ["base-seconds", "multiplier", "max-seconds", "attempts", "max-retry-after-seconds"])
                if let x = rm["base-seconds"] { s.retry.baseDelaySeconds = try r.double(x, "retry.base-seconds", min: 0) }
                if let x = rm["multiplier"] { s.retry.multiplier = try r.double(x, "retry.multiplier", min: 1) }
                if let x = rm["max-seconds"] { s.retry.maxDelaySeconds = try r.double(x, "retry.max-seconds", min: 0) }
                if let x = rm["attempts"] { s.retry.maxAttempts = try r.int(x, "retry.attempts", min: 1) }
                if let x = rm["max-retry-after-seconds"] { s.retry.maxRetryAfterSeconds = try r.double(x, "retry.max-retry-after-seconds", min: 0) }
            }
            if let v = m["circuit"] {
                let cm = try r.mapping(v, "dispatch.circuit", allowed: ["failures", "open-seconds"])
                if let x = cm["failures"] { s.circuitFailures = try r.int(x, "circuit.failures", min: 1) }
                if let x = cm["open-seconds"] { s.circuitOpenSeconds = try r.double(x, "circuit.open-seconds", min: 0) }
            }
        }
        if let g = map["gateway"] {
            let m = try r.mapping(g, "gateway", allowed: ["sms", "voice", "spool-directory", "kannel", "http-template", "voice-http", "resend-after-crash"])
            if let v = m["resend-after-crash"] { s.resendAfterCrash = try r.bool(v, "gateway.resend-after-crash") }
            let kind = try m["sms"].map { try r.string($0, "gateway.sms") } ?? "spool"
            switch kind {
            case "spool": s.gateway = .spool(directory: try m["spool-directory"].map { try r.string($0, "gateway.spool-directory") })
            case "kannel":
                guard let k = m["kannel"] else { throw CampaignError.configuration(file: file, line: r.line(g), detail: "gateway.sms is kannel but there is no gateway.kannel section; add sendsms-url, username, password") }
                s.gateway = .kannel(try r.kannel(k))
            case "http-template":
                guard let t = m["http-template"] else { throw CampaignError.configuration(file: file, line: r.line(g), detail: "gateway.sms is http-template but there is no gateway.http-template section; add url and body") }
                s.gateway = try r.httpTemplate(t)
            default:
                throw CampaignError.configuration(file: file, line: r.line(m["sms"] ?? g), detail: "gateway.sms '\(kind)' is not a gateway; use spool, kannel or http-template")
            }
            let voice = try m["voice"].map { try r.string($0, "gateway.voice") } ?? (kind == "spool" ? "spool" : "none")
            switch voice {
            case "none": s.voiceGateway = .disabled
            case "spool": s.voiceGateway = .spool
            case "voice-http":
                guard let v = m["voice-http"] else { throw CampaignError.configuration(file: file, line: r.line(g), detail: "gateway.voice is voice-http but there is no gateway.voice-http section; add url, body, audio and report-secret") }
                s.voiceGateway = .voiceHTTP(try r.voiceHTTP(v))
            default:
                throw CampaignError.configuration(file: file, line: r.line(m["voice"] ?? g), detail: "gateway.voice '\(voice)' is not a voice gateway; use none, spool or voice-http")
            }
        }
        return s
    }
}

/// Reads typed values from YAML nodes, with the file and line in every error.
struct SettingsReader {
    let file: String
    func line(_ n: Node) -> Int { (n.mark?.line ?? 0) }
    func fail(_ n: Node, _ detail: String) -> CampaignError { .configuration(file: file, line: line(n), detail: detail) }

    func mapping(_ n: Node, _ field: String, allowed: [String]?) throws -> Node.Mapping {
        guard let m = n.mapping else { throw fail(n, "\(field) must be a mapping") }
        if let allowed {
            for (k, _) in m where !allowed.contains(k.string ?? "") {
                throw fail(k, "unknown option '\(k.string ?? "")' in \(field); allowed: \(allowed.joined(separator: ", "))")
            }
        }
        return m
    }
    func string(_ n: Node, _ field: String) throws -> String {
        guard let s = n.string, !s.isEmpty else { throw fail(n, "\(field) must be a non-empty text") }
        return s
    }
    func int(_ n: Node, _ field: String, min: Int) throws -> Int {
        guard let v = n.int, v >= min else { throw fail(n, "\(field) must be a whole number ≥ \(min), not '\(n.string ?? "")'") }
        return v
    }
    func double(_ n: Node, _ field: String, min: Double) throws -> Double {
        guard let v = n.float ?? n.int.map(Double.init), v >= min else { throw fail(n, "\(field) must be a number ≥ \(min), not '\(n.string ?? "")'") }
        return v
    }
    func bool(_ n: Node, _ field: String) throws -> Bool {
        guard let v = n.bool else { throw fail(n, "\(field) must be true or false") }
        return v
    }
    func quiet(_ n: Node, _ field: String) throws -> QuietHours {
        let given = try string(n, field)
        let text = given == "none" ? "" : given
        do { return try QuietHours(text) } catch { throw fail(n, "\(field): \(error.description)") }
    }
    func httpTemplate(_ n: Node) throws -> GatewayChoice {
        let f = "gateway.http-template"
        let m = try mapping(n, f, allowed: ["name", "url", "method", "headers", "body", "message-id-path", "result-code-path", "success-code",
                                            "error-message-path", "retryable-codes", "report-path", "timeout-seconds", "deduplicates"])
        guard let urlNode = m["url"], let url = URL(string: try string(urlNode, "\(f).url")), url.scheme?.hasPrefix("http") == true else {
            throw fail(n, "\(f) needs 'url', an http(s) URL")
        }
        guard let bodyNode = m["body"] else { throw fail(n, "\(f) needs 'body', the JSON body with {{phone}}, {{templateCode}}, {{params}}… placeholders") }
        var headers: [String: String] = ["Content-Type": "application/json; charset=utf-8"]
        for (k, v) in try m["headers"].map({ try mapping($0, "\(f).headers", allowed: nil) }) ?? [:] {
            headers[try string(k, "\(f).headers")] = try string(v, "\(f).headers.\(k.string ?? "")")
        }
        func opt(_ key: String) throws -> String? { try m[key].map { try string($0, "\(f).\(key)") } }
        let config = HTTPTemplateConfiguration(
            name: try opt("name") ?? "http-template", url: url, method: try opt("method") ?? "POST", headers: headers, body: json(bodyNode),
            messageIDPath: try opt("message-id-path"), resultCodePath: try opt("result-code-path"), successCode: try opt("success-code"),
            errorMessagePath: try opt("error-message-path"),
            retryableCodes: try (m["retryable-codes"]?.sequence ?? []).map { try string($0, "\(f).retryable-codes") },
            reportPath: try opt("report-path"),
            timeoutSeconds: try m["timeout-seconds"].map { try double($0, "\(f).timeout-seconds", min: 0.1) } ?? 10)
        return .httpTemplate(config, deduplicates: try m["deduplicates"].map { try bool($0, "\(f).deduplicates") } ?? false)
    }

    /// A YAML value as JSON: plain numbers and booleans stay typed, quoted scalars are text.
    func json(_ n: Node) -> JSONValue {
        switch n {
        case let .mapping(m): return .object(Dictionary(m.map { ($0.key.string ?? "", json($0.value)) }, uniquingKeysWith: { a, _ in a }))
        case let .sequence(seq): return .array(seq.map(json))
        case let .scalar(s):
            guard s.style == .plain else { return .string(s.string) }
            if s.string == "null" || s.string == "~" { return .null }
            if s.string == "true" || s.string == "false" { return .bool(s.string == "true") }
            if let d = Double(s.string), s.string.first.map({ $0.isNumber || $0 == "-" }) == true { return .number(d) }
            return .string(s.string)
        case .alias: return .null
        }
    }

    func voiceHTTP(_ n: Node) throws -> VoiceHTTPConfiguration {
        let f = "gateway.voice-http"
        let m = try mapping(n, f, allowed: ["name", "url", "method", "headers", "body", "audio", "public-url", "audio-link-minutes",
                                            "call-id-path", "result-code-path", "success-code", "error-message-path", "retryable-codes",
                                            "report", "report-secret", "timeout-seconds", "deduplicates"])
        func opt(_ key: String) throws -> String? { try m[key].map { try string($0, "\(f).\(key)") } }
        func url(_ key: String) throws -> URL? {
            guard let node = m[key] else { return nil }
            guard let u = URL(string: try string(node, "\(f).\(key)")), u.scheme?.hasPrefix("http") == true else { throw fail(node, "\(f).\(key) must be an http(s) URL") }
            return u
        }
        guard let target = try url("url") else { throw fail(n, "\(f) needs 'url', the provider's call API") }
        guard let bodyNode = m["body"] else { throw fail(n, "\(f) needs 'body', the JSON body with {{phone}}, {{audioURL}} or {{audioBase64}}, {{outboxID}}… placeholders") }
        guard let secret = try opt("report-secret") else { throw fail(n, "\(f) needs 'report-secret', a random string of at least 16 characters that call reports must carry") }
        var headers: [String: String] = ["Content-Type": "application/json; charset=utf-8"]
        for (k, v) in try m["headers"].map({ try mapping($0, "\(f).headers", allowed: nil) }) ?? [:] {
            headers[try string(k, "\(f).headers")] = try string(v, "\(f).headers.\(k.string ?? "")")
        }
        let audioText = try opt("audio") ?? "url"
        guard let audio = VoiceHTTPConfiguration.AudioDelivery(rawValue: audioText) else {
            throw fail(m["audio"] ?? n, "\(f).audio '\(audioText)' must be url (the provider fetches a signed link) or inline (base64 in the request)")
        }
        var report = VoiceReportFormat()
        if let rn = m["report"] {
            let rm = try mapping(rn, "\(f).report", allowed: ["items-path", "outbox-id-path", "call-id-path", "status-path", "delivered", "progress", "reply"])
            func ropt(_ key: String) throws -> String? { try rm[key].map { try string($0, "\(f).report.\(key)") } }
            func list(_ key: String) throws -> [String]? {
                try rm[key].map { node in
                    guard let seq = node.sequence else { throw fail(node, "\(f).report.\(key) must be a list of status values") }
                    return try seq.map { try string($0, "\(f).report.\(key)") }
                }
            }
            report = VoiceReportFormat(itemsPath: try ropt("items-path"), outboxIDPath: try ropt("outbox-id-path") ?? report.outboxIDPath,
                                       callIDPath: try ropt("call-id-path"), statusPath: try ropt("status-path") ?? report.statusPath,
                                       delivered: try list("delivered") ?? report.delivered, progress: try list("progress") ?? [],
                                       reply: try ropt("reply") ?? report.reply)
        }
        let config = VoiceHTTPConfiguration(
            name: try opt("name") ?? "voice-http", url: target, method: try opt("method") ?? "POST", headers: headers, body: json(bodyNode),
            audio: audio, publicURL: try url("public-url"),
            audioLinkSeconds: try m["audio-link-minutes"].map { try double($0, "\(f).audio-link-minutes", min: 1) * 60 } ?? 6 * 3600,
            answer: ProviderAnswer(messageIDPath: try opt("call-id-path"), resultCodePath: try opt("result-code-path"),
                                   successCode: try opt("success-code"), errorMessagePath: try opt("error-message-path"),
                                   retryableCodes: try (m["retryable-codes"]?.sequence ?? []).map { try string($0, "\(f).retryable-codes") }),
            report: report, reportSecret: secret,
            timeoutSeconds: try m["timeout-seconds"].map { try double($0, "\(f).timeout-seconds", min: 0.1) } ?? 15,
            deduplicates: try m["deduplicates"].map { try bool($0, "\(f).deduplicates") } ?? false)
        do { try config.validate() } catch { throw fail(n, error.description) }
        return config
    }

    func kannel(_ n: Node) throws -> KannelConfiguration {
        let m = try mapping(n, "gateway.kannel", allowed: ["name", "sendsms-url", "username", "password", "sender", "smsc-id", "dlr-mask", "dlr-url", "dlr-secret", "max-messages", "timeout-seconds"])
        func req(_ k: String) throws -> String {
            guard let v = m[k] else { throw fail(n, "gateway.kannel needs '\(k)'") }
            return try string(v, "gateway.kannel.\(k)")
        }
        guard let url = URL(string: try req("sendsms-url")) else { throw fail(n, "gateway.kannel.sendsms-url is not a URL") }
        var dlr: URL? = nil
        if let d = m["dlr-url"] {
            guard let u = URL(string: try string(d, "gateway.kannel.dlr-url")) else { throw fail(d, "gateway.kannel.dlr-url is not a URL") }
            dlr = u
        }
        let config = KannelConfiguration(
            name: try m["name"].map { try string($0, "gateway.kannel.name") } ?? "kannel", sendsmsURL: url,
            username: try req("username"), password: try req("password"),
            sender: try m["sender"].map { try string($0, "gateway.kannel.sender") },
            smscID: try m["smsc-id"].map { try string($0, "gateway.kannel.smsc-id") },
            dlrMask: try m["dlr-mask"].map { try int($0, "gateway.kannel.dlr-mask", min: 1) } ?? 31,
            dlrCallbackURL: dlr, dlrSecret: try m["dlr-secret"].map { try string($0, "gateway.kannel.dlr-secret") },
            maxMessages: try m["max-messages"].map { try int($0, "gateway.kannel.max-messages", min: 1) } ?? 5,
            timeoutSeconds: try m["timeout-seconds"].map { try double($0, "gateway.kannel.timeout-seconds", min: 0.1) } ?? 10)
        do { try config.validate() } catch { throw fail(n, error.description) }
        return config
    }
}
