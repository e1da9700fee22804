import ArgumentParser
import Foundation
import Outreach
import Registry
import Store

/// Options every command that touches the register shares.
struct OfficeOptions: ParsableArguments {
    @Option(name: .long, help: "The database file (default: $CARNATION_HOME/var/carnation.sqlite or ./var/carnation.sqlite).")
    var database: String?

    @Option(name: .long, help: "The configuration file (default: $CARNATION_CONFIG or ./carnation.yaml if present).")
    var config: String?

    @Flag(name: .long, help: "Print JSON instead of a table.")
    var json = false
}

/// Everything a command needs to work on the office's register: database, rules, who is asking.
struct Office {
    let database: CarnationDatabase
    let configuration: OfficeConfiguration
    let access: Access
    let rules: RegistryRules
    let today: CalendarDate

    init(_ options: OfficeOptions) throws {
        let env = ProcessInfo.processInfo.environment
        var configuration = OfficeConfiguration()
        let configPath = options.config ?? env["CARNATION_CONFIG"] ?? (FileManager.default.fileExists(atPath: "carnation.yaml") ? "carnation.yaml" : nil)
        if let configPath {
            guard let text = try? String(contentsOfFile: configPath, encoding: .utf8) else {
                throw CLIError.usage("cannot read the configuration \(configPath)")
            }
            configuration = try OfficeConfiguration.parse(text, file: configPath)
        }
        let user = env["CARNATION_USER"] ?? env["USER"] ?? "coordinator"
        access = try configuration.access(for: user)
        let defaultPath = try CarnationPaths.varDirectory().appendingPathComponent("carnation.sqlite").path
        let path = options.database ?? configuration.databasePath ?? defaultPath
        database = try CarnationDatabase(path: path)
        self.configuration = configuration
        let rulesURL = try CarnationPaths.content("registry.yaml")
        guard let rulesText = try? String(contentsOf: rulesURL, encoding: .utf8) else {
            throw CLIError.usage("cannot read \(rulesURL.path)")
        }
        rules = try RegistryRules.parse(rulesText, file: rulesURL.path)
        today = Office.today()
    }

    /// Today in China Standard Time (UTC+8), or $CARNATION_TODAY (YYYY-MM-DD) for reproducible runs.
    static func today() -> CalendarDate {
        if let s = ProcessInfo.processInfo.environment["CARNATION_TODAY"], let d = CalendarDate(parsing: s) { return d }
        let seconds = Int(Date().timeIntervalSince1970) + 8 * 3600
        return CalendarDate(daysSinceEpoch: seconds / 86400)!
    }

    /// Checks that the user may unmask; records the read in the audit log.
    /// The resident an ID typed on the command line names: a usage error for a malformed ID, not found if the
    /// register does not hold them.
    func registeredResident(_ text: String) throws -> ResidentID {
        let id: ResidentID
        do { id = try ResidentID(text) } catch { throw CLIError.usage(error.description) }
        guard try database.resident(id) != nil else { throw CLIError.notFound("resident \(id.masked) is not in the register") }
        return id
    }

    func authoriseUnmask(action: String, subject: String, detail: String) throws {
        guard access.mayUnmask else {
            throw CLIError.notAllowed("user '\(access.user)' may not see unmasked IDs and phones; ask the office to set unmask: true in carnation.yaml")
        }
        try database.audit(user: access.user, action: action, subject: subject, detail: detail, now: Date())
    }
}

/// Errors of the command line itself, each with its own exit code.
enum CLIError: Error, CustomStringConvertible {
    case usage(String)
    case notFound(String)
    case notAllowed(String)

    var description: String {
        switch self { case let .usage(s), let .notFound(s), let .notAllowed(s): return s }
    }
}

/// Prints JSON the same way everywhere.
func printJSON<T: Encodable>(_ value: T) throws {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    print(String(decoding: try encoder.encode(value), as: UTF8.self))
}

/// Lays out a table for a terminal (CJK characters are two columns wide).
func table(_ header: [String], _ rows: [[String]]) -> String {
    func width(_ s: String) -> Int { s.unicodeScalars.reduce(0) { $0 + ($1.value >= 0x1100 && ($1.value <= 0x115F || (0x2E80...0xA4CF).contains($1.value) || (0xAC00...0xD7A3).contains($1.value) || (0xF900...0xFAFF).contains($1.value) || (0xFE30...0xFE4F).contains($1.value) || (0xFF00...0xFF60).contains($1.value) || (0xFFE0...0xFFE6).contains($1.value) || $1.value >= 0x20000) ? 2 : 1) } }
    let all = [header] + rows
    var widths = [Int](repeating: 0, count: header.count)
    for r in all { for (i, c) in r.enumerated() where i < widths.count { widths[i] = max(widths[i], width(c)) } }
    var out = ""
    for (n, r) in all.enumerated() {
        out += r.enumerated().map { i, c in c + String(repeating: " ", count: max(0, widths[i] - width(c))) }.joined(separator: "  ")
            .replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression) + "\n"
        if n == 0 { out += widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ") + "\n" }
    }
    return out
}
