import Digests
import Testing
@testable import Web

@Suite struct CryptoTests {
    @Test func sha256MatchesTheFIPSVectors() {
        #expect(Hex.encode(SHA256.digest([])) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(SHA256.hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(SHA256.hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq") == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
    }

    @Test func hmacMatchesRFC4231() {
        let case1 = HMACSHA256.mac(key: [UInt8](repeating: 0x0b, count: 20), message: Array("Hi There".utf8))
        #expect(Hex.encode(case1) == "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7")
        let case2 = HMACSHA256.mac(key: Array("Jefe".utf8), message: Array("what do ya want for nothing?".utf8))
        #expect(Hex.encode(case2) == "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")
        // Case 6: a key longer than the block is hashed first.
        let case6 = HMACSHA256.mac(key: [UInt8](repeating: 0xaa, count: 131), message: Array("Test Using Larger Than Block-Size Key - Hash Key First".utf8))
        #expect(Hex.encode(case6) == "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54")
    }

    @Test func pbkdf2MatchesRFC7914AndTheCommonVectors() {
        let rfc = PBKDF2.sha256(password: Array("passwd".utf8), salt: Array("salt".utf8), iterations: 1, length: 64)
        #expect(Hex.encode(rfc) == "55ac046e56e3089fec1691c22544b605f94185216dde0465e68b9d57c20dacbc49ca9cccf179b645991664b39d77ef317c71b845b1e30bd509112041d3a19783")
        let one = PBKDF2.sha256(password: Array("password".utf8), salt: Array("salt".utf8), iterations: 1, length: 32)
        #expect(Hex.encode(one) == "120fb6cffcf8b32c43e7225256c4f837a86548c92ccc35480805987cb70be17b")
        let two = PBKDF2.sha256(password: Array("password".utf8), salt: Array("salt".utf8), iterations: 2, length: 32)
        #expect(Hex.encode(two) == "ae4d0c95af6b46d32d0adff928f06dd02a303f8ef3c251dfd6e2d85a95474c43")
        let many = PBKDF2.sha256(password: Array("password".utf8), salt: Array("salt".utf8), iterations: 4096, length: 32)
        #expect(Hex.encode(many) == "c5e478d59288c841aa530db6845c4c8d962893a001ce4e11a4963873aa98134a")
    }

    @Test func passwordHashesRoundTripAndRejectWrongPasswords() throws {
        let h = PasswordHash.make("长城 2026", iterations: 1_000)
        let parsed = try PasswordHash(parsing: h.description)
        #expect(parsed == h)
        #expect(parsed.verify("长城 2026"))
        #expect(!parsed.verify("长城 2027"))
        #expect(h.description.hasPrefix("pbkdf2-sha256$1000$"))
        // Two hashes of one password differ (fresh salt).
        #expect(PasswordHash.make("x", iterations: 1_000) != PasswordHash.make("x", iterations: 1_000))
        #expect(throws: WebError.self) { try PasswordHash(parsing: "md5$1$00$00") }
        #expect(throws: WebError.self) { try PasswordHash(parsing: "pbkdf2-sha256$10$00112233445566$" + String(repeating: "0", count: 64)) }
    }

    @Test func base64URLRoundTripsAndTokensAreLongEnough() {
        for n in 0..<20 {
            let bytes = (0..<n).map { UInt8(($0 * 37 + 11) % 256) }
            #expect(Base64URL.decode(Base64URL.encode(bytes)) == bytes)
        }
        #expect(Base64URL.encode(Array("any carnal pleas".utf8)) == "YW55IGNhcm5hbCBwbGVhcw")
        #expect(Base64URL.decode("a+b/") == nil)
        let token = Base64URL.encode(SecureRandom.bytes(32))
        #expect(token.count == 43)  // 256 bits
        #expect(TeamLinks.isWellFormed(token))
        #expect(!TeamLinks.isWellFormed("short"))
        #expect(!TeamLinks.isWellFormed(String(repeating: "a", count: 40) + "/.."))
    }

    @Test func constantTimeComparison() {
        #expect(constantTimeEqual("abc", "abc"))
        #expect(!constantTimeEqual("abc", "abd"))
        #expect(!constantTimeEqual("abc", "abcd"))
    }
}
