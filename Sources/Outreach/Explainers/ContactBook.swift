import Foundation
import Registry
import Yams

/// Who residents can call back: the hotline, and per area (village or township) a contact that the
/// closing line of an explainer names instead. Read from `content/explainers/_contacts.yaml`:
/// ```yaml
/// hotline: "12333"
/// contacts:
///   - {area: "532999001201", text: 村委会李主任 13800000000}
/// ```
public struct ContactBook: Sendable, Equatable {
    public var hotline: String
    /// Area-code prefix → contact text; the longest matching prefix wins.
    public var contacts: [String: String]

    public init(hotline: String = "12333", contacts: [String: String] = [:]) {
        self.hotline = hotline
        self.contacts = contacts
    }

    /// The contact for a resident's area, or the hotline.
    public func contact(for r: Resident) -> String {
        guard let area = r.areaCode?.value else { return hotline }
        let match = contacts.keys.filter { area.hasPrefix($0) }.max { $0.count < $1.count }
        return match.flatMap { contacts[$0] } ?? hotline
    }

    public static func parse(_ text: String, file: String) throws(ExplainerError) -> ContactBook {
        let root: Node?
        do { root = try Yams.compose(yaml: text) } catch {
            throw .malformedYAML(file: file, line: ExplainerLoader.yamlErrorLine(error), detail: "\(error)")
        }
        var book = ContactBook()
        guard let map = root?.mapping else { return book }
        let r = ExplainerLoader.Reader(file: file)
        try r.check(map, allowed: ["hotline", "contacts"])
        if let h = map["hotline"] { book.hotline = try r.scalar(h, field: "hotline") }
        if let list = map["contacts"] {
            for item in try r.sequence(list, field: "contacts") {
                guard let m = item.mapping, let areaNode = m["area"], let textNode = m["text"] else {
                    throw .invalidValue(file: file, line: r.line(item), field: "contacts", value: r.brief(item), expected: "{area: PREFIX, text: CONTACT}")
                }
                try r.check(m, allowed: ["area", "text"])
                let area = try r.scalar(areaNode, field: "area")
                guard area.allSatisfy(\.isASCII), area.allSatisfy(\.isNumber), (2...12).contains(area.count) else {
                    throw .invalidValue(file: file, line: r.line(areaNode), field: "area", value: area, expected: "an area-code prefix of 2 to 12 digits")
                }
                book.contacts[area] = try r.scalar(textNode, field: "text")
            }
        }
        return book
    }
}
