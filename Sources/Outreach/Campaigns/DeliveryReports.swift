import Foundation
import Messaging
import Store

/// Applies gateway delivery reports and inbound replies to the outbox. The web endpoints call these;
/// each is safe to call twice with the same report.
public enum DeliveryReports {
    /// What went wrong with a report; the web layer maps it to a status code.
    public enum Rejection: Error, Equatable, CustomStringConvertible {
        case malformed(String)
        case wrongSecret(gateway: String)

        public var description: String {
            switch self {
            case let .malformed(d): return "delivery report not understood: \(d)"
            case let .wrongSecret(g): return "delivery report for gateway '\(g)' carries a wrong or missing key; check dlr-secret in carnation.yaml"
            }
        }
    }

    /// How a Messaging status lands in the store.
    public static func kind(of status: DeliveryStatus) -> DeliveryReportKind {
        if !status.isFinal { return .progress }
        return status.isFailure ? .failed : .delivered
    }

    /// Applies a Kannel delivery report given as the callback's raw query string (what Kannel's
    /// smsbox requests on the dlr-url). The secret must match the gateway's `dlr-secret` when one is set.
    public static func applyKannel(query: String, gateway: KannelConfiguration, to database: CarnationDatabase, now: Date) throws -> DeliveryReportEffect {
        let report: KannelDeliveryReport
        do { report = try KannelDeliveryReport(query: query) } catch { throw Rejection.malformed(error.description) }
        if let secret = gateway.dlrSecret, report.secret != secret { throw Rejection.wrongSecret(gateway: gateway.name) }
        guard let id = Int64(report.outboxID) else { throw Rejection.malformed("outbox '\(report.outboxID)' is not a message number") }
        let detail = [report.smscReply.map { "reply \($0)" }, report.foreignID.map { "smsc id \($0)" }].compactMap { $0 }.joined(separator: ", ")
        return try database.applyDeliveryReport(outboxID: id, kind: kind(of: report.status), status: report.status.rawValue,
                                                gateway: gateway.name, detail: detail, now: now)
    }

    /// An inbound SMS: 退订/TD/STOP and the like opt the phone out (withdrawing what waits for it).
    /// Returns true when the text was an opt-out.
    @discardableResult
    public static func applyInbound(phone: String, text: String, keywords: OptOutKeywords = .standard, to database: CarnationDatabase, now: Date) throws -> Bool {
        guard keywords.matches(text) else { return false }
        try database.optOut(phone: phone, source: "reply: \(text.prefix(20))", now: now)
        return true
    }
}
