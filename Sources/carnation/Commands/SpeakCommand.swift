import ArgumentParser
import Foundation
import Speech

/// `carnation speak`: text to slow, clear Mandarin audio for a resident who cannot read.
struct SpeakCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "speak",
        abstract: "Speak text as slow Mandarin audio.",
        discussion: """
        Numbers are rewritten the way people say them (1234.56元 → 一千二百三十四元五角六分, 12333 → 幺二三三三);
        ID numbers and masked numbers are never read out. Formats: wav (16-bit PCM, 22050 Hz),
        alaw8k and ulaw8k (8 kHz G.711 WAV for voice gateways), pcm8k (8 kHz 16-bit PCM WAV, what voice-http and team pages play).
        """
    )

    @Argument(help: "The text to speak (or use --file).")
    var text: String?

    @Option(name: .long, help: "Read the text from this UTF-8 file.")
    var file: String?

    @Option(name: .long, help: "Write the audio to this file.")
    var out: String?

    @Option(name: .long, help: "wav, alaw8k, ulaw8k or pcm8k.")
    var format: AudioFormat = .wav

    @Option(name: .long, help: "Words per minute, 80–450 (default 130, slow for older listeners).")
    var rate: Int?

    @Option(name: .long, help: "Say this again at the end, after \"我再说一遍\".")
    var repeatClosing: String?

    @Option(name: .long, help: "Keep synthesised audio in this directory and reuse it.")
    var cache: String?

    @Flag(name: .long, help: "Print the phonemes espeak-ng will say.")
    var phonemes = false

    @Flag(name: .long, help: "Only print the text as it will be spoken, with numbers in words.")
    var normalizeOnly = false

    @Flag(name: .long, help: "Print JSON instead of a table.")
    var json = false

    func validate() throws {
        if text != nil && file != nil { throw ValidationError("give the text or --file, not both") }
        if text == nil && file == nil { throw ValidationError("give the text to speak, or --file FILE") }
        if !normalizeOnly && !phonemes && out == nil { throw ValidationError("give --out FILE for the audio (or --normalize-only / --phonemes)") }
        if let rate, !SpeechSettings.rateRange.contains(rate) { throw ValidationError(SpeechError.rateOutOfRange(rate).description) }
    }

    func run() async throws {
        let input = try readInput()
        if normalizeOnly {
            let spoken = MandarinNormalizer.normalize(input)
            if json { try printJSON(["input": input, "spoken": spoken]) } else { print(spoken) }
            return
        }
        var settings = SpeechSettings.default
        if let rate { settings.rate = rate }
        let audioCache = try cache.map { try AudioCache(directory: URL(fileURLWithPath: $0)) }
        let renderer = SpeechRenderer(settings: settings, cache: audioCache)

        var phonemeText: String?
        if phonemes {
            let (script, voice) = try await renderer.script(for: input, closingRepeat: repeatClosing)
            let respelled = PronunciationFixes.forVoice(voice).apply(to: script.spokenText)
            phonemeText = try await Synthesizer.shared.phonemes(respelled, voice: voice)
        }
        guard let out else {
            if json { try printJSON(["input": input, "phonemes": phonemeText ?? ""]) } else { print(phonemeText ?? "") }
            return
        }
        let speech = try await renderer.render(input, closingRepeat: repeatClosing, format: format)
        let url = URL(fileURLWithPath: out)
        do {
            try speech.wav.write(to: url)
        } catch {
            throw CLIError.usage("cannot write \(url.path): \(error.localizedDescription); check the directory exists and is writable")
        }
        let info = try WAVFile.parse(speech.wav)
        let report = SpeakReport(
            file: url.path, format: format.rawValue, sampleRate: info.sampleRate, seconds: (speech.duration * 100).rounded() / 100,
            bytes: speech.wav.count, voice: speech.voice, rate: speech.rate, fromCache: speech.fromCache,
            spoken: speech.spokenText, phonemes: phonemeText)
        if json { try printJSON(report); return }
        var rows = [
            ["file", report.file], ["format", "\(report.format), \(report.sampleRate) Hz"],
            ["length", String(format: "%.2f s", report.seconds)], ["voice", "\(report.voice), \(report.rate) wpm"],
            ["from cache", report.fromCache ? "yes" : "no"], ["spoken", report.spoken.replacingOccurrences(of: "\n", with: " ")],
        ]
        if let phonemeText { rows.append(["phonemes", phonemeText]) }
        print(table(["speech", ""], rows), terminator: "")
    }

    private func readInput() throws -> String {
        if let text { return text }
        let path = file ?? ""
        guard let contents = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw CLIError.notFound("cannot read \(path) as UTF-8 text: check the path")
        }
        return contents.trimmingCharacters(in: .whitespacesAndNewlines)
    }
}

/// What `carnation speak` wrote.
private struct SpeakReport: Encodable {
    let file: String
    let format: String
    let sampleRate: Int
    let seconds: Double
    let bytes: Int
    let voice: String
    let rate: Int
    let fromCache: Bool
    let spoken: String
    let phonemes: String?
}

extension AudioFormat: ExpressibleByArgument {}
