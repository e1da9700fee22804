import Digests
import Foundation
import Testing
@testable import Speech

@Suite("Audio cache")
struct AudioCacheTests {
    @Test("SHA-256 matches the FIPS test vectors")
    func sha() {
        #expect(SHA256.hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(SHA256.hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(SHA256.hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")
            == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
    }

    @Test("each part of the key changes the file name")
    func keyParts() {
        let base = AudioCache.Key(text: "您好。", voice: "cmn-latn-pinyin", rate: 130, format: .wav)
        var names: Set<String> = [base.digest]
        var k = base; k.text = "您好！"; names.insert(k.digest)
        k = base; k.voice = "cmn"; names.insert(k.digest)
        k = base; k.rate = 131; names.insert(k.digest)
        k = base; k.format = .alaw8k; names.insert(k.digest)
        #expect(names.count == 5)
        #expect(base.digest.count == 64)
    }

    @Test("stores and loads by key in the caller's directory")
    func roundTrip() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("carnation-cache-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let cache = try AudioCache(directory: dir)
        let key = AudioCache.Key(text: "您好。", voice: "cmn-latn-pinyin", rate: 130, format: .ulaw8k)
        #expect(cache.load(key) == nil)
        let bytes = WAVFile.pcm16([1, 2, 3], sampleRate: 8000)
        try cache.store(bytes, for: key)
        #expect(cache.load(key) == bytes)
        #expect(cache.fileURL(for: key).deletingLastPathComponent().path == dir.path)
        #expect(cache.fileURL(for: key).lastPathComponent == key.digest + ".wav")
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: dir.path)
        #expect(leftovers == [key.digest + ".wav"])
    }
}
