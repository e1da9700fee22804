import Registry
import Store
import Yams

extension VisitRuleBook {
    /// Parses `content/visit-rules.yaml`. Unknown keys are errors (a typo must not silently drop a rule).
    public static func parse(_ text: String, file: String) throws(VisitError) -> VisitRuleBook {
        let root: Node?
        do { root = try Yams.compose(yaml: text) } catch { throw .file(file: file, line: 0, detail: "not valid YAML: \(error)") }
        guard let map = root?.mapping else { throw .file(file: file, line: 1, detail: "expected a mapping with `rules:`") }
        let y = YAMLReader(file: file)
        var rules: [VisitRule] = []
        var followUp = VisitRule(id: "follow-up", kind: .followUp, title: "回访", task: "按回访原因上门", who: VisitCondition(),
                                 leadDays: 7, durationMinutes: 20, priority: 60)
        var book = VisitRuleBook(rules: [], followUp: followUp)
        for (k, v) in map {
            switch k.string ?? "" {
            case "source": book.source = try y.string(v, "source")
            case "status": book.status = try y.string(v, "status")
            case "from", "to", "note": continue
            case "common_languages": book.commonLanguages = try y.strings(v, "common_languages")
            case "disability_skills":
                guard let m = v.mapping else { throw y.error(v, "disability_skills must map a disability type number to a skill") }
                for (dk, dv) in m {
                    guard let n = dk.int, (1...7).contains(n) else { throw y.error(dk, "disability type must be 1 to 7") }
                    book.disabilitySkills[n] = try y.string(dv, "skill")
                }
            case "not_home_retry_days": book.notHomeRetryDays = try y.int(v, "not_home_retry_days", 1...60)
            case "refusal_pause_days": book.refusalPauseDays = try y.int(v, "refusal_pause_days", 0...3650)
            case "follow_up":
                var none: [String: Node] = [:]
                followUp = try rule(v, y, id: "follow-up", kind: .followUp, extras: &none)
            case "unreached": book.unreached = try unreached(v, y)
            case "travel":
                guard let m = v.mapping else { throw y.error(v, "travel must map foot, motorbike, car to {speed_kmh, road_factor}") }
                for (mk, mv) in m {
                    guard let mode = TravelMode(rawValue: mk.string ?? "") else { throw y.error(mk, "travel mode must be foot, motorbike or car") }
                    guard let s = mv.mapping, let speed = s["speed_kmh"].flatMap({ $0.float ?? $0.int.map(Double.init) }), let factor = s["road_factor"].flatMap({ $0.float ?? $0.int.map(Double.init) }),
                          speed > 0, speed < 200, factor >= 1, factor < 5 else {
                        throw y.error(mv, "give speed_kmh (0–200) and road_factor (1–5) for \(mode.rawValue)")
                    }
                    book.travel[mode] = TravelSpeed(kilometresPerHour: speed, roadFactor: factor)
                }
            case "rules":
                guard let seq = v.sequence else { throw y.error(v, "rules must be a list") }
                var none: [String: Node] = [:]
                for r in seq { rules.append(try rule(r, y, id: nil, kind: nil, extras: &none)) }
            default: throw y.error(k, "unknown key '\(k.string ?? "")' (expected rules, follow_up, unreached, travel, common_languages, disability_skills, not_home_retry_days, refusal_pause_days, source, status, from)")
            }
        }
        let ids = rules.map(\.id)
        if let dup = ids.first(where: { id in ids.filter { $0 == id }.count > 1 }) { throw .file(file: file, line: 0, detail: "rule id '\(dup)' appears twice") }
        guard !rules.isEmpty else { throw .file(file: file, line: 0, detail: "no rules: add at least one under `rules:`") }
        book.rules = rules
        book.followUp = followUp
        return book
    }

    /// The `unreached:` section: a rule plus its look-back and due days, which must be given.
    private static func unreached(_ node: Node, _ y: YAMLReader) throws(VisitError) -> UnreachedRule {
        var extras: [String: Node] = [:]
        let r = try rule(node, y, id: "unreached", kind: .unreached, extras: &extras,
                         extraKeys: ["look_back_days", "due_days", "source", "status"])
        func figure(_ key: String, _ range: ClosedRange<Int>) throws(VisitError) -> Int {
            guard let v = extras[key] else { throw y.error(node, "`unreached` needs `\(key)`") }
            return try y.int(v, key, range)
        }
        guard let source = extras["source"] else { throw y.error(node, "`unreached` needs a `source` (where the rule comes from)") }
        var status = "unverified"
        if let s = extras["status"] { status = try y.string(s, "status") }
        return UnreachedRule(rule: r, lookBackDays: try figure("look_back_days", 1...3650), dueDays: try figure("due_days", 0...365),
                             source: try y.string(source, "source"), status: status)
    }

    /// One rule. Keys in `extraKeys` (the caller's own figures) are handed back in `extras` instead of being errors.
    private static func rule(_ node: Node, _ y: YAMLReader, id fixedID: String?, kind fixedKind: VisitKind?,
                             extras: inout [String: Node], extraKeys: Set<String> = []) throws(VisitError) -> VisitRule {
        guard let m = node.mapping else { throw y.error(node, "a rule must be a mapping") }
        var id = fixedID ?? "", kind = fixedKind, title = "", task = "", explainer: String?
        var who = VisitCondition(), lead = 14, duration = 20, priority = 50, skills: [String] = []
        // The kind's own figures are policy: they must be in the file, never defaulted here.
        var cycle: Int?, pensionAge: Int?, within: Int?, repeatDays = 365, every: Int?
        for (k, v) in m {
            let key = k.string ?? ""
            switch key {
            case "id" where fixedID == nil: id = try y.string(v, key)
            case "kind" where fixedKind == nil:
                guard let kk = VisitKind(rawValue: try y.string(v, key)), kk != .followUp, kk != .unreached else {
                    throw y.error(v, "kind must be certification, pension-claim, enrolment or welfare-check")
                }
                kind = kk
            case "title": title = try y.string(v, key)
            case "do": task = try y.string(v, key)
            case "explainer": explainer = try y.string(v, key)
            case "who": who = try condition(v, y)
            case "lead_days": lead = try y.int(v, key, 0...3650)
            case "duration_minutes": duration = try y.int(v, key, 1...480)
            case "priority": priority = try y.int(v, key, 0...1000)
            case "skills": skills = try y.strings(v, key)
            case "cycle_months": cycle = try y.int(v, key, 1...60)
            case "pension_age": pensionAge = try y.int(v, key, 40...80)
            case "within_days": within = try y.int(v, key, 0...3650)
            case "repeat_days": repeatDays = try y.int(v, key, 1...3650)
            case "every_days": every = try y.int(v, key, 1...3650)
            case _ where extraKeys.contains(key): extras[key] = v
            default: throw y.error(k, "unknown key '\(key)' in rule '\(id)'")
            }
        }
        guard !id.isEmpty else { throw y.error(node, "a rule needs an id") }
        guard let kind else { throw y.error(node, "rule '\(id)' needs a kind") }
        guard !title.isEmpty, !task.isEmpty else { throw y.error(node, "rule '\(id)' needs a title and a `do` (what the team does)") }
        var r = VisitRule(id: id, kind: kind, title: title, task: task, explainer: explainer, who: who, leadDays: lead,
                          durationMinutes: duration, priority: priority, skills: skills)
        func required(_ value: Int?, _ key: String) throws(VisitError) -> Int {
            guard let value else { throw y.error(node, "rule '\(id)' (\(kind.rawValue)) needs `\(key)`") }
            return value
        }
        switch kind {
        case .certification: r.cycleMonths = try required(cycle, "cycle_months")
        case .pensionClaim:
            r.pensionAge = try required(pensionAge, "pension_age")
            r.withinDays = try required(within, "within_days")
        case .welfareCheck: r.everyDays = try required(every, "every_days")
        default: break
        }
        if let cycle { r.cycleMonths = cycle }
        if let pensionAge { r.pensionAge = pensionAge }
        if let within { r.withinDays = within }
        if let every { r.everyDays = every }
        r.repeatDays = repeatDays
        return r
    }

    private static func condition(_ node: Node, _ y: YAMLReader) throws(VisitError) -> VisitCondition {
        guard let m = node.mapping else { throw y.error(node, "`who` must be a mapping of conditions") }
        var c = VisitCondition()
        for (k, v) in m {
            let key = k.string ?? ""
            switch key {
            case "pension":
                for s in try y.strings(v, key) {
                    guard let p = PensionScheme(rawValue: s) else { throw y.error(v, "pension '\(s)' must be none, resident, employee or receiving") }
                    c.pension.append(p)
                }
            case "category", "categories":
                for s in try y.strings(v, key) {
                    guard let cat = Category(label: s) else { throw y.error(v, "unknown category '\(s)'") }
                    c.categories.append(cat)
                }
            case "min_age": c.minAge = try y.int(v, key, 0...130)
            case "max_age": c.maxAge = try y.int(v, key, 0...130)
            case "any":
                guard let seq = v.sequence else { throw y.error(v, "`any` must be a list of conditions") }
                for n in seq { c.any.append(try condition(n, y)) }
            default: throw y.error(k, "unknown condition '\(key)' (expected pension, category, min_age, max_age, any)")
            }
        }
        return c
    }
}

/// Reads scalars out of Yams nodes, throwing `VisitError.file` with the line.
struct YAMLReader {
    let file: String

    func error(_ node: Node, _ detail: String) -> VisitError { .file(file: file, line: (node.mark?.line ?? 0), detail: detail) }

    func string(_ node: Node, _ key: String) throws(VisitError) -> String {
        guard let s = node.string, !s.isEmpty else { throw error(node, "\(key) must be a text") }
        return s
    }

    func int(_ node: Node, _ key: String, _ range: ClosedRange<Int>) throws(VisitError) -> Int {
        guard let n = node.int, range.contains(n) else { throw error(node, "\(key) must be a whole number from \(range.lowerBound) to \(range.upperBound)") }
        return n
    }

    func double(_ node: Node, _ key: String) throws(VisitError) -> Double {
        guard let n = node.float ?? node.int.map(Double.init) else { throw error(node, "\(key) must be a number") }
        return n
    }

    /// A list of texts, or a single text.
    func strings(_ node: Node, _ key: String) throws(VisitError) -> [String] {
        if let s = node.scalar?.string { return s.isEmpty ? [] : [s] }
        guard let seq = node.sequence else { throw error(node, "\(key) must be a list") }
        var out: [String] = []
        for n in seq { out.append(try string(n, key)) }
        return out
    }
}
