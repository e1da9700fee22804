/// What went wrong with visit rules, teams, plans or outcomes: the place, and the fix.
public enum VisitError: Error, CustomStringConvertible, Equatable {
    /// A content or team file that cannot be read as written.
    case file(file: String, line: Int, detail: String)
    /// A team the command names does not exist.
    case unknownTeam(String, known: [String])
    /// A visit id that is not in the plans.
    case unknownVisit(Int64)
    /// A request that cannot be carried out as given.
    case invalid(String)

    public var description: String {
        switch self {
        case let .file(file, line, detail):
            return line > 0 ? "\(file):\(line): \(detail)" : "\(file): \(detail)"
        case let .unknownTeam(name, known):
            return "no team named '\(name)'" + (known.isEmpty ? "; add one with `carnation teams add` or `teams import`" : "; teams: " + known.joined(separator: ", "))
        case let .unknownVisit(id):
            return "no visit \(id); `carnation visits list --team T --date D` shows the ids"
        case let .invalid(detail):
            return detail
        }
    }
}
