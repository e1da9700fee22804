import Testing
@testable import Speech

@Suite("Resampling to 8 kHz")
struct ResamplerTests {
    let resampler = Resampler(from: 22050, to: 8000)

    @Test("output length follows the rate ratio")
    func length() {
        let out = resampler.resample([Int16](repeating: 0, count: 22050))
        #expect(out.count == 8000)
    }

    @Test("a 1 kHz tone keeps its frequency and loudness")
    func passBand() {
        let tone = Signals.sine(frequency: 1000, amplitude: 10000, rate: 22050, seconds: 1)
        let out = resampler.resample(tone)
        let kept = Signals.amplitude(of: out, frequency: 1000, rate: 8000)
        #expect(abs(kept - 10000) < 200, "1 kHz amplitude after resampling: \(kept)")
    }

    @Test("telephone-band speech frequencies pass", arguments: [300.0, 2000.0, 3000.0])
    func telephoneBand(_ f: Double) {
        let out = resampler.resample(Signals.sine(frequency: f, amplitude: 10000, rate: 22050, seconds: 1))
        #expect(Signals.amplitude(of: out, frequency: f, rate: 8000) > 9000)
    }

    @Test("a 6 kHz tone is filtered out instead of folding back to 2 kHz")
    func noAliasing() {
        let tone = Signals.sine(frequency: 6000, amplitude: 10000, rate: 22050, seconds: 1)
        let out = resampler.resample(tone)
        // Dropping samples would turn 6 kHz into a full-strength 2 kHz tone at 8 kHz.
        let alias = Signals.amplitude(of: out, frequency: 2000, rate: 8000)
        #expect(alias < 100, "alias at 2 kHz: \(alias)")
        #expect(Signals.rms(Array(out[200..<(out.count - 200)])) < 100)
    }

    @Test("DC passes at unity gain")
    func dc() {
        let out = resampler.resample([Int16](repeating: 5000, count: 4410))
        #expect(out[500..<1000].allSatisfy { abs(Int($0) - 5000) <= 1 })
    }
}
