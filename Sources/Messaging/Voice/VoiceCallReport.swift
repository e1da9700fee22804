import Foundation

/// One call result a voice provider reported: which message, the provider's status, and what it means.
public struct VoiceCallReport: Sendable, Equatable {
    public let outboxID: String
    public let callID: String?
    /// The provider's status value as sent.
    public let status: String
    public let outcome: DeliveryStatus

    public init(outboxID: String, callID: String?, status: String, outcome: DeliveryStatus) {
        self.outboxID = outboxID
        self.callID = callID
        self.status = status
        self.outcome = outcome
    }

    /// Reads the reports in a callback: a JSON body (one object or a list), or the query/form fields as one flat
    /// report. Answered statuses are `delivered`, listed progress statuses `intermediate`, every other status
    /// `undelivered` (the call was made and not answered, or failed). A report without an outbox id takes
    /// `outboxID` (the one in the per-message report URL), when given.
    public static func parse(_ payload: JSONValue, format: VoiceReportFormat, outboxID fallback: String? = nil) throws(MessagingError) -> [VoiceCallReport] {
        var root = payload
        if let path = format.itemsPath {
            guard let inner = payload.value(at: path) else {
                throw .invalidDeliveryReport(field: path, value: nil, reason: "is missing from the call report")
            }
            root = inner
        }
        let items: [JSONValue]
        switch root {
        case let .array(list): items = list
        case .object: items = [root]
        default: throw .invalidDeliveryReport(field: format.itemsPath ?? "body", value: nil, reason: "is neither a report nor a list of reports")
        }
        guard !items.isEmpty else { throw .invalidDeliveryReport(field: format.itemsPath ?? "body", value: "[]", reason: "holds no report") }
        var reports: [VoiceCallReport] = []
        for item in items {
            guard let outbox = item.value(at: format.outboxIDPath)?.scalarText ?? fallback, !outbox.isEmpty else {
                throw .invalidDeliveryReport(field: format.outboxIDPath, value: nil, reason: "is required (send {{outboxID}} where the provider echoes it)")
            }
            do { try KannelURL.validateOutboxID(outbox) } catch {
                throw .invalidDeliveryReport(field: format.outboxIDPath, value: String(outbox.prefix(70)), reason: "is not an outbox id")
            }
            guard let status = item.value(at: format.statusPath)?.scalarText, !status.isEmpty else {
                throw .invalidDeliveryReport(field: format.statusPath, value: nil, reason: "is required")
            }
            let outcome: DeliveryStatus = format.delivered.contains(status) ? .delivered
                : format.progress.contains(status) ? .intermediate : .undelivered
            reports.append(VoiceCallReport(outboxID: outbox, callID: format.callIDPath.flatMap { item.value(at: $0)?.scalarText },
                                           status: String(status.prefix(64)), outcome: outcome))
        }
        return reports
    }
}
