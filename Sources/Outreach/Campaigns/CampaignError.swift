/// What stops a campaign command; each case names the campaign or file and the fix.
public enum CampaignError: Error, Equatable, CustomStringConvertible {
    case configuration(file: String, line: Int, detail: String)
    case invalidName(String)
    case noChannels
    case invalidWindow(String)
    case unknownExplainer(name: String, known: [String])
    /// The campaign's explainer was removed after the campaign was created: nothing new can be rendered.
    case explainerGone(campaign: String, explainer: String, known: [String], inOutbox: Int, waiting: Int)
    case needsApproval(campaign: String, messages: Int, threshold: Int)
    case sameApprover(campaign: String, user: String)
    case wrongState(campaign: String, state: String, action: String, hint: String)
    case windowClosed(campaign: String, notAfter: String)
    case storedAudienceUnreadable(campaign: String, detail: String)
    case noSignature

    public var description: String {
        switch self {
        case let .configuration(file, line, detail): return "\(file):\(line): \(detail)"
        case let .invalidName(n):
            return "campaign name '\(n)' is not usable; use 1–64 letters, digits, '-' or '_' (Chinese characters are fine)"
        case .noChannels: return "no channels given; use --channels sms, voice or sms,voice"
        case let .invalidWindow(d): return "send window: \(d); write times as YYYY-MM-DDTHH:MM (local time) and make --not-before earlier than --not-after"
        case let .unknownExplainer(name, known):
            return "no explainer named '\(name)'\(known.isEmpty ? "; add one under content/explainers/" : "; known: \(known.joined(separator: ", "))")"
        case let .explainerGone(c, e, known, inOutbox, waiting):
            var s = "campaign '\(c)' uses explainer '\(e)', which is no longer under content/explainers/: nothing was written or sent now. "
            if inOutbox > 0 {
                s += "Its \(inOutbox) messages already in the outbox keep the text they were written with"
                s += waiting > 0 ? "; the \(waiting) still waiting are sent by `carnation dispatch` (or withdrawn by `carnation campaign cancel \(c)`). "
                    : " and are all sent or settled. "
            }
            s += "To reach more residents, restore content/explainers/\(e).yaml, or create a new campaign"
            return s + (known.isEmpty ? "." : " with one of: \(known.joined(separator: ", ")).")
        case let .needsApproval(c, n, t):
            return "campaign '\(c)' has \(n) messages, more than \(t): approve it first with `carnation campaign approve \(c)` (by another user)"
        case let .sameApprover(c, u):
            return "campaign '\(c)' was created by \(u); another user must approve it (set CARNATION_USER), as campaigns.approver-must-differ says"
        case let .wrongState(c, s, action, hint): return "campaign '\(c)' is \(s); cannot \(action). \(hint)"
        case let .windowClosed(c, t): return "campaign '\(c)' may only send until \(t), which has passed; create a new campaign with a later --not-after"
        case let .storedAudienceUnreadable(c, d): return "campaign '\(c)' has an unreadable stored audience (\(d)); recreate the campaign"
        case .noSignature: return "no SMS signature configured; set sms.signature in carnation.yaml (e.g. 示范县社保)"
        }
    }
}
