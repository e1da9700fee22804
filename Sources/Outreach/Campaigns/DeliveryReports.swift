import Digests
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
            case let .wrongSecret(g): return "delivery report for gateway '\(g)' carries a wrong or missing key; check dlr-secret (kannel) or report-secret (voice-http) in carnation.yaml"
            }
        }
    }

    /// How a Messaging status lands in the store.
    public static func kind(of status: DeliveryStatus) -> DeliveryReportKind {
        if !status.isFinal { return .progress }
        return status.isFailure ? .failed : .delivered
    }

    /// Applies a Kannel delivery report given as the callback's raw query string (what Kannel's
    /// smsbox requests on the dlr-url). When the gateway has a `dlr-secret`, `key` must be this message's own
    /// key (`MessageKey`), so a report for one message cannot be made with another's.
    public static func applyKannel(query: String, gateway: KannelConfiguration, to database: CarnationDatabase, now: Date) throws -> DeliveryReportEffect {
        let report: KannelDeliveryReport
        do { report = try KannelDeliveryReport(query: query) } catch { throw Rejection.malformed(error.description) }
        if let secret = gateway.dlrSecret, !MessageKey(secret: secret).verify(report.key, for: report.outboxID) {
            throw Rejection.wrongSecret(gateway: gateway.name)
        }
        guard let id = Int64(report.outboxID) else { throw Rejection.malformed("outbox '\(report.outboxID)' is not a message number") }
        let detail = [report.smscReply.map { "reply \($0)" }, report.foreignID.map { "smsc id \($0)" }].compactMap { $0 }.joined(separator: ", ")
        return try database.applyDeliveryReport(outboxID: id, kind: kind(of: report.status), status: report.status.rawValue,
                                                gateway: gateway.name, detail: detail, now: now)
    }

    /// Applies a voice provider's call reports (the callback's JSON body, or its query/form fields as one flat
    /// object). `key` is either the gateway's `report-secret` itself (a callback URL set once in the provider's
    /// console), or, with `outbox`, that message's own key (the `{{reportURL}}` sent with each call); then every
    /// report must be about that message. Safe to call twice: a settled message stays as it is.
    public static func applyVoice(_ payload: JSONValue, outbox: String?, key: String?, gateway: VoiceHTTPConfiguration,
                                  to database: CarnationDatabase, now: Date) throws -> [DeliveryReportEffect] {
        if let outbox {
            guard MessageKey(secret: gateway.reportSecret).verify(key, for: outbox) else { throw Rejection.wrongSecret(gateway: gateway.name) }
        } else {
            guard let key, constantTimeEqual(key, gateway.reportSecret) else { throw Rejection.wrongSecret(gateway: gateway.name) }
        }
        let reports: [VoiceCallReport]
        do { reports = try VoiceCallReport.parse(payload, format: gateway.report, outboxID: outbox) } catch { throw Rejection.malformed(error.description) }
        var ids: [Int64] = []
        for report in reports {
            guard let id = Int64(report.outboxID) else { throw Rejection.malformed("outbox '\(report.outboxID)' is not a message number") }
            if let outbox, report.outboxID != outbox { throw Rejection.wrongSecret(gateway: gateway.name) }
            ids.append(id)
        }
        var effects: [DeliveryReportEffect] = []
        for (report, id) in zip(reports, ids) {
            let detail = ["provider status \(report.status)", report.callID.map { "call \($0.prefix(64))" }].compactMap { $0 }.joined(separator: ", ")
            effects.append(try database.applyDeliveryReport(outboxID: id, kind: kind(of: report.outcome), status: report.outcome.rawValue,
                                                            gateway: gateway.name, detail: detail, now: now))
        }
        return effects
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
