import ArgumentParser

// Placeholder: replaced by the module's own commands.
struct BenchSpeech: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "speech", abstract: "Benchmark in-process synthesis against the espeak-ng program.")
    func run() throws { throw ValidationError("not built yet") }
}
