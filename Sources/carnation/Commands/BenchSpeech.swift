import ArgumentParser
import Foundation
import Speech

/// `carnation bench speech`: in-process synthesis against the `espeak-ng` program, in the same run.
///
/// Both synthesise the same explainer scripts (normalised SSML) with the same voice and rate; the program is
/// started once per text, as a shell-out would. CPU time is user + system: ours from `getrusage(RUSAGE_SELF)`,
/// the program's from `getrusage(RUSAGE_CHILDREN)`. A second pass over the same texts measures the cache.
struct BenchSpeech: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "speech",
        abstract: "Benchmark in-process synthesis against the espeak-ng program."
    )

    @Option(name: .long, help: "How many distinct explainer scripts to synthesise.")
    var messages: Int = 20

    @Option(name: .long, help: "Words per minute for both.")
    var rate: Int = SpeechSettings.default.rate

    @Option(name: .long, help: "The espeak-ng program (default: found on PATH).")
    var program: String?

    @Flag(name: .long, help: "Print JSON instead of a table.")
    var json = false

    func validate() throws {
        guard messages > 0 else { throw ValidationError("--messages must be at least 1") }
        guard SpeechSettings.rateRange.contains(rate) else { throw ValidationError(SpeechError.rateOutOfRange(rate).description) }
    }

    func run() async throws {
        let programPath = try program ?? Self.findOnPath("espeak-ng")
        let settings = SpeechSettings(rate: rate)
        let voice = try await Synthesizer.shared.mandarinVoice()
        let texts = BenchScripts.scripts(count: messages)
        let scripts = texts.map { SpeechScript(text: $0, voice: voice, settings: settings).ssml }

        // Reference: one espeak-ng process per text.
        let childrenBefore = CPUTime.children()
        var programAudio = 0.0
        for script in scripts {
            let wav = try Self.runProgram(programPath, arguments: ["-v", voice, "-s", String(rate), "-m", "--stdout", script])
            programAudio += try WAVFile.parse(wav).duration
        }
        let programCPU = CPUTime.children() - childrenBefore

        // Ours, first pass: everything synthesised (normalise, synthesise, encode, write the cache).
        let cacheDirectory = FileManager.default.temporaryDirectory.appendingPathComponent("carnation-bench-speech-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: cacheDirectory) }
        let renderer = SpeechRenderer(settings: settings, cache: try AudioCache(directory: cacheDirectory))
        let selfBefore = CPUTime.current()
        var ourAudio = 0.0
        for text in texts { ourAudio += try await renderer.render(text, format: .wav).duration }
        let ourCPU = CPUTime.current() - selfBefore

        // Second pass: the same texts again, which the cache should answer.
        let secondBefore = CPUTime.current()
        var hits = 0
        var cachedAudio = 0.0
        for text in texts {
            let speech = try await renderer.render(text, format: .wav)
            if speech.fromCache { hits += 1 }
            cachedAudio += speech.duration
        }
        let cachedCPU = CPUTime.current() - secondBefore

        let result = SpeechBenchResult(
            messages: messages, voice: voice, rate: rate,
            audioSeconds: ourAudio.rounded2, cpuSeconds: ourCPU.rounded4,
            programAudioSeconds: programAudio.rounded2, programCpuSeconds: programCPU.rounded4,
            audioSecondsPerCpuSecond: (ourAudio / max(ourCPU, 1e-6)).rounded1,
            programAudioSecondsPerCpuSecond: (programAudio / max(programCPU, 1e-6)).rounded1,
            cachedAudioSecondsPerCpuSecond: (cachedAudio / max(cachedCPU, 1e-6)).rounded1,
            cacheHitRate: Double(hits) / Double(messages))
        if json { try printJSON(result); return }
        let ratio = result.audioSecondsPerCpuSecond / max(result.programAudioSecondsPerCpuSecond, 1e-9)
        print(table(["", "audio s", "CPU s", "audio s per CPU s"], [
            ["in process (\(voice), \(rate) wpm)", fmt(result.audioSeconds, 1), fmt(result.cpuSeconds, 3), fmt(result.audioSecondsPerCpuSecond, 1)],
            ["espeak-ng program, one per text", fmt(result.programAudioSeconds, 1), fmt(result.programCpuSeconds, 3), fmt(result.programAudioSecondsPerCpuSecond, 1)],
            ["second pass (cache)", fmt(cachedAudio, 1), fmt(cachedCPU, 3), fmt(result.cachedAudioSecondsPerCpuSecond, 1)],
        ]), terminator: "")
        print("\(messages) scripts; in process / program: \(fmt(ratio, 2))×; cache hit rate on the second pass: \(fmt(result.cacheHitRate * 100, 0))%")
    }

    private func fmt(_ v: Double, _ digits: Int) -> String { String(format: "%.\(digits)f", v) }

    static func findOnPath(_ name: String) throws -> String {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for dir in path.split(separator: ":") {
            let candidate = "\(dir)/\(name)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        throw CLIError.notFound("the \(name) program is not on PATH: install it (apt-get install espeak-ng) or pass --program PATH")
    }

    /// Runs the program to completion and returns its standard output.
    static func runProgram(_ path: String, arguments: [String]) throws -> Data {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        let stdout = Pipe()
        process.standardOutput = stdout
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = stdout.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw CLIError.usage("\(path) exited with status \(process.terminationStatus): check it runs with `\(path) -v cmn-latn-pinyin 您好`")
        }
        return data
    }
}

/// Figures of one `carnation bench speech` run.
private struct SpeechBenchResult: Encodable {
    let messages: Int
    let voice: String
    let rate: Int
    let audioSeconds: Double
    let cpuSeconds: Double
    let programAudioSeconds: Double
    let programCpuSeconds: Double
    let audioSecondsPerCpuSecond: Double
    let programAudioSecondsPerCpuSecond: Double
    let cachedAudioSecondsPerCpuSecond: Double
    let cacheHitRate: Double
}

/// User + system CPU seconds.
private enum CPUTime {
    static func current() -> Double { usage(RUSAGE_SELF.rawValue) }
    /// Of the child processes that have ended and been waited for.
    static func children() -> Double { usage(RUSAGE_CHILDREN.rawValue) }

    private static func usage(_ who: Int32) -> Double {
        var u = rusage()
        getrusage(who, &u)
        return Double(u.ru_utime.tv_sec) + Double(u.ru_utime.tv_usec) / 1e6
            + Double(u.ru_stime.tv_sec) + Double(u.ru_stime.tv_usec) / 1e6
    }
}

/// Distinct explainer scripts of the kind campaigns send, for measuring (not real residents).
private enum BenchScripts {
    static func scripts(count: Int) -> [String] {
        (0..<count).map { i in
            let yuan = 103 + 37 * i
            let fen = (i * 29) % 100
            let amount = "\(yuan).\(fen < 10 ? "0" : "")\(fen)元"
            let month = 1 + i % 12
            let day = 1 + (i * 7) % 28
            let age = 60 + i % 35
            switch i % 4 {
            case 0:
                return "您好！这里是县社会保障局。您2025年每月的城乡居民基础养老金是\(amount)，已于\(month)月\(day)日发放到您的社保卡。如有疑问，请拨打12333，或到村委会找工作人员。"
            case 1:
                return "老人家您好。您今年\(age)岁，已缴费\(5 + i % 15)年。从2025年\(month)月起，您每月可以多领\(amount)。请在\(month)月\(day)日前带好身份证和户口本，到村委会办理。"
            case 2:
                return "您好！您家里有长期重度残疾的老人，可以申请护理补贴，每月\(amount)。工作人员会在\(month)月\(day)日上门，办公时间9:00-17:00。还有问题，请拨打12345。"
            default:
                return "您好！您的医疗保险需要在\(month)月\(day)日前续费，每人每年\(380 + i)元，政府补贴\(i % 50 + 20)%。钱交到银行以后，请保留收据。咨询电话0871-6\(String(format: "%07d", 1_000_000 + i * 7919 % 9_000_000))。"
            }
        }
    }
}

extension Double {
    fileprivate var rounded1: Double { (self * 10).rounded() / 10 }
    fileprivate var rounded2: Double { (self * 100).rounded() / 100 }
    fileprivate var rounded4: Double { (self * 10000).rounded() / 10000 }
}
