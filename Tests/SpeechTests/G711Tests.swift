import Testing
@testable import Speech

@Suite("G.711 A-law and µ-law")
struct G711Tests {
    @Test("silence encodes to the standard idle codes")
    func idleCodes() {
        #expect(G711.aLaw(0) == 0xD5)
        #expect(G711.muLaw(0) == 0xFF)
        #expect(G711.decodeALaw(0xD5) == 8)
        #expect(G711.decodeMuLaw(0xFF) == 0)
    }

    @Test("full scale saturates to the end codes, keeping the sign")
    func saturation() {
        #expect(G711.aLaw(Int16.max) == 0xAA)
        #expect(G711.aLaw(Int16.min) == 0x2A)
        #expect(G711.muLaw(Int16.max) == 0x80)
        #expect(G711.muLaw(Int16.min) == 0x00)
        #expect(G711.decodeALaw(0xAA) == 32256)
        #expect(G711.decodeMuLaw(0x80) == 32124)
    }

    @Test("every code decodes to a value that encodes back to the same code", arguments: G711.Law.allCases)
    func codesAreFixedPoints(_ law: G711.Law) {
        for code in 0...255 {
            let c = UInt8(code)
            let linear = G711.decode([c], law: law)[0]
            let again = G711.encode([linear], law: law)[0]
            // µ-law has two zeros (0x7F and 0xFF); both decode to 0, which encodes as 0xFF.
            if law == .muLaw && c == 0x7F { #expect(again == 0xFF); continue }
            #expect(again == c, "code \(code) → \(linear) → \(again)")
        }
    }

    @Test("encoding is monotonic: a louder sample never gets a quieter code", arguments: G711.Law.allCases)
    func monotonic(_ law: G711.Law) {
        var previous = Int16.min
        for s in stride(from: -32768, through: 32767, by: 7) {
            let decoded = G711.decode(G711.encode([Int16(s)], law: law), law: law)[0]
            #expect(decoded >= previous)
            previous = decoded
        }
    }

    @Test("a speech-level tone round-trips with the SNR G.711 promises (> 33 dB)", arguments: G711.Law.allCases)
    func roundTripSNR(_ law: G711.Law) {
        for amplitude in [1000.0, 8000.0, 30000.0] {
            let tone = Signals.sine(frequency: 440, amplitude: amplitude, rate: 8000, seconds: 0.5)
            let back = G711.decode(G711.encode(tone, law: law), law: law)
            #expect(Signals.snr(source: tone, decoded: back) > 33, "amplitude \(amplitude)")
        }
    }

    @Test("quantisation error stays within half a step of each segment", arguments: G711.Law.allCases)
    func relativeError(_ law: G711.Law) {
        for s in stride(from: 256, through: 32000, by: 97) {
            let back = Double(G711.decode(G711.encode([Int16(s)], law: law), law: law)[0])
            #expect(abs(back - Double(s)) / Double(s) < 0.07, "\(s) → \(back)")
        }
    }
}
