import ArgumentParser

// Placeholder: replaced by the module's own commands.
struct SpeakCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "speak", abstract: "Speak text as slow Mandarin audio.")
    func run() throws { throw ValidationError("not built yet") }
}
