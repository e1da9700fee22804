import Digests
import Foundation
import Registry
import Store

/// Team-day links: a random 256-bit token in the URL, only its SHA-256 in the database.
public struct TeamLinks: Sendable {
    public let database: CarnationDatabase

    public init(database: CarnationDatabase) { self.database = database }

    /// Why a token does not open a page.
    public enum Refusal: Error, Sendable, Equatable {
        case malformed
        case unknown
        case revoked
        /// The link is for another day (`date`).
        case wrongDay(date: String)
    }

    /// A new link for `team` on `date`. The token is returned once and never stored.
    public func issue(team: String, date: CalendarDate, now: Date) throws -> (token: String, record: TeamLinkRecord) {
        let teams = try database.teams()
        guard teams.contains(where: { $0.name == team }) else { throw WebError.unknownTeam(team) }
        let token = Base64URL.encode(SecureRandom.bytes(32))
        let record = try database.addTeamLink(TeamLinkRecord(tokenHash: Self.hash(token), team: team, date: date.description, createdAt: now))
        return (token, record)
    }

    /// Revokes the live links of `team` (on `date`, or all).
    @discardableResult
    public func revoke(team: String, date: CalendarDate?, now: Date) throws -> Int {
        try database.revokeTeamLinks(team: team, date: date?.description, now: now)
    }

    /// The hash stored for `token`.
    public static func hash(_ token: String) -> String { SHA256.hex(token) }

    /// Whether `token` may be a token at all (43 base64url characters for 32 bytes; a little slack either way).
    public static func isWellFormed(_ token: String) -> Bool { Base64URL.isToken(token, minLength: 22, maxLength: 64) }

    /// The link `token` opens on `today`; for outcomes, days up to `graceDays` after the link's day are accepted too.
    public func resolve(_ token: String, today: CalendarDate, graceDays: Int = 0) throws -> Result<TeamLinkRecord, Refusal> {
        guard Self.isWellFormed(token) else { return .failure(.malformed) }
        guard let link = try database.teamLink(tokenHash: Self.hash(token)) else { return .failure(.unknown) }
        if link.revokedAt != nil { return .failure(.revoked) }
        guard let day = CalendarDate(parsing: link.date) else { return .failure(.unknown) }
        guard today >= day && today <= day.adding(days: graceDays) else { return .failure(.wrongDay(date: link.date)) }
        return .success(link)
    }
}
