import Foundation

/// Mono audio as 16-bit linear samples at a sample rate, as the synthesiser produces it.
public struct PCMAudio: Sendable, Equatable {
    public var samples: [Int16]
    public var sampleRate: Int

    public init(samples: [Int16], sampleRate: Int) {
        self.samples = samples
        self.sampleRate = sampleRate
    }

    public var duration: Double { Double(samples.count) / Double(sampleRate) }
}

/// The audio files Carnation writes.
public enum AudioFormat: String, Sendable, CaseIterable, Codable {
    /// 16-bit PCM WAV at the synthesiser's own rate (22 050 Hz for espeak-ng).
    case wav
    /// 8 kHz G.711 A-law WAV, for voice gateways in China and Europe.
    case alaw8k
    /// 8 kHz G.711 µ-law WAV.
    case ulaw8k
    /// 8 kHz 16-bit PCM WAV: telephone quality that browsers also play (team pages) and voice providers take.
    case pcm8k

    public static let telephoneRate = 8000

    /// Encodes synthesised audio as a WAV file in this format.
    public func encode(_ audio: PCMAudio) -> Data {
        switch self {
        case .wav:
            return WAVFile.pcm16(audio.samples, sampleRate: audio.sampleRate)
        case .alaw8k, .ulaw8k:
            let law: G711.Law = self == .alaw8k ? .aLaw : .muLaw
            let narrow = Resampler(from: audio.sampleRate, to: Self.telephoneRate).resample(audio.samples)
            return WAVFile.g711(G711.encode(narrow, law: law), law: law, sampleRate: Self.telephoneRate)
        case .pcm8k:
            return WAVFile.pcm16(Resampler(from: audio.sampleRate, to: Self.telephoneRate).resample(audio.samples), sampleRate: Self.telephoneRate)
        }
    }
}
