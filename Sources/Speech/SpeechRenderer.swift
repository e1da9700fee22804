import Foundation

/// A message turned into audio, with what was heard and whether it came from the cache.
public struct RenderedSpeech: Sendable {
    /// The WAV file, in the requested format.
    public let wav: Data
    public let format: AudioFormat
    /// Length of the audio in seconds.
    public let duration: Double
    public let voice: String
    public let rate: Int
    /// The text as spoken, after number normalisation.
    public let spokenText: String
    public let fromCache: Bool
}

/// Text to audio for residents: normalise, add pauses, synthesise with the Mandarin voice, encode, cache.
public struct SpeechRenderer: Sendable {
    public let settings: SpeechSettings
    public let cache: AudioCache?
    private let synthesizer: Synthesizer

    public init(settings: SpeechSettings = .default, cache: AudioCache? = nil, synthesizer: Synthesizer = .shared) {
        self.settings = settings
        self.cache = cache
        self.synthesizer = synthesizer
    }

    /// The script that would be synthesised for `text` (for display and for cache keys).
    public func script(for text: String, closingRepeat: String? = nil) async throws -> (SpeechScript, String) {
        let voice: String
        if let known = synthesizer.chosenMandarinVoice { voice = known } else { voice = try await synthesizer.mandarinVoice() }
        return (SpeechScript(text: text, closingRepeat: closingRepeat, voice: voice, settings: settings), voice)
    }

    /// Audio for `text`, from the cache when the same script was already synthesised in this voice, rate and format.
    public func render(_ text: String, closingRepeat: String? = nil, format: AudioFormat = .wav) async throws -> RenderedSpeech {
        let (script, voice) = try await script(for: text, closingRepeat: closingRepeat)
        let key = AudioCache.Key(text: script.ssml, voice: voice, rate: settings.rate, format: format)
        if let cached = cache?.load(key), let info = try? WAVFile.parse(cached) {
            return RenderedSpeech(wav: cached, format: format, duration: info.duration, voice: voice, rate: settings.rate,
                                  spokenText: script.spokenText, fromCache: true)
        }
        let audio = try await synthesizer.synthesize(script.ssml, voice: voice, rate: settings.rate)
        let wav = format.encode(audio)
        try cache?.store(wav, for: key)
        return RenderedSpeech(wav: wav, format: format, duration: audio.duration, voice: voice, rate: settings.rate,
                              spokenText: script.spokenText, fromCache: false)
    }
}
