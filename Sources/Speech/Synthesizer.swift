import CEspeakNG
import Foundation

/// In-process espeak-ng: initialised once, synchronous synthesis into memory, one synthesis at a time.
///
/// The library keeps all its state in globals and crashes when two threads synthesise at once, so there is
/// one `Synthesizer` per process (`shared`), and the actor runs its calls one after another.
public actor Synthesizer {
    public static let shared = Synthesizer()

    private var sampleRate: Int32 = 0
    private var chosenVoice: String? {
        didSet { knownVoice.set(chosenVoice) }
    }
    /// The chosen voice, readable without waiting for the actor (which may be busy synthesising): a cached
    /// recording is then found while another is being made.
    private nonisolated let knownVoice = VoiceBox()

    private init() {}

    /// The Mandarin voice once `mandarinVoice()` has chosen it, without waiting for a synthesis in progress.
    public nonisolated var chosenMandarinVoice: String? { knownVoice.get() }

    /// The library's output rate in Hz (22 050 for espeak-ng), initialising the library on first use.
    public func outputSampleRate() throws -> Int {
        try start()
        return Int(sampleRate)
    }

    private func start() throws {
        if sampleRate > 0 { return }
        let rate = espeak_Initialize(AUDIO_OUTPUT_SYNCHRONOUS, 0, nil, Int32(espeakINITIALIZE_DONT_EXIT))
        guard rate > 0 else { throw SpeechError.initialisationFailed(status: rate) }
        espeak_SetSynthCallback(collectSamples)
        sampleRate = rate
    }

    /// Selects the voice and rate before every call: the end of an SSML `<speak>` element makes espeak-ng
    /// fall back to a voice picked by language (`cmn`, which reads Hanzi as English), so a voice loaded
    /// earlier cannot be trusted. Loading costs about 0.2 ms.
    private func load(voice: String, rate: Int) throws {
        try start()
        guard SpeechSettings.rateRange.contains(rate) else { throw SpeechError.rateOutOfRange(rate) }
        let status = espeak_SetVoiceByName(voice)
        guard status == EE_OK else { throw SpeechError.voiceUnavailable(voice: voice, status: status.rawValue) }
        let rateStatus = espeak_SetParameter(espeakRATE, Int32(rate), 0)
        guard rateStatus == EE_OK else { throw SpeechError.synthesisFailed(status: rateStatus.rawValue) }
    }

    /// espeak-ng's phoneme mnemonics for `text` in `voice`, clauses separated by spaces; `(en)` marks a language switch.
    public func phonemes(_ text: String, voice: String) throws -> String {
        try load(voice: voice, rate: SpeechSettings.default.rate)
        var pieces: [String] = []
        text.withCString { cString in
            var cursor: UnsafeRawPointer? = UnsafeRawPointer(cString)
            while cursor != nil {
                guard let result = espeak_TextToPhonemes(&cursor, espeakCHARS_UTF8, 0) else { break }
                pieces.append(String(cString: result))
            }
        }
        return pieces.joined(separator: " ")
    }

    /// The first candidate voice whose phonemes for the probe sentences are Mandarin; checked once per process.
    public func mandarinVoice() throws -> String {
        if let chosenVoice { return chosenVoice }
        var tried: [String: String] = [:]
        for voice in MandarinVoice.candidates {
            do {
                let failing = try MandarinVoice.probeSentences.first { sentence in
                    !MandarinVoice.isMandarin(phonemes: try phonemes(sentence, voice: voice), for: sentence)
                }
                if let failing {
                    tried[voice] = String(try phonemes(failing, voice: voice).prefix(60))
                } else {
                    chosenVoice = voice
                    return voice
                }
            } catch {
                tried[voice] = "\(error)"
            }
        }
        throw SpeechError.noMandarinVoice(tried: tried)
    }

    /// Synthesises `input` (plain text, or SSML when `ssml` is true) and returns the samples.
    public func synthesize(_ input: String, voice: String, rate: Int, ssml: Bool = true) throws -> PCMAudio {
        try load(voice: voice, rate: rate)
        let sink = SampleSink()
        let context = Unmanaged.passRetained(sink)
        defer { context.release() }
        var flags = UInt32(espeakCHARS_UTF8)
        if ssml { flags |= UInt32(espeakSSML) }
        let status = input.withCString { cString in
            espeak_Synth(cString, strlen(cString) + 1, 0, POS_CHARACTER, 0, flags, nil, context.toOpaque())
        }
        guard status == EE_OK else { throw SpeechError.synthesisFailed(status: status.rawValue) }
        guard !sink.samples.isEmpty else { throw SpeechError.noAudio(text: input) }
        return PCMAudio(samples: sink.samples, sampleRate: Int(sampleRate))
    }
}

/// Samples gathered by the synthesis callback for one `espeak_Synth` call.
private final class SampleSink {
    var samples: [Int16] = []
}

/// espeak-ng's synthesis callback: runs on the synthesising thread, inside `espeak_Synth`.
private func collectSamples(_ wave: UnsafeMutablePointer<Int16>?, _ count: Int32, _ events: UnsafeMutablePointer<espeak_EVENT>?) -> Int32 {
    guard let events, let context = events.pointee.user_data else { return 0 }
    let sink = Unmanaged<SampleSink>.fromOpaque(context).takeUnretainedValue()
    if let wave, count > 0 {
        sink.samples.append(contentsOf: UnsafeBufferPointer(start: wave, count: Int(count)))
    }
    return 0
}

/// A lock-protected voice name shared outside the actor.
final class VoiceBox: @unchecked Sendable {
    private let lock = NSLock()
    private var value: String?
    func get() -> String? { lock.lock(); defer { lock.unlock() }; return value }
    func set(_ new: String?) { lock.lock(); value = new; lock.unlock() }
}
