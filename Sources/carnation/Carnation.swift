import Foundation
import Outreach
import Registry
import Store
import ArgumentParser

/// The coordinator's command-line tool.
@main
struct Carnation: AsyncParsableCommand {
    /// Runs the command and maps each kind of error to its own exit code (sysexits.h numbers).
    static func main() async {
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? AsyncParsableCommand { try await asyncCommand.run() } else { try command.run() }
        } catch {
            let code: Int32
            switch error {
            case is CLIError:
                if case .notFound = error as! CLIError { code = 66 } else if case .notAllowed = error as! CLIError { code = 77 } else { code = 64 }
            case is ResidentIDError, is AreaCodeError, is PhoneNumberError: code = 65
            case is ImportError, is MappingError, is HeadingError: code = 65
            case is ConfigurationError: code = 78
            case is StoreError: code = 74
            default: exit(withError: error)
            }
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            Foundation.exit(code)
        }
    }

    static let configuration = CommandConfiguration(
        commandName: "carnation",
        abstract: "Reach residents who cannot come to the social-security office.",
        subcommands: [
            RegistryCommand.self,
            DemoCommand.self,
            BenefitsCommand.self,
            SpeakCommand.self,
            SMSCommand.self,
            BenchCommand.self,
        ]
    )
}

/// `carnation bench …`: measurements against a reference run in the same command.
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Benchmarks, each against a reference measured in the same run.",
        subcommands: [BenchImport.self, BenchRouting.self, BenchSpeech.self]
    )
}
