/// What a delivery report says about a message, in the gateway-neutral terms the outbox stores.
public enum DeliveryStatus: String, Sendable, Codable, CaseIterable {
    /// The SMSC took the message (Kannel type 8). Not final.
    case acceptedBySMSC = "accepted-by-smsc"
    /// The SMSC holds it for later delivery, e.g. the phone is off (Kannel type 4). Not final.
    case buffered
    /// An intermediate SMSC notification (Kannel type 32). Not final.
    case intermediate
    /// Delivered to the phone (Kannel type 1). Final.
    case delivered
    /// Not delivered to the phone (Kannel type 2). Final.
    case undelivered
    /// The SMSC refused it (Kannel type 16). Final.
    case rejectedBySMSC = "rejected-by-smsc"

    /// Whether no later report can change the outcome.
    public var isFinal: Bool {
        switch self {
        case .delivered, .undelivered, .rejectedBySMSC: return true
        case .acceptedBySMSC, .buffered, .intermediate: return false
        }
    }

    /// Whether the final outcome is a failure (the resident did not get the text).
    public var isFailure: Bool { self == .undelivered || self == .rejectedBySMSC }

    private var rank: Int {
        switch self {
        case .acceptedBySMSC: return 1
        case .buffered, .intermediate: return 2
        case .delivered, .undelivered, .rejectedBySMSC: return 3
        }
    }

    /// The status after `incoming` arrives when `current` is known. A final status is never replaced
    /// (the same report twice, or a late "accepted by SMSC", changes nothing); otherwise a report at
    /// least as far along replaces the current one.
    public static func merging(_ current: DeliveryStatus?, with incoming: DeliveryStatus) -> DeliveryStatus {
        guard let current else { return incoming }
        if current.isFinal { return current }
        return incoming.rank >= current.rank ? incoming : current
    }
}
