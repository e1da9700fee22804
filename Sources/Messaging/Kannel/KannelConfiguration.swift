import Foundation

/// How to reach one Kannel smsbox's sendsms interface, and where its delivery reports go.
public struct KannelConfiguration: Sendable, Equatable, Codable {
    /// The gateway's name in carnation.yaml.
    public var name: String
    /// The sendsms endpoint, e.g. `http://127.0.0.1:13013/cgi-bin/sendsms`.
    public var sendsmsURL: URL
    /// The `sendsms-user` group's username and password.
    public var username: String
    public var password: String
    /// Sender number (`from`); nil leaves it to smsbox's `global-sender`.
    public var sender: String?
    /// Route to this `smsc-id`; nil lets bearerbox choose.
    public var smscID: String?
    /// Which delivery reports to ask for (`dlr-mask` bits: 1 delivered, 2 not delivered, 4 buffered,
    /// 8 accepted by SMSC, 16 rejected by SMSC, 32 intermediate). Default 31: all but intermediate.
    public var dlrMask: Int
    /// Where Kannel calls back with delivery reports (`carnation serve`), e.g.
    /// `http://127.0.0.1:8080/gateways/kannel/dlr`. nil asks for no reports.
    public var dlrCallbackURL: URL?
    /// Per-gateway secret (letters, digits, `-_.~`): each message's dlr-url carries an HMAC of its outbox id
    /// under it, which `carnation serve` checks on each report.
    public var dlrSecret: String?
    /// The sendsms user's `max-messages`: Kannel cuts longer text, so longer text is refused here.
    public var maxMessages: Int
    /// Seconds to wait for smsbox's answer.
    public var timeoutSeconds: Double

    public init(name: String = "kannel", sendsmsURL: URL, username: String, password: String,
                sender: String? = nil, smscID: String? = nil, dlrMask: Int = 31,
                dlrCallbackURL: URL? = nil, dlrSecret: String? = nil, maxMessages: Int = 5,
                timeoutSeconds: Double = 10) {
        self.name = name
        self.sendsmsURL = sendsmsURL
        self.username = username
        self.password = password
        self.sender = sender
        self.smscID = smscID
        self.dlrMask = dlrMask
        self.dlrCallbackURL = dlrCallbackURL
        self.dlrSecret = dlrSecret
        self.maxMessages = maxMessages
        self.timeoutSeconds = timeoutSeconds
    }

    /// Checks the values Kannel would otherwise misread silently.
    public func validate() throws(MessagingError) {
        func bad(_ field: String, _ reason: String) -> MessagingError {
            .invalidGatewayConfiguration(gateway: name, field: field, reason: reason)
        }
        guard let scheme = sendsmsURL.scheme?.lowercased(), scheme == "http" || scheme == "https",
              sendsmsURL.host != nil else {
            throw bad("sendsms-url", "must be an http(s) URL such as http://127.0.0.1:13013/cgi-bin/sendsms")
        }
        guard sendsmsURL.query == nil else { throw bad("sendsms-url", "must not carry a query; give username and password separately") }
        guard !username.isEmpty else { throw bad("username", "is empty") }
        guard (1...63).contains(dlrMask) else { throw bad("dlr-mask", "must be between 1 and 63") }
        guard maxMessages >= 1 else { throw bad("max-messages", "must be at least 1") }
        guard timeoutSeconds > 0 else { throw bad("timeout", "must be positive") }
        if let sender, sender.isEmpty || !sender.unicodeScalars.allSatisfy(KannelURL.unreserved.contains) {
            throw bad("sender", "must be digits or plain letters")
        }
        if let callback = dlrCallbackURL {
            guard let scheme = callback.scheme?.lowercased(), scheme == "http" || scheme == "https" else {
                throw bad("dlr-url", "must be an http(s) URL of carnation serve")
            }
            guard callback.query == nil, !callback.absoluteString.contains("%") else {
                throw bad("dlr-url", "must have no query and no '%' (Kannel expands % escapes in it)")
            }
        }
        if let secret = dlrSecret {
            guard !secret.isEmpty, secret.unicodeScalars.allSatisfy(KannelURL.unreserved.contains) else {
                throw bad("dlr-secret", "must be letters, digits and -_.~ only (it travels inside the dlr-url)")
            }
        }
    }
}
