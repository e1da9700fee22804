/// Errors of the Messaging module: each names what was wrong and how to fix it.
public enum MessagingError: Error, Equatable, CustomStringConvertible {
    case invalidSignature(String, reason: String)
    case invalidPhone(String)
    case invalidOutboxID(String)
    case textTooLong(segments: Int, maximum: Int)
    case invalidGatewayConfiguration(gateway: String, field: String, reason: String)
    case invalidDeliveryReport(field: String, value: String?, reason: String)
    case invalidQuietWindow(String, reason: String)
    case noAllowedTime(String)
    case invalidThrottle(reason: String)
    case invalidTemplate(field: String, reason: String)

    public var description: String {
        switch self {
        case let .invalidSignature(raw, reason):
            return "SMS signature '\(raw)' is not usable: \(reason); give the sender name, e.g. 昆明民政 or 【昆明民政】"
        case let .invalidPhone(phone):
            return "phone '\(phone)' is not a normalised 11-digit mobile number; normalise it with the registry before sending"
        case let .invalidOutboxID(id):
            return "outbox id '\(id)' cannot travel in a delivery-report URL; use only letters, digits, '-', '_' and '.'"
        case let .textTooLong(segments, maximum):
            return "the text needs \(segments) SMS segments but the gateway allows \(maximum); shorten it or raise max-messages for the sendsms user"
        case let .invalidGatewayConfiguration(gateway, field, reason):
            return "gateway '\(gateway)': \(field) \(reason); fix it in carnation.yaml"
        case let .invalidDeliveryReport(field, value, reason):
            return "delivery report: \(field)=\(value ?? "(missing)") \(reason); check the dlr-url the gateway was given"
        case let .invalidQuietWindow(window, reason):
            return "quiet-hours window '\(window)' \(reason); write it as HH:MM-HH:MM, e.g. 21:00-08:00"
        case let .noAllowedTime(what):
            return "quiet hours for \(what) cover the whole day, so nothing could ever be sent; shorten a window"
        case let .invalidThrottle(reason):
            return "throttle: \(reason); give a positive rate and a burst of at least 1"
        case let .invalidTemplate(field, reason):
            return "gateway request template: \(field) \(reason); fix the gateway's template in carnation.yaml"
        }
    }
}
