import Foundation
import Yams

/// The text of one policy file and the name used in error messages.
public struct PolicyFile: Sendable {
    public let name: String
    public let contents: String
    public init(name: String, contents: String) {
        self.name = name
        self.contents = contents
    }
}

/// Reads policy YAML into a `PolicyBook`, checking every entry.
///
/// A file is either a list of entries, or a mapping with an optional file-wide `region` and `parameters:`
/// (the list). Each entry has `key`, `from`, `value`, `source`, `status` and optionally `region`, `to`, `note`.
/// Money is in fen, rates in basis points, dates `YYYY-MM-DD` (both ends inclusive).
public enum PolicyLoader {
    static let entryFields = ["key", "region", "from", "to", "value", "source", "status", "note"]
    static let fileFields = ["region", "parameters"]

    /// Parses and checks the files; errors name the file and line.
    public static func load(files: [PolicyFile]) throws -> PolicyBook {
        var entries: [PolicyEntry] = []
        for file in files { entries += try parse(file) }
        return try PolicyBook(entries: entries)
    }

    /// Reads every `*.yaml` file in `directory` (sorted by name) and loads them.
    public static func load(directory: URL) throws -> PolicyBook {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: directory.path)
                .filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }.sorted()
        } catch {
            throw BenefitsError.unreadable(path: directory.path, detail: "\(error)")
        }
        let files = try names.map { name -> PolicyFile in
            let url = directory.appendingPathComponent(name)
            do { return PolicyFile(name: name, contents: try String(contentsOf: url, encoding: .utf8)) } catch {
                throw BenefitsError.unreadable(path: url.path, detail: "\(error)")
            }
        }
        return try load(files: files)
    }

    /// The entries of one file.
    public static func parse(_ file: PolicyFile) throws -> [PolicyEntry] {
        let root: Node?
        do { root = try Yams.compose(yaml: file.contents) } catch {
            throw BenefitsError.malformedYAML(file: file.name, detail: "\(error)")
        }
        guard let root else { return [] }
        let r = NodeReader(file: file.name)
        var defaultRegion: Region?
        let list: Node.Sequence
        switch root {
        case let .sequence(seq):
            list = seq
        case let .mapping(map):
            let fields = try r.fields(map, allowed: fileFields, required: ["parameters"], parameter: "file")
            if let regionNode = fields["region"] { defaultRegion = try r.region(regionNode, field: "region") }
            list = try r.sequence(fields["parameters"]!, field: "parameters")
        default:
            throw BenefitsError.invalidValue(file: file.name, line: r.line(root), field: "file", value: r.brief(root),
                                             expected: "a list of parameter entries, or a mapping with 'parameters:'")
        }
        return try list.map { try entry($0, defaultRegion: defaultRegion, reader: r) }
    }

    static func entry(_ node: Node, defaultRegion: Region?, reader r: NodeReader) throws -> PolicyEntry {
        let map = try r.mapping(node, field: "parameter entry")
        let keyNode = map["key"]
        let keyText = try keyNode.map { try r.string($0, field: "key") }
        let label = keyText ?? "(no key)"
        let f = try r.fields(map, allowed: entryFields, required: ["key", "from", "value", "source", "status"], parameter: label)
        guard let key = ParameterKey(rawValue: keyText!) else {
            throw BenefitsError.unknownKey(file: r.file, line: r.line(keyNode!), key: keyText!, allowed: ParameterKey.allCases.map(\.rawValue))
        }
        let region: Region
        if let regionNode = f["region"] { region = try r.region(regionNode, field: "region") } else if let defaultRegion {
            region = defaultRegion
        } else {
            throw BenefitsError.missingField(file: r.file, line: r.line(node), field: "region", parameter: label)
        }
        let from = try r.date(f["from"]!, field: "from")
        let to = try f["to"].flatMap { $0.isNull ? nil : try r.date($0, field: "to") }
        if let to, to < from {
            throw BenefitsError.invalidValue(file: r.file, line: r.line(f["to"]!), field: "to", value: to.description, expected: "a date on or after 'from' (\(from))")
        }
        let source = try r.string(f["source"]!, field: "source").trimmingCharacters(in: .whitespaces)
        if source.isEmpty { throw BenefitsError.missingField(file: r.file, line: r.line(f["source"]!), field: "source", parameter: label) }
        let statusText = try r.string(f["status"]!, field: "status")
        guard let status = ParameterStatus(rawValue: statusText) else {
            throw BenefitsError.invalidValue(file: r.file, line: r.line(f["status"]!), field: "status", value: statusText,
                                             expected: ParameterStatus.allCases.map(\.rawValue).joined(separator: " | "))
        }
        let note = try f["note"].map { try r.string($0, field: "note") }
        let value = try ValueParser(reader: r).parse(key, f["value"]!)
        return PolicyEntry(key: key, region: region, from: from, to: to, value: value, source: source, status: status,
                           note: note, file: r.file, line: r.line(node))
    }
}

/// Reads typed scalars and collections from YAML nodes, with errors naming file and line.
struct NodeReader {
    let file: String

    func line(_ node: Node) -> Int { node.mark?.line ?? 0 }

    func brief(_ node: Node) -> String {
        switch node {
        case let .scalar(s): return s.string
        case .mapping: return "(a mapping)"
        case .sequence: return "(a list)"
        default: return "(an alias)"
        }
    }

    func invalid(_ node: Node, _ field: String, _ expected: String) -> BenefitsError {
        .invalidValue(file: file, line: line(node), field: field, value: brief(node), expected: expected)
    }

    func mapping(_ node: Node, field: String) throws -> Node.Mapping {
        guard case let .mapping(m) = node else { throw invalid(node, field, "a mapping (key: value lines)") }
        return m
    }

    func sequence(_ node: Node, field: String) throws -> Node.Sequence {
        guard case let .sequence(s) = node else { throw invalid(node, field, "a list (lines starting with '-')") }
        return s
    }

    /// The mapping's fields by name; unknown or duplicated names and missing required ones are errors.
    func fields(_ map: Node.Mapping, allowed: [String], required: [String], parameter: String) throws -> [String: Node] {
        var result: [String: Node] = [:]
        for (k, v) in map {
            let name = try string(k, field: "key")
            guard allowed.contains(name) else { throw BenefitsError.unknownKey(file: file, line: line(k), key: name, allowed: allowed) }
            guard result[name] == nil else { throw invalid(k, name, "each key once") }
            result[name] = v
        }
        for name in required where result[name] == nil {
            throw BenefitsError.missingField(file: file, line: map.mark?.line ?? 0, field: name, parameter: parameter)
        }
        return result
    }

    func string(_ node: Node, field: String) throws -> String {
        guard case let .scalar(s) = node else { throw invalid(node, field, "text") }
        return s.string
    }

    func int(_ node: Node, field: String) throws -> Int {
        let text = try string(node, field: field).replacingOccurrences(of: "_", with: "")
        guard let n = Int(text) else { throw invalid(node, field, "a whole number") }
        return n
    }

    /// A whole number ≥ 0 (amounts in fen, rates in basis points, counts).
    func nonNegative(_ node: Node, field: String) throws -> Int {
        let n = try int(node, field: field)
        guard n >= 0 else { throw BenefitsError.negativeAmount(file: file, line: line(node), field: field, value: "\(n)") }
        return n
    }

    func positive(_ node: Node, field: String) throws -> Int {
        let n = try nonNegative(node, field: field)
        guard n > 0 else { throw invalid(node, field, "a whole number above 0") }
        return n
    }

    func fen(_ node: Node, field: String) throws -> Money { Money(fen: try nonNegative(node, field: field)) }

    func basisPoints(_ node: Node, field: String) throws -> Rate { Rate(basisPoints: try nonNegative(node, field: field)) }

    func decimal(_ node: Node, field: String) throws -> Decimal {
        let text = try string(node, field: field)
        guard let d = Decimal(string: text, locale: Locale(identifier: "en_US_POSIX")), text.allSatisfy({ "0123456789.-".contains($0) }) else {
            throw invalid(node, field, "a decimal number such as 0.5415")
        }
        guard d >= 0 else { throw BenefitsError.negativeAmount(file: file, line: line(node), field: field, value: text) }
        return d
    }

    func bool(_ node: Node, field: String) throws -> Bool {
        switch try string(node, field: field) {
        case "true": return true
        case "false": return false
        default: throw invalid(node, field, "true or false")
        }
    }

    func date(_ node: Node, field: String) throws -> PolicyDate {
        guard let d = PolicyDate(iso: try string(node, field: field)) else { throw invalid(node, field, "a date YYYY-MM-DD") }
        return d
    }

    func yearMonth(_ node: Node, field: String) throws -> YearMonth {
        do { return try YearMonth(parsing: try string(node, field: field), name: field) } catch {
            throw invalid(node, field, "a month YYYY-MM")
        }
    }

    func region(_ node: Node, field: String) throws -> Region {
        do { return try Region(parsing: try string(node, field: field), name: field) } catch {
            throw invalid(node, field, "national, or an area code of 2, 4 or 6 digits")
        }
    }
}

extension Node {
    var isNull: Bool {
        if case let .scalar(s) = self { return s.string == "~" || s.string == "null" || (s.string.isEmpty && s.style == .plain) }
        return false
    }
}
