import Benefits
import Foundation
import Messaging
import Outreach
import Registry
import Routing
import Speech
import Store
import Web
import ArgumentParser

/// The coordinator's command-line tool.
@main
struct Carnation: AsyncParsableCommand {
    /// Runs the command and maps each kind of error to its own exit code (sysexits.h numbers):
    /// 64 usage, 65 bad data (an ID, a file, a policy figure, a routing input), 66 no such input,
    /// 69 speech synthesis unavailable, 74 database I/O, 77 not allowed (or not approved), 78 configuration.
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
            case is ImportError, is MappingError, is HeadingError, is ExplainerError: code = 65
            case is ConfigurationError: code = 78
            case is BenefitsError, is RoutingError, is MessagingError: code = 65
            case let e as VisitError:
                switch e { case .unknownTeam, .unknownVisit: code = 66; default: code = 65 }
            case let e as CampaignError:
                switch e {
                case .configuration: code = 78
                case .needsApproval, .sameApprover: code = 77
                default: code = 65
                }
            case let e as WebError:
                switch e {
                case .configuration, .noPublicURL, .linkKey: code = 78
                case .unknownTeam: code = 66
                default: code = 65
                }
            case is DirectMessageError: code = 65
            case is SpeechError: code = 69
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
            TeamsCommand.self,
            VisitsCommand.self,
            CampaignCommand.self,
            DispatchCommand.self,
            ServeCommand.self,
            DemoCommand.self,
            BenefitsCommand.self,
            ExplainCommand.self,
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
        subcommands: [BenchImport.self, BenchRouting.self, BenchPlan.self, BenchSpeech.self, BenchDispatch.self]
    )
}
