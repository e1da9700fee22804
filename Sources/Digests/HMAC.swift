/// HMAC-SHA256 (RFC 2104), checked against RFC 4231's vectors.
public struct HMACSHA256: Sendable {
    /// The hash state after the inner and outer padded keys: every MAC under one key starts from these.
    private let innerState: [UInt32]
    private let outerState: [UInt32]

    public init(key: [UInt8]) {
        var k = key.count > 64 ? SHA256.digest(key) : key
        k += [UInt8](repeating: 0, count: 64 - k.count)
        var w = [UInt32](repeating: 0, count: 64)
        var inner = SHA256.initial, outer = SHA256.initial
        SHA256.compress(&inner, k.map { $0 ^ 0x36 }, at: 0, w: &w)
        SHA256.compress(&outer, k.map { $0 ^ 0x5c }, at: 0, w: &w)
        innerState = inner; outerState = outer
    }

    /// The 32-byte MAC of `message`.
    public func mac(_ message: [UInt8]) -> [UInt8] {
        let inner = Self.finish(innerState, message, prefixLength: 64)
        return Self.finish(outerState, inner, prefixLength: 64)
    }

    public static func mac(key: [UInt8], message: [UInt8]) -> [UInt8] { HMACSHA256(key: key).mac(message) }

    /// Hashes `message` from `state`, which already absorbed `prefixLength` bytes.
    private static func finish(_ state: [UInt32], _ message: [UInt8], prefixLength: Int) -> [UInt8] {
        var h = state
        var data: [UInt8] = []
        data.reserveCapacity(message.count + 72)
        data += message
        let bitLength = UInt64(prefixLength + message.count) * 8
        data.append(0x80)
        while data.count % 64 != 56 { data.append(0) }
        for shift in stride(from: 56, through: 0, by: -8) { data.append(UInt8(truncatingIfNeeded: bitLength >> UInt64(shift))) }
        var w = [UInt32](repeating: 0, count: 64)
        for chunk in stride(from: 0, to: data.count, by: 64) { SHA256.compress(&h, data, at: chunk, w: &w) }
        return SHA256.bytes(h)
    }
}

/// PBKDF2 with HMAC-SHA256 (RFC 8018 §5.2), checked against RFC 7914 §11's vectors.
public enum PBKDF2 {
    public static func sha256(password: [UInt8], salt: [UInt8], iterations: Int, length: Int) -> [UInt8] {
        precondition(iterations >= 1 && length >= 1)
        let prf = HMACSHA256(key: password)
        var out: [UInt8] = []
        var block: UInt32 = 1
        while out.count < length {
            var u = prf.mac(salt + [UInt8(block >> 24), UInt8(truncatingIfNeeded: block >> 16), UInt8(truncatingIfNeeded: block >> 8), UInt8(truncatingIfNeeded: block)])
            var t = u
            if iterations > 1 {
                for _ in 2...iterations {
                    u = prf.mac(u)
                    for i in 0..<t.count { t[i] ^= u[i] }
                }
            }
            out += t
            block += 1
        }
        return Array(out.prefix(length))
    }
}
