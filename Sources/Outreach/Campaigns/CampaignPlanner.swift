import Messaging
import Registry
import Store

/// One message a campaign will write: one phone, one channel, one or more residents.
public struct PlannedMessage: Sendable, Equatable {
    public var members: [MessageDraft]
    public var channel: OutboxChannel
    public var phone: String
    /// What is sent: SMS text with the signature, or the voice script.
    public var text: String
    /// SMS segments as the carrier counts them (1 for voice).
    public var segments: Int
    public var template: SMSTemplateContent?
    /// The phone has reached its per-phone cap: the dispatcher will hold this message.
    public var capped: Bool

    public var outboxMessage: NewOutboxMessage {
        let templateJSON = template.flatMap { t -> String? in
            guard let data = try? CampaignJSON.encoder.encode(t) else { return nil }
            return String(decoding: data, as: UTF8.self)
        }
        return NewOutboxMessage(residentID: members[0].residentID.value, members: members.map(\.residentID.value), channel: channel,
                                phone: phone, areaCode: members[0].areaCode, body: text, segments: segments, templateJSON: templateJSON)
    }
}

/// A resident left out, and why.
public struct LeftOutResident: Sendable, Equatable {
    public var residentID: ResidentID
    public var name: String
    public var reason: LeftOutReason
}

/// Everything a campaign would do, computed before anything is written: the preview and `send` use it.
public struct CampaignPlan: Sendable {
    public var messages: [PlannedMessage]
    public var leftOut: [LeftOutResident]
    public var audienceSize: Int

    public var messagesByChannel: [OutboxChannel: Int] {
        Dictionary(grouping: messages, by: \.channel).mapValues(\.count)
    }
    /// SMS segments over all SMS messages.
    public var smsSegments: Int { messages.filter { $0.channel == .sms }.reduce(0) { $0 + $1.segments } }
    /// The most segments any one SMS needs.
    public var worstSegments: Int { messages.filter { $0.channel == .sms }.map(\.segments).max() ?? 0 }
    /// Residents reached (a merged message reaches several).
    public var residentsReached: Int { Set(messages.flatMap { $0.members.map(\.residentID) }).count }
    public var leftOutByReason: [String: Int] { Dictionary(grouping: leftOut, by: \.reason.key).mapValues(\.count) }
    public var cappedMessages: Int { messages.filter(\.capped).count }

    /// The estimated cost in fen, from the configured prices; nil for a channel without a price.
    public func cost(_ prices: CampaignPrices) -> (smsFen: Int?, voiceFen: Int?) {
        let sms = messages.contains { $0.channel == .sms } ? prices.smsSegmentFen.map { $0 * smsSegments } : 0
        let voiceCount = messagesByChannel[.voice] ?? 0
        let voice = voiceCount > 0 ? prices.voiceCallFen.map { $0 * voiceCount } : 0
        return (sms, voice)
    }
}

/// Builds a campaign's plan from the audience (pure: residents, drafts and rules in, plan out).
///
/// Residents who share a phone get one message per channel that names each of them; opted-out
/// phones get nothing; phones at their cap are marked so the dispatcher holds them.
public enum CampaignPlanner {
    public static func plan(audience: [Resident], channels: [OutboxChannel], source: any CampaignMessageSource,
                            signature: SMSSignature?, optedOut: Set<String>, recentSends: [String: Int] = [:],
                            phoneCap: PhoneCap? = nil) -> CampaignPlan {
        var leftOut: [LeftOutResident] = []
        var groups: [String: [MessageDraft]] = [:]
        var order: [String] = []
        for r in audience {
            switch r.lifeStatus {
            case .deceased: leftOut.append(LeftOutResident(residentID: r.id, name: r.name, reason: .deceased)); continue
            case .movedOut: leftOut.append(LeftOutResident(residentID: r.id, name: r.name, reason: .movedOut)); continue
            case .alive: break
            }
            switch source.drafts(for: r, channels: channels) {
            case let .leftOut(reason):
                leftOut.append(LeftOutResident(residentID: r.id, name: r.name, reason: reason))
            case let .drafts(drafts):
                let kept = drafts.filter { !optedOut.contains($0.phone) }
                if kept.isEmpty {
                    leftOut.append(LeftOutResident(residentID: r.id, name: r.name, reason: drafts.isEmpty ? .noPhone("没有可发的渠道") : .optedOut))
                }
                for d in kept {
                    let key = d.channel.rawValue + "|" + d.phone
                    if groups[key] == nil { order.append(key) }
                    groups[key, default: []].append(d)
                }
            }
        }
        let messages = order.map { key -> PlannedMessage in
            let members = groups[key]!.sorted { $0.residentID < $1.residentID }
            let channel = members[0].channel
            let text = combinedText(members, channel: channel, signature: signature)
            let segments = channel == .sms ? SMSSegmenter.measure(text).segments : 1
            let phone = members[0].phone
            let capped = phoneCap.map { (recentSends[phone] ?? 0) >= $0.messages } ?? false
            return PlannedMessage(members: members, channel: channel, phone: phone, text: text, segments: segments,
                                  template: members.count == 1 ? members[0].template : nil, capped: capped)
        }
        return CampaignPlan(messages: messages, leftOut: leftOut, audienceSize: audience.count)
    }

    /// One resident: the draft as rendered. Several on one phone: each resident's text in turn, each
    /// opened with the resident's name unless it already names them, under one signature.
    public static func combinedText(_ members: [MessageDraft], channel: OutboxChannel, signature: SMSSignature?) -> String {
        let parts = members.map { d -> String in
            members.count > 1 && !d.body.contains(d.residentName) ? "\(d.residentName)：\(d.body)" : d.body
        }
        switch channel {
        case .sms:
            let body = parts.joined()
            return signature.map { $0.signing(body) } ?? body
        case .voice:
            return parts.joined(separator: "\n")
        }
    }
}
