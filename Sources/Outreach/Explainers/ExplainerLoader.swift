import Foundation
import Registry
import Yams

/// Reads explainer definitions from YAML, checking every field; errors name the file and line.
///
/// A file defines one explainer:
/// ```yaml
/// name: why-insure
/// question: 为什么要参保？
/// kind: core                      # core | notice
/// audience:
///   age: {min: 16, max: 59}
///   pension: [none]               # none | resident | employee | receiving
///   categories_any: [dibao]       # optional; also categories_none
///   areas: ["532999"]             # optional area-code prefixes
///   conditions: {government_pays: true}   # certification_due_after_days: N, claim_age_within_months: N, visit_planned: true
/// figures: [lowest_tier, lowest_tier_pension]
/// templates: {sms: why-insure, sms_short: why-insure-short, voice: why-insure}
/// provider: {template_code: SMS_000001, parameters: [name, lowest_tier]}   # optional
/// ```
/// Files whose name starts with `_` are settings (`_contacts.yaml`), not explainers.
public enum ExplainerLoader {
    static let fields = ["name", "question", "kind", "audience", "figures", "templates", "provider"]
    static let audienceFields = ["age", "pension", "categories_any", "categories_none", "areas", "conditions"]
    static let conditionFields = ["certification_due_after_days", "claim_age_within_months", "government_pays", "visit_planned"]
    static let templateFields = ["sms", "sms_short", "voice"]
    static let providerFields = ["template_code", "parameters"]

    /// Parses one file's text.
    public static func parse(_ text: String, file: String) throws(ExplainerError) -> ExplainerDefinition {
        let root: Node?
        do { root = try Yams.compose(yaml: text) } catch {
            throw .malformedYAML(file: file, line: yamlErrorLine(error), detail: "\(error)")
        }
        let r = Reader(file: file)
        guard let root, let map = root.mapping else {
            throw .invalidValue(file: file, line: 1, field: "file", value: "", expected: "a mapping with name, question, kind, audience, figures, templates")
        }
        try r.check(map, allowed: fields)
        let name = try r.string(map, "name", explainer: "(unnamed)", line: r.line(root))
        guard name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }), !name.isEmpty else {
            throw .invalidValue(file: file, line: r.line(map["name"]!), field: "name", value: name, expected: "lower-case letters, digits and '-', e.g. why-insure")
        }
        let question = try r.string(map, "question", explainer: name, line: r.line(root))
        let kindText = try r.string(map, "kind", explainer: name, line: r.line(root))
        guard let kind = ExplainerKind(rawValue: kindText) else {
            throw .invalidValue(file: file, line: r.line(map["kind"]!), field: "kind", value: kindText, expected: "core or notice")
        }
        guard let audienceNode = map["audience"] else { throw .missingField(file: file, line: r.line(root), field: "audience", explainer: name) }
        let audience = try r.audience(audienceNode)
        guard let figuresNode = map["figures"] else { throw .missingField(file: file, line: r.line(root), field: "figures", explainer: name) }
        var figures: [ExplainerFigure] = []
        for node in try r.sequence(figuresNode, field: "figures") {
            let text = try r.scalar(node, field: "figures")
            guard let f = ExplainerFigure(rawValue: text) else {
                throw .unknownFigure(file: file, line: r.line(node), figure: text, allowed: ExplainerFigure.allCases.map(\.rawValue))
            }
            if !figures.contains(f) { figures.append(f) }
        }
        guard let templatesNode = map["templates"] else { throw .missingField(file: file, line: r.line(root), field: "templates", explainer: name) }
        guard let tmap = templatesNode.mapping else {
            throw .invalidValue(file: file, line: r.line(templatesNode), field: "templates", value: r.brief(templatesNode), expected: "a mapping with sms, voice and optionally sms_short")
        }
        try r.check(tmap, allowed: templateFields)
        let templates = ExplainerTemplateNames(
            sms: try r.string(tmap, "sms", explainer: name, line: r.line(templatesNode)),
            smsShort: try tmap["sms_short"].map { n throws(ExplainerError) in try r.scalar(n, field: "sms_short") },
            voice: try r.string(tmap, "voice", explainer: name, line: r.line(templatesNode)))
        var provider: ProviderTemplate?
        if let p = map["provider"] {
            guard let pmap = p.mapping else {
                throw .invalidValue(file: file, line: r.line(p), field: "provider", value: r.brief(p), expected: "a mapping with template_code and parameters")
            }
            try r.check(pmap, allowed: providerFields)
            let code = try r.string(pmap, "template_code", explainer: name, line: r.line(p))
            guard let paramsNode = pmap["parameters"] else { throw .missingField(file: file, line: r.line(p), field: "provider.parameters", explainer: name) }
            var params: [String] = []
            for node in try r.sequence(paramsNode, field: "provider.parameters") {
                let key = try r.scalar(node, field: "provider.parameters")
                let available = ExplainerContextKey.allCases.map(\.rawValue) + figures.map(\.rawValue)
                guard available.contains(key) else {
                    throw .invalidValue(file: file, line: r.line(node), field: "provider.parameters", value: key,
                                        expected: "a value the explainer provides: \(available.joined(separator: ", "))")
                }
                params.append(key)
            }
            provider = ProviderTemplate(code: code, parameters: params)
        }
        return ExplainerDefinition(name: name, question: question, kind: kind, audience: audience, figures: figures,
                                   templates: templates, provider: provider, file: file, line: r.line(root))
    }

    /// Reads every explainer `*.yaml` in `directory` (`_*.yaml` skipped): core questions first, then notices, each by file name.
    public static func load(directory: URL) throws(ExplainerError) -> [ExplainerDefinition] {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: directory.path)
                .filter { ($0.hasSuffix(".yaml") || $0.hasSuffix(".yml")) && !$0.hasPrefix("_") }.sorted()
        } catch { throw .unreadable(path: directory.path, detail: "\(error)") }
        var out: [ExplainerDefinition] = []
        for name in names {
            let url = directory.appendingPathComponent(name)
            let text: String
            do { text = try String(contentsOf: url, encoding: .utf8) } catch { throw .unreadable(path: url.path, detail: "\(error)") }
            let def = try parse(text, file: url.path)
            if let first = out.first(where: { $0.name == def.name }) {
                throw .duplicateName(name: def.name, file: def.file, line: def.line, first: first.file)
            }
            out.append(def)
        }
        if out.isEmpty { throw .noExplainers(directory: directory.path) }
        // The core questions first, then the notices; by file name within each.
        return out.filter { $0.kind == .core } + out.filter { $0.kind == .notice }
    }

    static func yamlErrorLine(_ error: Error) -> Int {
        if case let YamlError.scanner(_, _, mark, _) = error { return mark.line }
        if case let YamlError.parser(_, _, mark, _) = error { return mark.line }
        if case let YamlError.composer(_, _, mark, _) = error { return mark.line }
        return 0
    }

    /// Small helpers over Yams nodes that throw `ExplainerError` with the line.
    struct Reader {
        let file: String

        func line(_ node: Node) -> Int { node.mark?.line ?? 0 }

        func brief(_ node: Node) -> String {
            let s = node.scalar?.string ?? (node.sequence != nil ? "a list" : "a mapping")
            return s.count > 40 ? String(s.prefix(40)) + "…" : s
        }

        func check(_ map: Node.Mapping, allowed: [String]) throws(ExplainerError) {
            for (k, _) in map {
                let key = k.scalar?.string ?? ""
                if !allowed.contains(key) { throw .unknownField(file: file, line: line(k), field: key, allowed: allowed) }
            }
        }

        func scalar(_ node: Node, field: String) throws(ExplainerError) -> String {
            guard let s = node.scalar?.string, !s.isEmpty else {
                throw .invalidValue(file: file, line: line(node), field: field, value: brief(node), expected: "a single value")
            }
            return s
        }

        func string(_ map: Node.Mapping, _ key: String, explainer: String, line parentLine: Int) throws(ExplainerError) -> String {
            guard let node = map[key] else { throw .missingField(file: file, line: parentLine, field: key, explainer: explainer) }
            return try scalar(node, field: key)
        }

        func sequence(_ node: Node, field: String) throws(ExplainerError) -> [Node] {
            guard let seq = node.sequence else {
                throw .invalidValue(file: file, line: line(node), field: field, value: brief(node), expected: "a list, e.g. [a, b]")
            }
            return Array(seq)
        }

        func integer(_ node: Node, field: String, range: ClosedRange<Int>) throws(ExplainerError) -> Int {
            let text = try scalar(node, field: field)
            guard let n = Int(text), range.contains(n) else {
                throw .invalidValue(file: file, line: line(node), field: field, value: text, expected: "a whole number from \(range.lowerBound) to \(range.upperBound)")
            }
            return n
        }

        func bool(_ node: Node, field: String) throws(ExplainerError) -> Bool {
            guard let b = node.scalar.flatMap({ Bool.construct(from: $0) }) else {
                throw .invalidValue(file: file, line: line(node), field: field, value: brief(node), expected: "true or false")
            }
            return b
        }

        func audience(_ node: Node) throws(ExplainerError) -> ExplainerAudience {
            guard let map = node.mapping else {
                throw .invalidValue(file: file, line: line(node), field: "audience", value: brief(node), expected: "a mapping of rules (age, pension, categories_any, …)")
            }
            try check(map, allowed: ExplainerLoader.audienceFields)
            var a = ExplainerAudience()
            if let age = map["age"] {
                guard let amap = age.mapping else {
                    throw .invalidValue(file: file, line: line(age), field: "age", value: brief(age), expected: "{min: N, max: N}")
                }
                try check(amap, allowed: ["min", "max"])
                a.minAge = try amap["min"].map { n throws(ExplainerError) in try integer(n, field: "age.min", range: 0...120) }
                a.maxAge = try amap["max"].map { n throws(ExplainerError) in try integer(n, field: "age.max", range: 0...120) }
                if let lo = a.minAge, let hi = a.maxAge, lo > hi {
                    throw .invalidValue(file: file, line: line(age), field: "age", value: "\(lo)–\(hi)", expected: "min not above max")
                }
            }
            if let p = map["pension"] {
                for n in try sequence(p, field: "pension") {
                    let t = try scalar(n, field: "pension")
                    guard let s = PensionScheme(rawValue: t) else {
                        throw .invalidValue(file: file, line: line(n), field: "pension", value: t, expected: PensionScheme.allCases.map(\.rawValue).joined(separator: ", "))
                    }
                    a.pension.append(s)
                }
            }
            for key in ["categories_any", "categories_none"] {
                guard let c = map[key] else { continue }
                for n in try sequence(c, field: key) {
                    let t = try scalar(n, field: key)
                    guard let cat = Category(label: t) else {
                        throw .invalidValue(file: file, line: line(n), field: key, value: t,
                                            expected: Category.allCases.map { "\($0.rawValue) (\($0.chinese))" }.joined(separator: ", "))
                    }
                    if key == "categories_any" { a.categoriesAny.append(cat) } else { a.categoriesNone.append(cat) }
                }
            }
            if let areas = map["areas"] {
                for n in try sequence(areas, field: "areas") {
                    let t = try scalar(n, field: "areas")
                    do { a.areas.append(try AreaPrefix(t).value) } catch {
                        throw .invalidValue(file: file, line: line(n), field: "areas", value: t, expected: "an area-code prefix of 2 to 12 digits")
                    }
                }
            }
            if let c = map["conditions"] {
                guard let cmap = c.mapping else {
                    throw .invalidValue(file: file, line: line(c), field: "conditions", value: brief(c), expected: "a mapping, e.g. {government_pays: true}")
                }
                try check(cmap, allowed: ExplainerLoader.conditionFields)
                for (k, v) in cmap {
                    switch k.scalar?.string ?? "" {
                    case "certification_due_after_days":
                        a.conditions.append(.certificationDueAfterDays(try integer(v, field: "certification_due_after_days", range: 1...3650)))
                    case "claim_age_within_months":
                        a.conditions.append(.claimAgeWithinMonths(try integer(v, field: "claim_age_within_months", range: 0...120)))
                    case "government_pays":
                        if try bool(v, field: "government_pays") { a.conditions.append(.governmentPays) }
                    default:
                        if try bool(v, field: "visit_planned") { a.conditions.append(.visitPlanned) }
                    }
                }
            }
            return a
        }
    }
}
