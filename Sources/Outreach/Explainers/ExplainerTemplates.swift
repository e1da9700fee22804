import Foundation
import Mustache

/// The channel an explainer is delivered on.
public enum ExplainerChannel: String, Sendable, CaseIterable, Codable {
    case sms
    case voice

    public var chinese: String { self == .sms ? "短信" : "语音" }
}

/// Mustache templates for explainers, by channel and name (`Templates/sms/NAME.mustache`, `Templates/voice/NAME.mustache`).
///
/// Templates render as plain text (no HTML escaping). Each template is checked against the values its
/// explainer provides, so a misspelt `{{figure}}` is an error naming the file and line rather than a gap in a message.
public struct ExplainerTemplates: Sendable {
    public struct Entry: Sendable {
        public let name: String
        public let path: String
        public let text: String
        let template: MustacheTemplate
    }

    public private(set) var entries: [ExplainerChannel: [String: Entry]] = [:]
    /// Where templates of each channel came from, for messages.
    public private(set) var directories: [ExplainerChannel: String] = [:]

    public init() {}

    /// Adds a template from text; `path` names it in errors.
    public mutating func add(channel: ExplainerChannel, name: String, text: String, path: String) throws(ExplainerError) {
        let template: MustacheTemplate
        do { template = try MustacheTemplate(string: "{{% CONTENT_TYPE: TEXT}}" + text) } catch let e as MustacheTemplate.ParserError {
            let column = e.context.lineNumber <= 1 ? max(1, e.context.columnNumber - 24) : e.context.columnNumber
            throw .templateSyntax(template: path, line: max(1, e.context.lineNumber), column: column, detail: "\(e.error)")
        } catch {
            throw .templateSyntax(template: path, line: 1, column: 1, detail: "\(error)")
        }
        entries[channel, default: [:]][name] = Entry(name: name, path: path, text: text, template: template)
    }

    /// Reads `sms/*.mustache` and `voice/*.mustache` under `directory` (the `Templates/` directory).
    public static func load(directory: URL) throws(ExplainerError) -> ExplainerTemplates {
        var t = ExplainerTemplates()
        for channel in ExplainerChannel.allCases {
            let dir = directory.appendingPathComponent(channel.rawValue)
            t.directories[channel] = dir.path
            let names: [String]
            do { names = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasSuffix(".mustache") }.sorted() } catch {
                throw .unreadable(path: dir.path, detail: "\(error)")
            }
            for file in names {
                let url = dir.appendingPathComponent(file)
                let text: String
                do { text = try String(contentsOf: url, encoding: .utf8) } catch { throw .unreadable(path: url.path, detail: "\(error)") }
                try t.add(channel: channel, name: String(file.dropLast(".mustache".count)), text: text, path: url.path)
            }
        }
        return t
    }

    public func entry(_ channel: ExplainerChannel, _ name: String) -> Entry? { entries[channel]?[name] }

    /// Checks that every `{{key}}` in the template is one of `allowed`; sections, inverted sections and
    /// triple mustaches count, comments and partials do not.
    public static func check(_ entry: Entry, allowed: [String], explainer: String) throws(ExplainerError) {
        for (key, line) in keys(in: entry.text) where !allowed.contains(key) {
            throw .unknownTemplateKey(template: entry.path, line: line, key: key, explainer: explainer, allowed: allowed)
        }
    }

    /// The variable names a template refers to, with their lines (1-based).
    static func keys(in text: String) -> [(String, Int)] {
        var out: [(String, Int)] = []
        var line = 1
        var i = text.startIndex
        while i < text.endIndex {
            if text[i] == "\n" { line += 1 }
            guard text[i...].hasPrefix("{{"), let close = text[i...].range(of: "}}") else { i = text.index(after: i); continue }
            var inner = text[text.index(i, offsetBy: 2)..<close.lowerBound]
            if inner.hasPrefix("{") { inner = inner.dropFirst() }
            let tokenLine = line
            line += inner.filter { $0 == "\n" }.count
            i = close.upperBound
            if text[i...].hasPrefix("}") { i = text.index(after: i) }
            var name = inner.trimmingCharacters(in: .whitespaces)
            guard let first = name.first else { continue }
            if "!%>=<$".contains(first) { continue }
            if "#^/&".contains(first) { name = String(name.dropFirst()).trimmingCharacters(in: .whitespaces) }
            if name == "." || name.isEmpty { continue }
            out.append((String(name.split(separator: ".").first ?? Substring(name)), tokenLine))
        }
        return out
    }

    /// Renders a template with `values` (strings are text; `true` opens a section; absent keys are empty).
    func render(_ entry: Entry, _ values: [String: Any]) -> String {
        entry.template.render(values)
    }
}
