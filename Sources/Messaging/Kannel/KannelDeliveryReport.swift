import Foundation

/// A delivery report Kannel's smsbox sends to the dlr-url built by `KannelURL.deliveryReportURL`.
///
/// Kannel asks a report for the first part of a split message only (`gw/sms.c` `sms_split`), so one
/// report stands for the whole logical message: the outbox keeps one status per message, never per part.
public struct KannelDeliveryReport: Sendable, Equatable {
    /// The outbox row (our `outbox` parameter).
    public let outboxID: String
    /// The per-message key given back (`key`), for `carnation serve` to check with `MessageKey`.
    public let key: String?
    /// Kannel's DLR type value (`%d`).
    public let type: Int
    public let status: DeliveryStatus
    /// When Kannel produced the report (`%T`, UNIX seconds), if given.
    public let time: Date?
    /// The handset (`%p`) and our sender (`%P`).
    public let phone: String?
    public let sender: String?
    /// The SMSC's id (`%i`), its reply text (`%A`, e.g. `ACK/`) and its message id (`%F`).
    public let smscID: String?
    public let smscReply: String?
    public let foreignID: String?

    /// Maps a Kannel DLR type to a status: 1 delivered, 2 undelivered, 4 buffered, 8 accepted by SMSC,
    /// 16 rejected by SMSC, 32 intermediate.
    public static func status(forType type: Int) -> DeliveryStatus? {
        switch type {
        case 1: return .delivered
        case 2: return .undelivered
        case 4: return .buffered
        case 8: return .acceptedBySMSC
        case 16: return .rejectedBySMSC
        case 32: return .intermediate
        default: return nil
        }
    }

    /// Reads a report from the callback's decoded query parameters.
    public init(parameters: [String: String]) throws(MessagingError) {
        func nonEmpty(_ key: String) -> String? {
            guard let value = parameters[key], !value.isEmpty else { return nil }
            return value
        }
        guard let outbox = nonEmpty("outbox") else {
            throw .invalidDeliveryReport(field: "outbox", value: nil, reason: "is required")
        }
        do { try KannelURL.validateOutboxID(outbox) } catch {
            throw .invalidDeliveryReport(field: "outbox", value: outbox, reason: "is not an outbox id")
        }
        guard let typeText = nonEmpty("type") else {
            throw .invalidDeliveryReport(field: "type", value: nil, reason: "is required")
        }
        guard let type = Int(typeText), let status = Self.status(forType: type) else {
            throw .invalidDeliveryReport(field: "type", value: typeText, reason: "is not a Kannel DLR type (1, 2, 4, 8, 16, 32)")
        }
        var time: Date? = nil
        if let ts = nonEmpty("ts") {
            guard let seconds = Int64(ts), seconds >= 0 else {
                throw .invalidDeliveryReport(field: "ts", value: ts, reason: "is not a UNIX time in seconds")
            }
            time = Date(timeIntervalSince1970: TimeInterval(seconds))
        }
        self.outboxID = outbox
        self.key = parameters["key"]
        self.type = type
        self.status = status
        self.time = time
        self.phone = nonEmpty("to")
        self.sender = nonEmpty("from")
        self.smscID = nonEmpty("smsc")
        self.smscReply = nonEmpty("reply")
        self.foreignID = nonEmpty("fid")
    }

    /// Reads a report from a raw query string (`outbox=42&type=1&…`), percent-decoding the values
    /// and reading `+` as a space. A parameter given twice keeps its first value.
    public init(query: String) throws(MessagingError) {
        try self.init(parameters: Self.decodeQuery(query))
    }

    /// Splits and percent-decodes an `application/x-www-form-urlencoded` query.
    public static func decodeQuery(_ query: String) throws(MessagingError) -> [String: String] {
        var result: [String: String] = [:]
        let trimmed = query.hasPrefix("?") ? String(query.dropFirst()) : query
        for pair in trimmed.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let rawKey = String(parts[0]).replacingOccurrences(of: "+", with: " ")
            let rawValue = parts.count > 1 ? String(parts[1]).replacingOccurrences(of: "+", with: " ") : ""
            guard let key = rawKey.removingPercentEncoding, let value = rawValue.removingPercentEncoding else {
                throw .invalidDeliveryReport(field: String(parts[0]), value: String(pair), reason: "is not valid percent-encoding")
            }
            if result[key] == nil { result[key] = value }
        }
        return result
    }
}
