import Foundation
import Speech

/// The audio explainers a team plays at the door, made once and kept in `var/audio`.
final class DoorAudio {
    let cache: AudioCache
    let renderer: SpeechRenderer
    let settings = SpeechSettings.default
    private var voice: String?

    init(directory: URL) throws {
        cache = try AudioCache(directory: directory)
        renderer = SpeechRenderer(settings: settings, cache: cache)
    }

    /// Picks the Mandarin voice (checks the library's phonemes once).
    func resolveVoice() async throws {
        if voice == nil { voice = try await Synthesizer.shared.mandarinVoice() }
    }

    /// The cached WAV for this script, if it has been made.
    func existingFile(for text: String) -> String? {
        guard let voice else { return nil }
        let script = SpeechScript(text: text, voice: voice, settings: settings)
        let url = cache.fileURL(for: AudioCache.Key(text: script.ssml, voice: voice, rate: settings.rate, format: .wav))
        return FileManager.default.fileExists(atPath: url.path) ? url.path : nil
    }

    /// Makes the audio if it is not there yet.
    func prepare(_ text: String) async throws -> RenderedSpeech {
        try await renderer.render(text, format: .wav)
    }
}
