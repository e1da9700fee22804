import ArgumentParser

// Placeholder: replaced by the module's own commands.
struct SMSCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "sms", abstract: "SMS text tools: inspect encoding and segments.")
    func run() throws { throw ValidationError("not built yet") }
}
