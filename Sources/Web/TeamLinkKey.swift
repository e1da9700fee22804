import Digests
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The key that the tokens of team links sent by SMS are derived from.
///
/// A link's SMS waits in the outbox (quiet hours, retries) before it leaves, yet the token must never be stored. So
/// the outbox holds the text with a placeholder, the link holds its token's hash and a random nonce, and the token is
/// derived again when the SMS leaves: HMAC-SHA256(key, team, day, nonce), 256 bits. The key lives in a file outside
/// the database (`var/team-link.key`, owner-only), so the database and its backups alone cannot rebuild a token; the
/// nonce is forgotten once the gateway took the SMS.
public struct TeamLinkKey: Sendable {
    private let mac: HMACSHA256

    public init(bytes: [UInt8]) { mac = HMACSHA256(key: bytes) }

    /// The token of the link of `team` on `date` made with `nonce` (43 base64url characters).
    public func token(team: String, date: String, nonce: String) -> String {
        // Length-prefixed fields, so no two (team, date, nonce) give the same message.
        var message = Array("carnation-team-link".utf8)
        for field in [team, date, nonce] {
            let bytes = Array(field.utf8)
            message += [UInt8(truncatingIfNeeded: bytes.count >> 8), UInt8(truncatingIfNeeded: bytes.count)] + bytes
        }
        return Base64URL.encode(mac.mac(message))
    }

    /// A fresh random nonce (128 bits).
    public static func nonce() -> String { Base64URL.encode(SecureRandom.bytes(16)) }

    /// Reads the key at `path`; when there is none and `create` is set, makes one (32 random bytes, mode 0600) first.
    /// The file is written aside and linked into place, so two processes starting at once agree on one key.
    public static func load(path: String, create: Bool) throws(WebError) -> TeamLinkKey {
        if let data = FileManager.default.contents(atPath: path) {
            guard data.count == 32 else { throw .linkKey(path: path, detail: "it holds \(data.count) bytes, not 32; remove it only if no link of today or later was sent") }
            return TeamLinkKey(bytes: Array(data))
        }
        guard create else { throw .linkKey(path: path, detail: "it does not exist; a link sent by SMS creates it (`carnation serve link TEAM --send`)") }
        let directory = (path as NSString).deletingLastPathComponent
        do { try FileManager.default.createDirectory(atPath: directory.isEmpty ? "." : directory, withIntermediateDirectories: true) } catch {
            throw .linkKey(path: path, detail: "cannot create its directory: \(error)")
        }
        let aside = path + ".tmp-\(getpid())-\(UUID().uuidString)"
        let fd = open(aside, O_WRONLY | O_CREAT | O_EXCL, 0o600)
        guard fd >= 0 else { throw .linkKey(path: path, detail: "cannot write \(aside): \(String(cString: strerror(errno)))") }
        let bytes = SecureRandom.bytes(32)
        let written = bytes.withUnsafeBytes { write(fd, $0.baseAddress, 32) }
        let synced = fsync(fd) == 0
        close(fd)
        defer { unlink(aside) }
        guard written == 32, synced else { throw .linkKey(path: path, detail: "cannot write \(aside): \(String(cString: strerror(errno)))") }
        if link(aside, path) != 0 && errno != EEXIST {
            throw .linkKey(path: path, detail: "cannot create it: \(String(cString: strerror(errno)))")
        }
        // Whoever linked first won; everyone reads the same file.
        return try load(path: path, create: false)
    }
}
