import Foundation
import Testing
@testable import Speech

@Suite("WAV files")
struct WAVFileTests {
    @Test("16-bit PCM writes a standard 44-byte header and reads back the samples")
    func pcm() throws {
        let samples: [Int16] = [0, 1, -1, 32767, -32768, 1234]
        let data = WAVFile.pcm16(samples, sampleRate: 22050)
        #expect(data.count == 44 + 12)
        #expect(String(decoding: data[0..<4], as: UTF8.self) == "RIFF")
        let info = try WAVFile.parse(data)
        #expect(info.encoding == .pcm16)
        #expect(info.sampleRate == 22050)
        #expect(info.bitsPerSample == 16)
        #expect(info.channels == 1)
        #expect(info.linearSamples == samples)
    }

    @Test("G.711 files carry format tags 6 and 7, 8 bits, and a fact chunk", arguments: G711.Law.allCases)
    func g711(_ law: G711.Law) throws {
        let codes = G711.encode(Signals.sine(frequency: 440, amplitude: 8000, rate: 8000, seconds: 0.1), law: law)
        let data = WAVFile.g711(codes, law: law, sampleRate: 8000)
        let info = try WAVFile.parse(data)
        #expect(info.encoding == (law == .aLaw ? .aLaw : .muLaw))
        #expect(info.sampleRate == 8000)
        #expect(info.bitsPerSample == 8)
        #expect(info.sampleCount == codes.count)
        #expect(data.range(of: Data("fact".utf8)) != nil)
        #expect(abs(info.duration - 0.1) < 0.001)
    }

    @Test("garbage is rejected with a reason")
    func rejects() {
        #expect(throws: SpeechError.self) { try WAVFile.parse(Data("not a wav file at all".utf8)) }
    }
}
