import ArgumentParser

// Placeholder: replaced by the module's own commands.
struct BenchRouting: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "routing", abstract: "Benchmark the routing solver on a Solomon instance.")
    func run() throws { throw ValidationError("not built yet") }
}
