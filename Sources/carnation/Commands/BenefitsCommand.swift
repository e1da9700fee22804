import ArgumentParser

// Placeholder: replaced by the module's own commands.
struct BenefitsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "benefits", abstract: "Pension rules: retirement age, resident and employee pensions, comparisons.")
    func run() throws { throw ValidationError("not built yet") }
}
