/// Errors of the web server, each naming the place and the fix.
public enum WebError: Error, CustomStringConvertible, Equatable {
    case configuration(String)
    case templates(directory: String, detail: String)
    case unknownTeam(String)
    case invalidDate(String)

    public var description: String {
        switch self {
        case let .configuration(d): return "carnation.yaml web section: \(d)"
        case let .templates(dir, d): return "cannot load the web templates in \(dir): \(d); check that Templates/web/ is present or set CARNATION_HOME"
        case let .unknownTeam(t): return "no team named '\(t)'; see `carnation visits teams`"
        case let .invalidDate(d): return "'\(d)' is not a date; write YYYY-MM-DD"
        }
    }
}
