import Foundation
import Messaging
import Registry
import Yams

/// A coordinator who may log in to the read-only view, with the areas they may see.
public struct CoordinatorAccount: Sendable, Equatable {
    public var name: String
    /// Area-code prefixes; empty means no area at all (the user sees no one), as on the command line.
    public var areas: [AreaPrefix]
    public var passwordHash: PasswordHash

    public init(name: String, areas: [AreaPrefix], passwordHash: PasswordHash) {
        self.name = name; self.areas = areas; self.passwordHash = passwordHash
    }
}

/// The web server's settings (the `web:` section of carnation.yaml, plus `password-hash` on `users:`).
///
/// ```yaml
/// web:
///   public-url: https://carnation.example.gov.cn   # base of the team links sent by SMS
///   inbound-secret: 0123456789abcdef              # `key` on the inbound-SMS URL Kannel calls
///   opt-out-keywords: [退订, TD, T, STOP]
///   guesses: { burst: 10, refill-seconds: 60 }    # failed token/password tries per client
///   outcome-grace-days: 1                         # offline outcomes accepted this many days after the team's day
///   session-hours: 8
///   trusted-proxies: [127.0.0.1]                  # a reverse proxy (HTTPS) in front of carnation serve
///   link-key-file: /srv/carnation/var/team-link.key  # key of the links sent by SMS (default var/team-link.key)
/// users:
///   - name: wang
///     areas: ["532999"]
///     password-hash: pbkdf2-sha256$210000$…$…     # `carnation serve hash-password`
/// ```
public struct WebSettings: Sendable {
    public var publicURL: String?
    public var inboundSecret: String?
    public var optOut = OptOutKeywords.standard
    public var guessBurst = 10
    public var guessRefillSeconds = 60.0
    public var outcomeGraceDays = 1
    public var sessionHours = 8.0
    /// Reverse proxies whose X-Forwarded-For names the client (for the guess limiter).
    public var trustedProxies: [String] = []
    /// The key file team links sent by SMS are derived from (default: var/team-link.key); keep it out of backups.
    public var linkKeyFile: String?
    public var coordinators: [CoordinatorAccount] = []

    public init() {}

    /// Reads `web:` and the `password-hash` of each entry of `users:`; other sections are left to their modules.
    public static func parse(_ text: String, file: String) throws(WebError) -> WebSettings {
        var s = WebSettings()
        let root: Node?
        do { root = try Yams.compose(yaml: text) } catch { throw .configuration("\(file): not valid YAML: \(error)") }
        guard let map = root?.mapping else { return s }
        if let web = map["web"] {
            guard let m = web.mapping else { throw .configuration("\(file): `web` must be a mapping") }
            for (k, v) in m {
                let key = k.string ?? ""
                let place = "\(file):\((k.mark?.line ?? 0) + 1): web.\(key)"
                switch key {
                case "public-url":
                    guard let u = v.string, let url = URL(string: u), url.scheme == "http" || url.scheme == "https" else {
                        throw .configuration("\(place) must be an http(s) URL")
                    }
                    s.publicURL = u.hasSuffix("/") ? String(u.dropLast()) : u
                case "inbound-secret":
                    guard let secret = v.string, secret.count >= 16, secret.unicodeScalars.allSatisfy({ $0.isASCII && (CharacterSet.alphanumerics.contains($0) || "-_.".unicodeScalars.contains($0)) }) else {
                        throw .configuration("\(place) must be at least 16 letters or digits (it travels in a URL)")
                    }
                    s.inboundSecret = secret
                case "opt-out-keywords":
                    guard let list = v.sequence?.compactMap(\.string), !list.isEmpty else { throw .configuration("\(place) must be a list of words") }
                    s.optOut = OptOutKeywords(list)
                case "guesses":
                    guard let g = v.mapping else { throw .configuration("\(place) must be a mapping with burst and refill-seconds") }
                    if let b = g["burst"] {
                        guard let n = b.int, n >= 1 else { throw .configuration("\(place).burst must be a whole number ≥ 1") }
                        s.guessBurst = n
                    }
                    if let r = g["refill-seconds"] {
                        guard let x = r.float, x > 0 else { throw .configuration("\(place).refill-seconds must be a number > 0") }
                        s.guessRefillSeconds = x
                    }
                case "outcome-grace-days":
                    guard let n = v.int, n >= 0, n <= 7 else { throw .configuration("\(place) must be 0 to 7") }
                    s.outcomeGraceDays = n
                case "session-hours":
                    guard let x = v.float, x > 0, x <= 24 else { throw .configuration("\(place) must be a number of hours from 0 to 24") }
                    s.sessionHours = x
                case "trusted-proxies":
                    guard let list = v.sequence?.compactMap(\.string), !list.isEmpty else { throw .configuration("\(place) must be a list of IP addresses") }
                    s.trustedProxies = list
                case "link-key-file":
                    guard let path = v.string, !path.isEmpty else { throw .configuration("\(place) must be a file path") }
                    s.linkKeyFile = path
                default:
                    throw .configuration("\(place): unknown option; known: public-url, inbound-secret, opt-out-keywords, guesses, outcome-grace-days, session-hours, trusted-proxies, link-key-file")
                }
            }
        }
        for u in map["users"]?.sequence ?? [] {
            guard let m = u.mapping, let name = m["name"]?.string, let hashText = m["password-hash"]?.string else { continue }
            let hash: PasswordHash
            do { hash = try PasswordHash(parsing: hashText) } catch {
                throw .configuration("\(file):\((u.mark?.line ?? 0) + 1): user \(name): \(error.description)")
            }
            var areas: [AreaPrefix] = []
            for a in m["areas"]?.sequence ?? [] {
                do { areas.append(try AreaPrefix(a.string ?? "")) } catch {
                    throw .configuration("\(file):\((a.mark?.line ?? 0) + 1): user \(name): \(error)")
                }
            }
            s.coordinators.append(CoordinatorAccount(name: name, areas: areas, passwordHash: hash))
        }
        return s
    }
}
