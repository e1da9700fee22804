import Benefits
import Foundation
import Messaging
import Registry

/// Turns a resident and the catalog into what that resident would receive (pure: values in, values out).
///
/// For each explainer: the audience rules decide whether it fits; the figures come from `FigureCalculator`;
/// `ChannelChooser` decides recipient and channels; the templates are filled in. The SMS aims at one
/// segment with the signature counted; when the full text needs more, the explainer's short variant is used,
/// and a text that still needs more is reported (`SMSRendering.withinBudget` is false).
public struct ExplainerRenderer: Sendable {
    public let catalog: ExplainerCatalog
    public let calculator: FigureCalculator
    public let rules: RegistryRules
    public let signature: SMSSignature

    public init(catalog: ExplainerCatalog, calculator: FigureCalculator, rules: RegistryRules, signature: SMSSignature) {
        self.catalog = catalog
        self.calculator = calculator
        self.rules = rules
        self.signature = signature
    }

    public var today: CalendarDate { calculator.today }

    /// What the audience rules need to know beyond the register.
    public func facts(for r: Resident, visit: CalendarDate?) -> AudienceFacts {
        AudienceFacts(visit: visit, hardshipGroup: calculator.hardshipGroup(for: r, rules: rules)?.group, claimAge: calculator.claimAge(for: r))
    }

    /// Every explainer in the catalog for this resident.
    public func outcomes(for r: Resident, visit: CalendarDate? = nil) -> [ExplainerOutcome] {
        let f = facts(for: r, visit: visit)
        return catalog.definitions.map { outcome($0, for: r, facts: f) }
    }

    /// One explainer for this resident. `preview` renders those channels even when the resident would not
    /// receive them (the message says so through `delivers`); a deaf resident's voice is never rendered.
    public func outcome(_ d: ExplainerDefinition, for r: Resident, visit: CalendarDate? = nil, preview: [ExplainerChannel]? = nil) -> ExplainerOutcome {
        outcome(d, for: r, facts: facts(for: r, visit: visit), preview: preview)
    }

    func outcome(_ d: ExplainerDefinition, for r: Resident, facts: AudienceFacts, preview: [ExplainerChannel]? = nil) -> ExplainerOutcome {
        let choice = ChannelChooser.choose(for: r)
        if r.lifeStatus != .alive { return .notOffered(explainer: d.name, question: d.question, reason: choice.reason) }
        if let why = d.audience.mismatch(r, on: today, rules: rules, facts: facts) {
            return .notOffered(explainer: d.name, question: d.question, reason: why)
        }
        let figures: [FigureValue]
        do { figures = try calculator.figures(d.figures, for: r, facts: facts, rules: rules) } catch {
            return .notOffered(explainer: d.name, question: d.question, reason: "数字算不出来：\(error.reason)")
        }
        // With no phone, the voice script is still made: the team plays it at the visit.
        var channels = preview ?? (choice.channels.isEmpty ? [.voice] : choice.channels)
        if r.disabilityType == .hearing && choice.recipient?.role != .guardian { channels.removeAll { $0 == .voice } }
        let values = values(d, r, choice: choice, figures: figures)
        let sms = channels.contains(.sms) ? renderSMS(d, values) : nil
        let voice = channels.contains(.voice) ? renderVoice(d, values) : nil
        let provider = d.provider.flatMap { p -> SMSTemplateContent? in
            let params = p.parameters.map { TemplateParameter($0, values[$0] as? String ?? "") }
            return try? SMSTemplateContent(signature: signature, templateCode: p.code, parameters: params)
        }
        return .message(ExplainerMessage(
            explainer: d.name, question: d.question, kind: d.kind, resident: r.id, residentName: r.name, choice: choice,
            rendered: channels, sms: sms, voice: voice, provider: provider, figures: figures,
            confirmLocally: figures.contains(where: \.needsLocalConfirmation)))
    }

    /// The values the templates see: common keys and the figures (empty figures are left out, so their sections are empty).
    func values(_ d: ExplainerDefinition, _ r: Resident, choice: ChannelChoice, figures: [FigureValue]) -> [String: Any] {
        var v: [String: Any] = [:]
        let guardian = choice.recipient?.role == .guardian ? choice.recipient : nil
        v[ExplainerContextKey.name.rawValue] = r.name
        v[ExplainerContextKey.addressee.rawValue] = guardian?.name ?? r.name
        v[ExplainerContextKey.who.rawValue] = guardian == nil ? "您" : r.name
        v[ExplainerContextKey.whose.rawValue] = guardian == nil ? "您的" : r.name + "的"
        if let guardian {
            v[ExplainerContextKey.forGuardian.rawValue] = true
            v[ExplainerContextKey.guardianName.rawValue] = guardian.name
            if let rel = guardian.relation { v[ExplainerContextKey.relation.rawValue] = rel }
        }
        v[ExplainerContextKey.contact.rawValue] = catalog.contacts.contact(for: r)
        v[ExplainerContextKey.hotline.rawValue] = catalog.contacts.hotline
        if figures.contains(where: \.needsLocalConfirmation) { v[ExplainerContextKey.confirm.rawValue] = true }
        v[ExplainerContextKey.question.rawValue] = d.question
        for f in figures where !f.text.isEmpty { v[f.figure.rawValue] = f.text }
        return v
    }

    func renderSMS(_ d: ExplainerDefinition, _ values: [String: Any]) -> SMSRendering? {
        guard let full = catalog.templates.entry(.sms, d.templates.sms) else { return nil }
        let budget = SMSSegmenter.singleSegmentBudget(signature: signature)
        let body = Self.smsText(catalog.templates.render(full, values))
        let m = SMSSegmenter.measure(body, signature: signature)
        if m.segments > 1, let shortName = d.templates.smsShort, let short = catalog.templates.entry(.sms, shortName) {
            let shortBody = Self.smsText(catalog.templates.render(short, values))
            let s = SMSSegmenter.measure(shortBody, signature: signature)
            return SMSRendering(body: shortBody, text: s.text, variant: .short, encoding: s.encoding, units: s.units,
                                segments: s.segments, budget: budget, fullUnits: m.units)
        }
        return SMSRendering(body: body, text: m.text, variant: .full, encoding: m.encoding, units: m.units,
                            segments: m.segments, budget: budget, fullUnits: nil)
    }

    func renderVoice(_ d: ExplainerDefinition, _ values: [String: Any]) -> VoiceRendering? {
        guard let entry = catalog.templates.entry(.voice, d.templates.voice) else { return nil }
        return VoiceRendering(script: Self.voiceText(catalog.templates.render(entry, values)))
    }

    /// SMS text is one line: template lines are trimmed and joined without spaces (Chinese needs none).
    static func smsText(_ rendered: String) -> String {
        rendered.split(separator: "\n", omittingEmptySubsequences: true)
            .map { $0.trimmingCharacters(in: .whitespaces) }.joined()
    }

    /// Voice scripts keep one sentence a line; blank lines go.
    static func voiceText(_ rendered: String) -> String {
        rendered.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }.joined(separator: "\n")
    }
}

extension Substring {
    func trimmingCharacters(in set: CharacterSet) -> String { String(self).trimmingCharacters(in: set) }
}
