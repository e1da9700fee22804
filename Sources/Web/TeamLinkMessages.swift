import Digests
import Foundation
import Messaging
import Mustache
import Registry
import Speech
import Store

/// The morning SMS that brings each team leader the link to the team's day page, through the same outbox,
/// dispatcher, quiet hours and gateways as any message.
///
/// The outbox holds the text with `{token}` where the token goes; `TeamLinkGateway` puts the token in when the SMS
/// leaves (see `TeamLinkKey`). Each team's messages of one day are in the system campaign `team-links-YYYY-MM-DD`;
/// asking twice for a team and day sends once, and a new SMS goes out only after the link was revoked.
public struct TeamLinkMessages: Sendable {
    /// Where the token goes in the stored text.
    public static let tokenPlaceholder = "{token}"
    /// Idempotency keys of link messages start with this; only those are filled in at send time.
    public static let keyPrefix = "team-link/"

    public let database: CarnationDatabase
    public let key: TeamLinkKey
    /// Base of the links, e.g. `https://carnation.example.gov.cn` (web.public-url).
    public let publicURL: String
    public let signature: SMSSignature
    /// Templates/sms/team-link.mustache: `leader`, `team`, `date` (e.g. 12月1日) and `link`.
    let template: MustacheTemplate
    public let timeZone: TimeZone

    public init(database: CarnationDatabase, key: TeamLinkKey, publicURL: String, signature: SMSSignature, template: String,
                templatePath: String, timeZone: TimeZone = TimeZone(identifier: "Asia/Shanghai")!) throws(WebError) {
        self.database = database; self.key = key; self.publicURL = publicURL; self.signature = signature; self.timeZone = timeZone
        do { self.template = try MustacheTemplate(string: "{{% CONTENT_TYPE: TEXT}}" + template) } catch {
            throw .smsTemplate(path: templatePath, detail: "\(error)")
        }
        guard template.contains("{{{link}}}") || template.contains("{{&link}}") else {
            throw .smsTemplate(path: templatePath, detail: "it must contain {{{link}}} (three braces, so the address is not escaped)")
        }
    }

    /// The system campaign of `date`'s link messages.
    public static func campaignName(_ date: CalendarDate) -> String { "team-links-\(date)" }

    /// The member the link goes to: the first with a mobile phone.
    public static func leader(of team: Team) -> TeamMember? {
        team.members.first { (try? OutgoingSMS.validatePhone($0.phone)) != nil }
    }

    /// The text for `team`'s leader on `date` with the placeholder for the token, and the segments it takes once the
    /// token (43 characters) is in.
    public func text(team: Team, leader: TeamMember, date: CalendarDate) -> (text: String, segments: Int) {
        let link = publicURL + "/team/" + Self.tokenPlaceholder
        let body = template.render(["leader": leader.name, "team": team.name, "date": "\(date.month)月\(date.day)日", "link": link] as [String: Any])
        let text = signature.signing(body.trimmingCharacters(in: .whitespacesAndNewlines))
        let sent = text.replacingOccurrences(of: Self.tokenPlaceholder, with: String(repeating: "A", count: 43))
        return (text, SMSSegmenter.measure(sent).segments)
    }

    /// Writes a new link for `team` on `date` and its SMS to the leader, unless a live link of that team and day
    /// already has one. Nothing is sent here; the dispatcher sends it (quiet hours apply).
    public func send(team: Team, date: CalendarDate, user: String, now: Date) throws -> TeamLinkMessageResult {
        guard let leader = Self.leader(of: team) else { throw WebError.noLeaderPhone(team: team.name) }
        let endOfDay = Date(timeIntervalSince1970: Double((date.daysSinceEpoch + 1) * 86400 - timeZone.secondsFromGMT(for: now)))
        guard endOfDay > now else { throw WebError.pastDay(date.description) }
        let nonce = TeamLinkKey.nonce()
        let token = key.token(team: team.name, date: date.description, nonce: nonce)
        let (text, segments) = self.text(team: team, leader: leader, date: date)
        let area = Self.commonPrefix(team.areas)
        let link = TeamLinkRecord(tokenHash: TeamLinks.hash(token), team: team.name, date: date.description, createdAt: now)
        return try database.addTeamLinkMessage(link, nonce: nonce, message: { n in
            NewDirectMessage(recipient: "team:\(team.name)#\(n)", idempotencyKey: "\(Self.keyPrefix)\(date)/\(team.name)/\(n)",
                             phone: leader.phone, areaCode: area.isEmpty ? nil : area, body: text, segments: segments, notAfter: endOfDay)
        }, campaign: Self.campaignName(date), createdBy: user, due: now, now: now)
    }

    /// The token of the link outbox message `outboxID` carries, derived again; or why it cannot be sent.
    public static func token(forOutbox outboxID: Int64, database: CarnationDatabase, key: TeamLinkKey) throws -> Result<String, TokenRefusal> {
        guard let secret = try database.teamLinkSecret(outboxID: outboxID) else { return .failure(.noLink) }
        let link = secret.link
        if link.revokedAt != nil { return .failure(.revoked) }
        guard let nonce = secret.nonce else { return .failure(.alreadySent) }
        let token = key.token(team: link.team, date: link.date, nonce: nonce)
        guard constantTimeEqual(TeamLinks.hash(token), link.tokenHash) else { return .failure(.keyChanged) }
        return .success(token)
    }

    /// Why a link message cannot be filled in.
    public enum TokenRefusal: Error, Sendable, Equatable, CustomStringConvertible {
        case noLink, revoked, alreadySent, keyChanged

        public var description: String {
            switch self {
            case .noLink: return "no team link belongs to this message"
            case .revoked: return "the team link was revoked before the SMS left"
            case .alreadySent: return "the SMS already left once and its token is forgotten; revoke the link and send a new one"
            case .keyChanged: return "the team-link key file changed since the link was made; revoke the link and send a new one"
            }
        }
    }

    /// The longest prefix all of `areas` share (the team's area for quiet hours and scoping).
    static func commonPrefix(_ areas: [String]) -> String {
        guard var prefix = areas.first else { return "" }
        for a in areas.dropFirst() { while !a.hasPrefix(prefix) { prefix.removeLast() } }
        return prefix
    }

    /// `token` shortened for places that must not hold it (the spool, logs): the first 4 characters and `…`.
    public static func masked(_ token: String) -> String { String(token.prefix(4)) + "…" }
}

/// A gateway that fills in the token of team-link messages as they leave, then hands them to `inner`.
///
/// Other messages pass through untouched. With `maskToken` (the spool, whose files are kept on disk) the token is
/// written shortened, so no file holds a usable link. Once `inner` took a link message and would never be asked to
/// send it again (it does not deduplicate, so a crash leaves it `unknown`, not resent), the nonce is forgotten; for
/// a deduplicating gateway, once the message is recorded as sent (the next link message or `serve links` sweeps).
public struct TeamLinkGateway: SMSGateway {
    public let inner: any SMSGateway
    public let database: CarnationDatabase
    /// Read when a link message leaves (the file may be created after the dispatcher started).
    public let keyPath: String
    public let maskToken: Bool

    public init(inner: any SMSGateway, database: CarnationDatabase, keyPath: String, maskToken: Bool) {
        self.inner = inner; self.database = database; self.keyPath = keyPath; self.maskToken = maskToken
    }

    public var name: String { inner.name }
    public var deduplicates: Bool { inner.deduplicates }

    public func send(_ message: OutgoingSMS) async -> SendResult {
        guard message.idempotencyKey.hasPrefix(TeamLinkMessages.keyPrefix), message.text.contains(TeamLinkMessages.tokenPlaceholder),
              let outboxID = Int64(message.outboxID) else { return await inner.send(message) }
        let token: String
        do {
            // Links sent earlier (through a deduplicating gateway, whose sends are recorded after this returns) no
            // longer need their nonce.
            try database.forgetSettledTeamLinkNonces()
            let key = try TeamLinkKey.load(path: keyPath, create: false)
            switch try TeamLinkMessages.token(forOutbox: outboxID, database: database, key: key) {
            case let .success(t): token = t
            case let .failure(refusal): return .failed(.rejected(gateway: name, status: 0, code: "team-link", body: refusal.description))
            }
        } catch {
            // The database or the key file cannot be read now: not sent, try again later.
            return .failed(.local(gateway: name, detail: "cannot fill in the team link: \(error)"))
        }
        let filled: OutgoingSMS
        do {
            filled = try OutgoingSMS(outboxID: message.outboxID, idempotencyKey: message.idempotencyKey, phone: message.phone,
                                     text: message.text.replacingOccurrences(of: TeamLinkMessages.tokenPlaceholder,
                                                                             with: maskToken ? TeamLinkMessages.masked(token) : token),
                                     template: message.template)
        } catch {
            return .failed(.invalidMessage(error))
        }
        let result = await inner.send(filled)
        if case .accepted = result, !inner.deduplicates { try? database.forgetTeamLinkNonce(outboxID: outboxID) }
        return result
    }
}
