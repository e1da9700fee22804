import Foundation
import Testing
@testable import Speech

/// These run the real espeak-ng library (libespeak-ng1 and espeak-ng-data, installed by ops/install-deps.sh).
@Suite("Synthesis with espeak-ng")
struct SynthesisTests {
    let synthesizer = Synthesizer.shared

    @Test("the chosen voice speaks Mandarin: no language switch, a tone on every syllable")
    func chosenVoiceIsMandarin() async throws {
        let voice = try await synthesizer.mandarinVoice()
        let sentences = MandarinVoice.probeSentences + [
            "您的养老金每月一千二百三十四元五角六分。",
            "从二零二五年七月起，基础养老金每月增加二十元。",
            "行动不便的老人，工作人员会上门办理。",
            "请带好身份证和户口本。",
        ]
        for sentence in sentences {
            let phonemes = try await synthesizer.phonemes(sentence, voice: voice)
            #expect(!phonemes.contains("(en)"), "\(voice) switched to English for \(sentence): \(phonemes)")
            #expect(MandarinVoice.isMandarin(phonemes: phonemes, for: sentence), "\(sentence): \(phonemes)")
        }
    }

    /// Expected syllables, as espeak-ng phonemes with stress marks removed.
    static let polyphones: [(String, String, String)] = [
        ("长期", "ts.hA35N", "cháng"),
        ("重度", "ts.ong51", "zhòng"),
        ("银行", "Xa35N", "háng"),
        ("还款", "Xua35n", "huán"),
        ("还有", "Xai35", "hái"),
        ("重新", "ts.hong35", "chóng"),
        ("调整", "thjAu35", "tiáo"),
        ("了解", "ljAu214", "liǎo"),
        ("给付", "tS;i214", "jǐ"),
    ]

    @Test("polyphonic characters are read as in these words", arguments: polyphones)
    func polyphone(_ c: (String, String, String)) async throws {
        let voice = try await synthesizer.mandarinVoice()
        let input = PronunciationFixes.forVoice(voice).apply(to: c.0)
        let phonemes = try await synthesizer.phonemes(input, voice: voice)
            .replacingOccurrences(of: "'", with: "").replacingOccurrences(of: ",", with: "")
        #expect(phonemes.contains(c.1), "\(c.0) should say \(c.2): \(phonemes)")
    }

    @Test("recorded phonemes of cmn on 1.51 are rejected, those of cmn-latn-pinyin accepted")
    func phonemeCheck() {
        #expect(!MandarinVoice.isMandarin(phonemes: "(en)nInt'u:_| h,eI@Tr'i:(cmn)_|", for: "您好"))
        #expect(MandarinVoice.isMandarin(phonemes: "n'i35n_| X'Au214_|", for: "您好"))
        #expect(!MandarinVoice.isMandarin(phonemes: "n'i35n_|", for: "您好"))
    }

    @Test("audio is non-silent, of plausible length, at the library's rate")
    func audio() async throws {
        let voice = try await synthesizer.mandarinVoice()
        let text = "您好，您的养老金已经发放。"
        let script = SpeechScript(text: text, voice: voice)
        let audio = try await synthesizer.synthesize(script.ssml, voice: voice, rate: 130)
        #expect(audio.sampleRate == 22050)
        #expect(Signals.rms(audio.samples) > 500)
        let syllables = Double(text.filter(\.isHan).count)
        // Slow Mandarin: roughly 2–6 syllables a second.
        #expect(audio.duration > syllables / 6 && audio.duration < syllables / 2, "duration \(audio.duration) s")
    }

    @Test("a slower rate gives longer audio")
    func rate() async throws {
        let voice = try await synthesizer.mandarinVoice()
        let script = SpeechScript(text: "您好，您的养老金已经发放到银行卡，请注意查收。", voice: voice)
        let slow = try await synthesizer.synthesize(script.ssml, voice: voice, rate: 100)
        let fast = try await synthesizer.synthesize(script.ssml, voice: voice, rate: 200)
        #expect(slow.duration > fast.duration * 1.4, "100 wpm: \(slow.duration) s, 200 wpm: \(fast.duration) s")
    }

    /// A `<break>` replaces espeak-ng's own pause after 。 (about half a second at 130 wpm) rather than adding to it.
    @Test("longer sentence pauses give longer audio")
    func pausesLengthen() async throws {
        let voice = try await synthesizer.mandarinVoice()
        let text = "您好。养老金已发放。请查收。"
        let short = SpeechScript(text: text, voice: voice, settings: SpeechSettings(sentencePauseMilliseconds: 0))
        let long = SpeechScript(text: text, voice: voice, settings: SpeechSettings(sentencePauseMilliseconds: 1000))
        let a = try await synthesizer.synthesize(short.ssml, voice: voice, rate: 130)
        let b = try await synthesizer.synthesize(long.ssml, voice: voice, rate: 130)
        #expect(b.duration - a.duration > 0.8, "\(a.duration) s vs \(b.duration) s")
    }

    @Test("a rate outside espeak-ng's range is refused")
    func badRate() async {
        await #expect(throws: SpeechError.rateOutOfRange(20)) {
            try await synthesizer.synthesize("您好", voice: "cmn-latn-pinyin", rate: 20)
        }
    }

    @Test("each format comes out as asked: encoding, sample rate, length, sound", arguments: AudioFormat.allCases)
    func formats(_ format: AudioFormat) async throws {
        let renderer = SpeechRenderer()
        let speech = try await renderer.render("您每月的养老金是1234.56元。", format: format)
        let info = try WAVFile.parse(speech.wav)
        switch format {
        case .wav:
            #expect(info.encoding == .pcm16 && info.sampleRate == 22050 && info.bitsPerSample == 16)
        case .alaw8k, .ulaw8k:
            #expect(info.encoding == (format == .alaw8k ? .aLaw : .muLaw))
            #expect(info.sampleRate == 8000 && info.bitsPerSample == 8)
        case .pcm8k:
            #expect(info.encoding == .pcm16 && info.sampleRate == 8000 && info.bitsPerSample == 16)
        }
        #expect(abs(info.duration - speech.duration) < 0.01)
        #expect(Signals.rms(info.linearSamples) > 500)
    }

    @Test("G.711 round trip of synthesised speech stays close to the source", arguments: G711.Law.allCases)
    func speechRoundTrip(_ law: G711.Law) async throws {
        let voice = try await synthesizer.mandarinVoice()
        let script = SpeechScript(text: "如有疑问，请拨打12333。", voice: voice)
        let audio = try await synthesizer.synthesize(script.ssml, voice: voice, rate: 130)
        let narrow = Resampler(from: audio.sampleRate, to: 8000).resample(audio.samples)
        let back = G711.decode(G711.encode(narrow, law: law), law: law)
        #expect(Signals.snr(source: narrow, decoded: back) > 30)
    }

    @Test("the cache returns the same audio without synthesising again")
    func cache() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("carnation-speech-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let renderer = SpeechRenderer(cache: try AudioCache(directory: dir))
        let first = try await renderer.render("请于2025年3月31日前办理。", format: .ulaw8k)
        let second = try await renderer.render("请于2025年3月31日前办理。", format: .ulaw8k)
        let otherFormat = try await renderer.render("请于2025年3月31日前办理。", format: .alaw8k)
        #expect(!first.fromCache)
        #expect(second.fromCache)
        #expect(second.wav == first.wav)
        #expect(!otherFormat.fromCache)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).count == 2)
    }
}
