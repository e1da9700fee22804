import Foundation

/// One SMS handed to a gateway: the outbox row it comes from, the phone, and the full text.
public struct OutgoingSMS: Sendable, Equatable {
    /// The outbox row's id; it travels in the delivery-report URL so reports find their message.
    public let outboxID: String
    /// Idempotency key (campaign, resident, channel); gateways that can deduplicate use it.
    public let idempotencyKey: String
    /// A normalised 11-digit mainland mobile number (the registry normalises; this module only checks).
    public let phone: String
    /// The full text as the resident reads it, signature included (what text gateways send and what is counted).
    public let text: String
    /// The same message as template code and parameters, for providers that only send approved templates.
    public let template: SMSTemplateContent?

    public init(outboxID: String, idempotencyKey: String, phone: String, text: String,
                template: SMSTemplateContent? = nil) throws(MessagingError) {
        try Self.validatePhone(phone)
        self.outboxID = outboxID
        self.idempotencyKey = idempotencyKey
        self.phone = phone
        self.text = text
        self.template = template
    }

    /// Checks a phone is exactly 11 ASCII digits starting with 1 (several numbers or a `+` would make
    /// Kannel send to several recipients).
    public static func validatePhone(_ phone: String) throws(MessagingError) {
        let bytes = Array(phone.utf8)
        guard bytes.count == 11, bytes.first == UInt8(ascii: "1"),
              bytes.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) else {
            throw .invalidPhone(phone)
        }
    }
}

/// What a gateway said about one send.
public enum SendResult: Sendable, Equatable {
    /// The gateway took the message (not yet delivered). `gatewayMessageID` is its own id when it returns one.
    case accepted(gatewayMessageID: String?, detail: String)
    /// The gateway did not take it, or we cannot tell.
    case failed(GatewayError)
}

/// Why a send failed, and what the dispatcher may do about it.
public enum GatewayError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Could not connect at all: the request never reached the gateway. Retryable, never sent.
    case unreachable(gateway: String, detail: String)
    /// Timed out or the connection broke after the request was written: it may have been sent.
    case noAnswer(gateway: String, detail: String)
    /// The gateway answered that it cannot take messages now (5xx, Kannel 503, 429). Retryable.
    case temporarilyRefused(gateway: String, status: Int, body: String, retryAfter: Double?)
    /// The gateway rejected this message (4xx other than 429, a provider error code). Not retryable.
    case rejected(gateway: String, status: Int, code: String?, body: String)
    /// The answer cannot be understood. The request reached the gateway, so it may have been sent.
    case unreadableAnswer(gateway: String, status: Int, body: String)
    /// The message was refused before sending (bad phone, too long, encoding check). Not retryable.
    case invalidMessage(MessagingError)
    /// The gateway's local side failed (spool directory not writable…). Retryable once fixed.
    case local(gateway: String, detail: String)

    /// Whether trying again later can succeed.
    public var isRetryable: Bool {
        switch self {
        case .unreachable, .noAnswer, .temporarilyRefused, .local: return true
        case .rejected, .invalidMessage, .unreadableAnswer: return false
        }
    }

    /// Whether the message may have reached the gateway despite the failure. Such a message is
    /// `unknown` and is resolved from delivery reports, not blindly resent.
    public var mayHaveBeenSent: Bool {
        switch self {
        case .noAnswer, .unreadableAnswer: return true
        case .unreachable, .temporarilyRefused, .rejected, .invalidMessage, .local: return false
        }
    }

    /// Seconds the gateway asked us to wait (HTTP Retry-After), if it did.
    public var retryAfter: Double? {
        if case let .temporarilyRefused(_, _, _, retryAfter) = self { return retryAfter }
        return nil
    }

    public var description: String {
        switch self {
        case let .unreachable(gateway, detail):
            return "gateway '\(gateway)' is unreachable (\(detail)); check that it is running and the URL in carnation.yaml"
        case let .noAnswer(gateway, detail):
            return "gateway '\(gateway)' gave no answer (\(detail)); the message may have been sent and waits for a delivery report"
        case let .temporarilyRefused(gateway, status, body, retryAfter):
            let wait = retryAfter.map { ", asked to wait \(Int($0)) s" } ?? ""
            return "gateway '\(gateway)' refused for now (HTTP \(status) \(body.prefix(120))\(wait)); it will be retried"
        case let .rejected(gateway, status, code, body):
            let codeText = code.map { " code \($0)" } ?? ""
            return "gateway '\(gateway)' rejected the message (HTTP \(status)\(codeText): \(body.prefix(200))); fix the message or the gateway account"
        case let .unreadableAnswer(gateway, status, body):
            return "gateway '\(gateway)' answered HTTP \(status) with '\(body.prefix(120))', which is not understood; check the gateway type in carnation.yaml"
        case let .invalidMessage(error):
            return "message not sent: \(error.description)"
        case let .local(gateway, detail):
            return "gateway '\(gateway)' failed locally: \(detail)"
        }
    }
}

/// A way to send SMS. Implementations do one HTTP request (or file write) per call and never retry
/// on their own: retries, throttling and quiet hours belong to the dispatcher.
public protocol SMSGateway: Sendable {
    /// The gateway's name in the configuration, used in errors and the outbox.
    var name: String { get }
    /// Whether resending the same idempotency key is harmless (the spool, providers that deduplicate).
    var deduplicates: Bool { get }
    /// Sends one message.
    func send(_ message: OutgoingSMS) async -> SendResult
}
