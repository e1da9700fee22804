import Digests
/// Coordinator passwords stored as `pbkdf2-sha256$ITERATIONS$SALT_HEX$HASH_HEX` (slow and salted).
public struct PasswordHash: Sendable, Equatable, CustomStringConvertible {
    public static let defaultIterations = 210_000
    public let iterations: Int
    public let salt: [UInt8]
    public let hash: [UInt8]

    /// Hashes `password` with a fresh 16-byte salt.
    public static func make(_ password: String, iterations: Int = defaultIterations, salt: [UInt8] = SecureRandom.bytes(16)) -> PasswordHash {
        PasswordHash(iterations: iterations, salt: salt,
                     hash: PBKDF2.sha256(password: Array(password.utf8), salt: salt, iterations: iterations, length: 32))
    }

    init(iterations: Int, salt: [UInt8], hash: [UInt8]) { self.iterations = iterations; self.salt = salt; self.hash = hash }

    /// Reads the stored form.
    public init(parsing text: String) throws(WebError) {
        let parts = text.split(separator: "$", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 4, parts[0] == "pbkdf2-sha256", let n = Int(parts[1]), n >= 1_000, n <= 10_000_000,
              let salt = Hex.decode(parts[2]), salt.count >= 8, let hash = Hex.decode(parts[3]), hash.count == 32 else {
            throw .configuration("a password-hash must read pbkdf2-sha256$ITERATIONS$SALT$HASH (make one with `carnation serve hash-password`)")
        }
        self.init(iterations: n, salt: salt, hash: hash)
    }

    public var description: String { "pbkdf2-sha256$\(iterations)$\(Hex.encode(salt))$\(Hex.encode(hash))" }

    public func verify(_ password: String) -> Bool {
        constantTimeEqual(PBKDF2.sha256(password: Array(password.utf8), salt: salt, iterations: iterations, length: hash.count), hash)
    }
}
