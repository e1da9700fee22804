import Foundation
import Messaging
import Speech

/// A script spoken by espeak-ng (cached under var/audio) and narrowed to 8 kHz 16-bit PCM WAV: telephone quality
/// is enough for speech, a voice provider plays it as is, and a day's recordings stay small for a team on a weak
/// signal (about 1 MB a minute). Browsers play only linear PCM in WAV, so not G.711.
struct TelephoneAudio: VoiceAudioSource {
    let speech: SpeechRenderer

    /// From the speech cache when this script was spoken before (in this format), so a provider's fetch is a file read.
    func wav(script: String) async throws -> Data {
        try await speech.render(script, format: .pcm8k).wav
    }

    /// A voice message's audio: its script, which is the resident's own explainer.
    func wav(for message: OutgoingSMS) async throws -> Data { try await wav(script: message.text) }
}
