import Messaging
import Registry
import Store

/// What one resident would be sent by a campaign, before messages to a shared phone are merged.
public struct MessageDraft: Sendable, Equatable {
    public var residentID: ResidentID
    public var residentName: String
    public var areaCode: String?
    public var channel: OutboxChannel
    /// Normalised phone of whoever receives it (the resident or the guardian).
    public var phone: String
    /// Who receives it: the resident's own name, or the guardian's.
    public var recipientName: String
    public var toGuardian: Bool
    /// SMS: the text without the signature. Voice: the script, one sentence a line.
    public var body: String
    /// The approved provider template and parameters, when the explainer has one.
    public var template: SMSTemplateContent?

    public init(residentID: ResidentID, residentName: String, areaCode: String?, channel: OutboxChannel, phone: String,
                recipientName: String, toGuardian: Bool, body: String, template: SMSTemplateContent? = nil) {
        self.residentID = residentID
        self.residentName = residentName
        self.areaCode = areaCode
        self.channel = channel
        self.phone = phone
        self.recipientName = recipientName
        self.toGuardian = toGuardian
        self.body = body
        self.template = template
    }
}

/// Why a resident of the audience gets nothing from a campaign.
public enum LeftOutReason: Sendable, Hashable, Codable {
    case deceased
    case movedOut
    case optedOut
    case noPhone(String)
    case noFittingExplainer(String)
    /// The resident can only be reached on a channel the campaign does not use.
    case channelNotInCampaign(String)

    /// The group the preview counts under.
    public var key: String {
        switch self {
        case .deceased: return "deceased"
        case .movedOut: return "moved"
        case .optedOut: return "opted-out"
        case .noPhone: return "no-phone"
        case .noFittingExplainer: return "no-fitting-explainer"
        case .channelNotInCampaign: return "channel-not-in-campaign"
        }
    }

    /// For the coordinator, in Chinese.
    public var chinese: String {
        switch self {
        case .deceased: return "已故"
        case .movedOut: return "已迁出"
        case .optedOut: return "已退订"
        case let .noPhone(d): return "没有可用电话（\(d)）"
        case let .noFittingExplainer(d): return "说明不适用（\(d)）"
        case let .channelNotInCampaign(d): return "本活动不用此渠道（\(d)）"
        }
    }
}

/// A resident's drafts for a campaign, or why there are none.
public enum ResidentDraftOutcome: Sendable, Equatable {
    case drafts([MessageDraft])
    case leftOut(LeftOutReason)
}

/// Renders "this resident's message for this campaign": recipient, channel, and text. The explainers
/// (`ExplainerMessageSource`) are the real one; tests pass their own.
public protocol CampaignMessageSource: Sendable {
    /// The drafts for `resident` on the campaign's `channels` (deceased, moved and phone-less residents
    /// are left out by the source, with the reason).
    func drafts(for resident: Resident, channels: [OutboxChannel]) -> ResidentDraftOutcome
}
