import Registry

/// Sample explainers for a few kinds of resident, for the demo and for coordinators to read.
public enum ExplainerSamples {
    /// The kinds of resident shown, in order.
    public enum Kind: String, CaseIterable, Sendable {
        case readsOwnPhone = "识字、有手机"
        case cannotRead = "不识字"
        case guardian = "由监护人代办"
        case deaf = "听力残疾"
        case blind = "视力残疾"
        case pensioner = "在领养老金"
        case hardship = "困难群体"
        case deceased = "已故"

        /// The explainer this kind of resident is best shown with, if it fits them.
        var preferred: String? {
            switch self {
            case .pensioner: return "certification-due"
            case .hardship: return "government-pays"
            default: return nil
            }
        }

        func matches(_ r: Resident, choice: ChannelChoice) -> Bool {
            switch self {
            case .readsOwnPhone: return choice.recipient?.role == .resident && choice.channels == [.sms] && r.disabilityType == nil
            case .cannotRead: return r.canRead == false && choice.recipient?.role == .resident && r.disabilityType == nil
            case .guardian: return choice.recipient?.role == .guardian && ChannelChooser.guardianHandlesAffairs(r) != nil
            case .deaf: return r.disabilityType == .hearing
            case .blind: return r.disabilityType == .visual && choice.recipient?.role == .resident
            case .pensioner: return r.pensionScheme == .receiving && choice.recipient?.role == .resident
            case .hardship: return choice.recipient != nil && (r[.assistance] != nil || (r.disabilityGrade ?? 9) <= 2)
            case .deceased: return r.lifeStatus == .deceased
            }
        }
    }

    /// One sample: the kind, the resident, and what they would receive (the first explainer that fits,
    /// or the reason nothing is sent).
    public struct Sample: Sendable {
        public let kind: Kind
        public let resident: Resident
        public let choice: ChannelChoice
        public let outcome: ExplainerOutcome?
    }

    /// Up to `count` samples, one per kind, from `residents` (in their order). For each kind it prefers a
    /// resident with an explainer that fits, and among those a kind of explainer not yet shown.
    public static func pick(_ residents: [Resident], renderer: ExplainerRenderer, count: Int) -> [Sample] {
        var out: [Sample] = []
        var shown = Set<String>()
        var used = Set<ResidentID>()
        for kind in Kind.allCases where out.count < count {
            var fallback: Sample?
            var chosen: Sample?
            for r in residents {
                let choice = ChannelChooser.choose(for: r)
                guard !used.contains(r.id), kind.matches(r, choice: choice) else { continue }
                if kind == .deceased { chosen = Sample(kind: kind, resident: r, choice: choice, outcome: nil); break }
                let offered = renderer.outcomes(for: r, visit: renderer.today.adding(days: 3)).compactMap(\.message)
                if let p = kind.preferred, let m = offered.first(where: { $0.explainer == p }) {
                    chosen = Sample(kind: kind, resident: r, choice: choice, outcome: .message(m))
                    break
                }
                // Kinds without a preferred explainer show one not yet shown, leaving the notices to their own kinds.
                let reserved = Set(Kind.allCases.compactMap(\.preferred) + ["visit-coming"])
                guard let first = offered.first(where: { !shown.contains($0.explainer) && !reserved.contains($0.explainer) }) ?? offered.first else { continue }
                let sample = Sample(kind: kind, resident: r, choice: choice, outcome: .message(first))
                if shown.contains(first.explainer) || reserved.contains(first.explainer) { fallback = fallback ?? sample; continue }
                chosen = sample
                break
            }
            if let s = chosen ?? fallback {
                if let name = s.outcome?.explainer { shown.insert(name) }
                used.insert(s.resident.id)
                out.append(s)
            }
        }
        return out
    }

    /// The samples as text for a terminal (IDs and phones masked).
    public static func text(_ samples: [Sample], today: CalendarDate) -> String {
        var s = ""
        for (i, sample) in samples.enumerated() {
            let r = sample.resident
            s += "\n[\(i + 1)] \(sample.kind.rawValue)：\(r.name)，\(r.id.masked)，\(r.age(on: today))岁，\(r.pensionScheme?.chinese ?? "参保不详")\n"
            s += "    渠道：\(sample.choice.channels.map(\.chinese).joined(separator: "+").nilIfEmpty ?? "不发")（\(sample.choice.reason)）"
            if let rec = sample.choice.recipient {
                s += "，发给\(rec.role == .guardian ? "监护人" : "本人")\(rec.name)\(rec.relation.map { "（\($0)）" } ?? "") \(rec.phone.masked)"
            }
            s += "\n"
            guard let m = sample.outcome?.message else { continue }
            s += "    说明：\(m.explainer)（\(m.question)）\n"
            if let sms = m.sms, m.delivers(.sms) {
                s += "    短信（\(sms.units)字，\(sms.segments)条\(sms.variant == .short ? "，用了短版" : "")）：\(sms.text)\n"
            }
            if let voice = m.voice {
                s += "    语音稿\(m.delivers(.voice) ? "" : "（上门时播放）")：\n"
                for line in voice.sentences { s += "      \(line)\n" }
            }
            let sourced = m.figures.filter { !$0.text.isEmpty && (!$0.parameters.isEmpty || !$0.registerFields.isEmpty) }
            if !sourced.isEmpty {
                s += "    数字：" + sourced.map { "\($0.figure.label) \($0.text)\($0.needsLocalConfirmation ? "（待核实）" : "")" }.joined(separator: "；") + "\n"
            }
        }
        return s
    }
}

extension String {
    var nilIfEmpty: String? { isEmpty ? nil : self }
}
