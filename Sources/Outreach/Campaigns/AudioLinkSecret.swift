import Digests
import Messaging
import Store

extension CarnationDatabase {
    /// The signer of audio links, under the server secret kept in the database (made on first use), so the
    /// dispatcher that hands out links and `carnation serve` that checks them agree across processes and restarts.
    public func audioLink() throws -> AudioLink {
        AudioLink(secret: try webSecret(named: AudioLink.secretName, make: { SecureRandom.bytes(32) }))
    }
}
