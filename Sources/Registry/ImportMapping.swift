import Foundation
import Yams

/// How one department's export maps onto resident fields (`content/import/SOURCE.yaml`).
///
/// Each field lists the headings that departments use for it; the first row of the file
/// that holds the ID heading and at least one other known heading is taken as the heading
/// row (title rows above it are skipped).
public struct ImportMapping: Sendable, Equatable {
    public var source: String
    public var title: String
    /// Heading text → field.
    public var headings: [String: ResidentField]
    /// Fields every row must carry (the ID always).
    public var required: [ResidentField]

    public init(source: String, title: String, headings: [String: ResidentField], required: [ResidentField]) {
        self.source = source
        self.title = title
        self.headings = headings
        self.required = required
    }

    /// Parses a mapping file's text; `file` names it in errors.
    public static func parse(_ text: String, file: String) throws(MappingError) -> ImportMapping {
        let node: Node?
        do { node = try Yams.compose(yaml: text) } catch { throw .yaml(file: file, detail: "\(error)") }
        guard let root = node?.mapping else { throw .yaml(file: file, detail: "the top level must be a mapping with source, title and columns") }
        var source: String?, title = "", headings: [String: ResidentField] = [:], required: [ResidentField] = [.id]
        for (k, v) in root {
            let key = k.string ?? ""
            let line = k.mark?.line ?? 0
            switch key {
            case "source": source = v.string
            case "title": title = v.string ?? ""
            case "required":
                required = [.id]
                for item in v.sequence ?? [] {
                    guard let f = ResidentField(rawValue: item.string ?? "") else {
                        throw .unknownField(file: file, line: item.mark?.line ?? line, name: item.string ?? "")
                    }
                    if f != .id { required.append(f) }
                }
            case "columns":
                guard let cols = v.mapping else { throw .yaml(file: file, detail: "line \(line): columns must map field names to lists of headings") }
                for (fk, fv) in cols {
                    guard let field = ResidentField(rawValue: fk.string ?? "") else {
                        throw .unknownField(file: file, line: fk.mark?.line ?? line, name: fk.string ?? "")
                    }
                    let names = fv.sequence?.compactMap(\.string) ?? fv.string.map { [$0] } ?? []
                    for n in names { headings[ImportMapping.normaliseHeading(n)] = field }
                }
            default:
                throw .unknownKey(file: file, line: line, key: key)
            }
        }
        guard let src = source, !src.isEmpty else { throw .yaml(file: file, detail: "missing 'source'") }
        guard headings.values.contains(.id) else { throw .yaml(file: file, detail: "columns must name the heading of the resident ID (field 'id')") }
        return ImportMapping(source: src, title: title, headings: headings, required: required)
    }

    /// Headings compare without spaces, full-width spaces, asterisks (required-field marks) or newlines.
    public static func normaliseHeading(_ s: String) -> String {
        String(s.unicodeScalars.filter { !$0.properties.isWhitespace && $0 != "*" && $0 != "\u{FEFF}" }
            .map(Character.init))
            .replacingOccurrences(of: "（", with: "(").replacingOccurrences(of: "）", with: ")")
    }

    /// Finds the heading row: returns column index → field, or nil if `record` is not it.
    public func columns(forHeading record: [String]) -> [Int: ResidentField]? {
        var out: [Int: ResidentField] = [:]
        for (i, h) in record.enumerated() {
            if let f = headings[ImportMapping.normaliseHeading(h)], !out.values.contains(f) { out[i] = f }
        }
        guard out.values.contains(.id), out.count >= 2 else { return nil }
        return out
    }

    /// The headings this mapping accepts, for error messages.
    public var expectedHeadings: [String] { headings.keys.sorted() }
}

public enum MappingError: Error, Equatable, Sendable, CustomStringConvertible {
    case yaml(file: String, detail: String)
    case unknownField(file: String, line: Int, name: String)
    case unknownKey(file: String, line: Int, key: String)
    case notFound(source: String, directory: String)

    public var description: String {
        switch self {
        case let .yaml(file, detail): return "\(file): \(detail)"
        case let .unknownField(file, line, name):
            return "\(file):\(line): unknown field '\(name)'; known fields: \(ResidentField.allCases.map(\.rawValue).joined(separator: ", "))"
        case let .unknownKey(file, line, key):
            return "\(file):\(line): unknown key '\(key)'; allowed: source, title, required, columns"
        case let .notFound(source, directory):
            return "no mapping for source '\(source)' in \(directory); write \(directory)/\(source).yaml or pass --mapping FILE"
        }
    }
}
