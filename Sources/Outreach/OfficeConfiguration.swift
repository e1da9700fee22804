import Foundation
import Registry
import Yams

/// The office's configuration (`carnation.yaml`): where the database is and who may see what.
///
/// Every option has a default, so the tool runs with no file at all: then the database is
/// `var/carnation.sqlite` and the local user sees everything (a single-office machine).
public struct OfficeConfiguration: Sendable {
    /// A person allowed to use the tool, and their area.
    public struct User: Sendable, Equatable {
        public var name: String
        public var role: String
        public var areas: [AreaPrefix]
        /// May ask for unmasked IDs and phones.
        public var mayUnmask: Bool
    }

    public var databasePath: String?
    public var users: [User] = []

    public init() {}

    public static func parse(_ text: String, file: String) throws(ConfigurationError) -> OfficeConfiguration {
        var config = OfficeConfiguration()
        let node: Node?
        do { node = try Yams.compose(yaml: text) } catch { throw .invalid(file: file, line: 0, detail: "\(error)") }
        guard let root = node?.mapping else { return config }
        for (k, v) in root {
            let line = k.mark?.line ?? 0
            switch k.string ?? "" {
            case "database": config.databasePath = v.string
            case "users":
                for u in v.sequence ?? [] {
                    guard let m = u.mapping, let name = m["name"]?.string else {
                        throw .invalid(file: file, line: u.mark?.line ?? line, detail: "each user needs a name")
                    }
                    var areas: [AreaPrefix] = []
                    for a in m["areas"]?.sequence ?? [] {
                        do { areas.append(try AreaPrefix(a.string ?? "")) } catch {
                            throw .invalid(file: file, line: a.mark?.line ?? line, detail: error.description)
                        }
                    }
                    config.users.append(User(name: name, role: m["role"]?.string ?? "coordinator", areas: areas,
                                             mayUnmask: m["unmask"]?.bool ?? false))
                }
            case "gateway", "sms", "voice", "web", "dispatch", "campaigns", "speech":
                continue  // read by the modules that own them
            default:
                throw .invalid(file: file, line: line, detail: "unknown option '\(k.string ?? "")'")
            }
        }
        return config
    }

    /// What `userName` may see: nil areas means everywhere.
    public func access(for userName: String) throws(ConfigurationError) -> Access {
        if users.isEmpty { return Access(user: userName, areas: nil, mayUnmask: true) }
        guard let u = users.first(where: { $0.name == userName }) else {
            throw .unknownUser(userName, known: users.map(\.name))
        }
        return Access(user: u.name, areas: u.areas, mayUnmask: u.mayUnmask)
    }
}

/// A user's scope: the areas they may see and whether they may unmask.
public struct Access: Sendable {
    public var user: String
    /// nil: all areas.
    public var areas: [AreaPrefix]?
    public var mayUnmask: Bool
}

public enum ConfigurationError: Error, CustomStringConvertible {
    case invalid(file: String, line: Int, detail: String)
    case unknownUser(String, known: [String])
    case notAllowed(String)

    public var description: String {
        switch self {
        case let .invalid(file, line, detail): return "\(file):\(line): \(detail)"
        case let .unknownUser(u, known):
            return "user '\(u)' is not in the configuration's users (\(known.joined(separator: ", "))); set CARNATION_USER or ask the office to add you"
        case let .notAllowed(what): return what
        }
    }
}
