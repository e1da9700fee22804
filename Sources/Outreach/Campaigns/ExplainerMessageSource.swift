import Registry
import Store

/// The campaign's messages from an explainer: its audience rules, figures, channel choice and templates.
public struct ExplainerMessageSource: CampaignMessageSource {
    public let renderer: ExplainerRenderer
    public let definition: ExplainerDefinition

    public init(renderer: ExplainerRenderer, definition: ExplainerDefinition) {
        self.renderer = renderer
        self.definition = definition
    }

    public func drafts(for r: Resident, channels: [OutboxChannel]) -> ResidentDraftOutcome {
        switch renderer.outcome(definition, for: r) {
        case let .notOffered(_, _, reason):
            return .leftOut(.noFittingExplainer(reason))
        case let .message(m):
            guard let recipient = m.choice.recipient, !m.choice.channels.isEmpty else { return .leftOut(.noPhone(m.choice.reason)) }
            var message = m
            var chosen = m.choice.channels.compactMap { OutboxChannel(rawValue: $0.rawValue) }.filter(channels.contains)
            // Someone who reads SMS can also listen, unless deaf: a voice-only campaign still reaches them.
            if chosen.isEmpty, channels.contains(.voice), m.choice.channels == [.sms], r.disabilityType != .hearing,
               case let .message(voiced) = renderer.outcome(definition, for: r, preview: [.voice]) {
                message = voiced
                chosen = [.voice]
            }
            guard !chosen.isEmpty else {
                return .leftOut(.channelNotInCampaign("\(m.choice.reason)；本活动只用\(channels.map { $0 == .sms ? "短信" : "语音" }.joined(separator: "、"))"))
            }
            var drafts: [MessageDraft] = []
            for c in chosen {
                let body: String?
                switch c {
                case .sms: body = message.sms?.body
                case .voice: body = message.voice?.script
                }
                guard let body, !body.isEmpty else { continue }
                drafts.append(MessageDraft(residentID: r.id, residentName: r.name, areaCode: r.areaCode?.value, channel: c,
                                           phone: recipient.phone.value, recipientName: recipient.name, toGuardian: recipient.role == .guardian,
                                           body: body, template: c == .sms ? message.provider : nil))
            }
            return drafts.isEmpty ? .leftOut(.noFittingExplainer("说明没有\(chosen.map(\.rawValue).joined(separator: "/"))模板")) : .drafts(drafts)
        }
    }
}
