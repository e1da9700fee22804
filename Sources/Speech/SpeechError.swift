/// What went wrong in speech synthesis, encoding or caching, with the place and the fix.
public enum SpeechError: Error, CustomStringConvertible, Equatable {
    case initialisationFailed(status: Int32)
    case voiceUnavailable(voice: String, status: Int32)
    case noMandarinVoice(tried: [String: String])
    case rateOutOfRange(Int)
    case synthesisFailed(status: Int32)
    case noAudio(text: String)
    case invalidWAV(reason: String)
    case cacheUnwritable(path: String, reason: String)

    public var description: String {
        switch self {
        case let .initialisationFailed(status):
            return "espeak-ng could not start (status \(status)): install espeak-ng-data and libespeak-ng1 (ops/install-deps.sh)"
        case let .voiceUnavailable(voice, status):
            return "espeak-ng has no voice '\(voice)' (status \(status)): list voices with `espeak-ng --voices=cmn`, install espeak-ng-data"
        case let .noMandarinVoice(tried):
            let detail = tried.keys.sorted().map { "\($0): \(tried[$0] ?? "")" }.joined(separator: "; ")
            return "no espeak-ng voice reads Hanzi as Mandarin (tried \(detail)): install espeak-ng-data 1.51 or later, which has cmn-latn-pinyin"
        case let .rateOutOfRange(rate):
            return "speech rate \(rate) is outside \(SpeechSettings.rateRange.lowerBound)–\(SpeechSettings.rateRange.upperBound) words per minute: pick a rate in that range (130 suits older listeners)"
        case let .synthesisFailed(status):
            return "espeak-ng synthesis failed (status \(status)): check the text is valid UTF-8 and the SSML well formed"
        case let .noAudio(text):
            return "espeak-ng produced no audio for \"\(text.prefix(40))\": the text may contain nothing speakable"
        case let .invalidWAV(reason):
            return "not a WAV file Carnation can read: \(reason)"
        case let .cacheUnwritable(path, reason):
            return "cannot write the audio cache at \(path): \(reason); make the directory writable or choose another"
        }
    }
}
