/// Errors of the web server, each naming the place and the fix.
public enum WebError: Error, CustomStringConvertible, Equatable {
    case configuration(String)
    case templates(directory: String, detail: String)
    case unknownTeam(String)
    case invalidDate(String)
    case linkKey(path: String, detail: String)
    case noLeaderPhone(team: String)
    case noPublicURL
    case pastDay(String)
    case smsTemplate(path: String, detail: String)

    public var description: String {
        switch self {
        case let .configuration(d): return "carnation.yaml web section: \(d)"
        case let .templates(dir, d): return "cannot load the web templates in \(dir): \(d); check that Templates/web/ is present or set CARNATION_HOME"
        case let .unknownTeam(t): return "no team named '\(t)'; see `carnation teams list`"
        case let .invalidDate(d): return "'\(d)' is not a date; write YYYY-MM-DD"
        case let .linkKey(path, d): return "team-link key file \(path): \(d)"
        case let .noLeaderPhone(t):
            return "team '\(t)' has no member with a mobile phone to send its link to; the first member with a phone is the leader (`carnation teams add --member NAME:PHONE` or the teams file)"
        case .noPublicURL:
            return "links sent by SMS need the address teams open them at: set web.public-url in carnation.yaml (e.g. https://carnation.example.gov.cn)"
        case let .pastDay(d): return "\(d) is already over; a team link is for today or a later day"
        case let .smsTemplate(path, d): return "SMS template \(path): \(d); fix the template (see Templates/sms/team-link.mustache)"
        }
    }
}
