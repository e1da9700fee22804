import Foundation
import Mustache

/// The pages (`Templates/web/*.mustache`) and the two scripts and the style sheet the team page uses.
public struct WebTemplates: Sendable {
    public let library: MustacheLibrary
    public let teamScript: String
    public let serviceWorker: String
    public let styleSheet: String

    /// Loads everything from `directory` (Templates/web).
    public static func load(directory: URL) async throws -> WebTemplates {
        let library: MustacheLibrary
        do { library = try await MustacheLibrary(directory: directory.path) } catch {
            throw WebError.templates(directory: directory.path, detail: "\(error)")
        }
        func read(_ name: String) throws -> String {
            do { return try String(contentsOf: directory.appendingPathComponent(name), encoding: .utf8) } catch {
                throw WebError.templates(directory: directory.path, detail: "cannot read \(name)")
            }
        }
        for name in ["team", "team-refused", "office", "office-login"] where library.getTemplate(named: name) == nil {
            throw WebError.templates(directory: directory.path, detail: "\(name).mustache is missing")
        }
        return WebTemplates(library: library, teamScript: try read("team.js"), serviceWorker: try read("team-sw.js"), styleSheet: try read("carnation.css"))
    }

    /// Renders template `name` with `object` (a dictionary tree); a missing template is a programming error caught at load.
    public func render(_ name: String, _ object: [String: Any]) -> String {
        library.render(object, withTemplate: name) ?? ""
    }
}
