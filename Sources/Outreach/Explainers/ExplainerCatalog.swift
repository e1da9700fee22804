import Foundation

/// The explainers an office has, with their templates checked against the values each provides.
public struct ExplainerCatalog: Sendable {
    public let definitions: [ExplainerDefinition]
    public let templates: ExplainerTemplates
    public let contacts: ContactBook

    /// Checks that every definition's templates exist and use only values the explainer provides.
    public init(definitions: [ExplainerDefinition], templates: ExplainerTemplates, contacts: ContactBook = ContactBook()) throws(ExplainerError) {
        for d in definitions {
            let uses: [(ExplainerChannel, String)] = [(.sms, d.templates.sms), (.voice, d.templates.voice)]
                + (d.templates.smsShort.map { [(.sms, $0)] } ?? [])
            for (channel, name) in uses {
                guard let entry = templates.entry(channel, name) else {
                    throw .missingTemplate(file: d.file, line: d.line, channel: channel.rawValue, template: name,
                                           directory: templates.directories[channel] ?? "Templates/\(channel.rawValue)")
                }
                try ExplainerTemplates.check(entry, allowed: d.availableKeys, explainer: d.name)
            }
        }
        self.definitions = definitions
        self.templates = templates
        self.contacts = contacts
    }

    /// Loads `content/explainers/*.yaml` (and `_contacts.yaml` if present) and `Templates/{sms,voice}/*.mustache`.
    public static func load(explainers: URL, templates: URL) throws(ExplainerError) -> ExplainerCatalog {
        let defs = try ExplainerLoader.load(directory: explainers)
        let t = try ExplainerTemplates.load(directory: templates)
        var contacts = ContactBook()
        let contactsURL = explainers.appendingPathComponent("_contacts.yaml")
        if FileManager.default.fileExists(atPath: contactsURL.path) {
            let text: String
            do { text = try String(contentsOf: contactsURL, encoding: .utf8) } catch { throw .unreadable(path: contactsURL.path, detail: "\(error)") }
            contacts = try ContactBook.parse(text, file: contactsURL.path)
        }
        return try ExplainerCatalog(definitions: defs, templates: t, contacts: contacts)
    }

    public func definition(named name: String) throws(ExplainerError) -> ExplainerDefinition {
        guard let d = definitions.first(where: { $0.name == name }) else {
            throw .unknownExplainer(name: name, known: definitions.map(\.name))
        }
        return d
    }
}
