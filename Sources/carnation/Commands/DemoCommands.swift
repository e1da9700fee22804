import ArgumentParser
import Foundation
import Outreach
import Registry
import Store

/// `carnation demo …`: a synthetic county to try the tool on.
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "A synthetic county for trying the tool and for tests.",
        subcommands: [DemoSeed.self]
    )
}

struct DemoSeed: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "seed",
        abstract: "Create a demo county: department CSV exports (some GBK, some bad rows), imported into the register.",
        discussion: "The same seed gives the same county. The exports stay in --exports for trying `registry import` by hand."
    )

    @Option(help: "How many residents.") var residents = 2000
    @Option(help: "Random seed.") var seed: UInt64 = 1
    @Option(help: "Where to write the department CSV files (default var/exports).") var exports: String?
    @Option(name: .customLong("as-of"), help: "The date the exports are true (default today).") var asOf: String?
    @Flag(name: .customLong("exports-only"), help: "Write the CSV files without importing them.") var exportsOnly = false
    @OptionGroup var office: OfficeOptions

    func run() async throws {
        guard (1...2_000_000).contains(residents) else { throw CLIError.usage("--residents must be between 1 and 2000000") }
        let context = try Office(office)
        var date = context.today
        if let asOf {
            guard let d = CalendarDate(parsing: asOf) else { throw CLIError.usage("--as-of '\(asOf)' is not a date") }
            date = d
        }
        let county = DemoCounty(residents: residents, seed: seed, today: date)
        let dir = try exports.map { URL(fileURLWithPath: $0) } ?? CarnationPaths.varDirectory().appendingPathComponent("exports")
        let files = try DemoExports.write(county, to: dir, asOf: date)
        try context.database.saveAreas((county.townships + county.villages).map { ($0.code, $0.name, $0.latitude, $0.longitude) })
        // Visiting teams, one per township (Outreach/Visits/DemoTeams.swift).
        let teams = DemoTeams.make(for: county, seed: seed)
        try context.database.saveTeams(teams)
        var results: [String: ImportCounts] = [:]
        if !office.json {
            print("Demo county \(county.countyName) (\(county.countyCode)): \(county.townships.count) townships, \(county.villages.count) villages, \(county.residents.count) residents")
            print("Visiting teams: " + teams.map(\.name).joined(separator: ", "))
            print("Department exports written to \(dir.path)\n")
        }
        guard !exportsOnly else { return }
        for (source, file) in files {
            let mappingURL = try CarnationPaths.content("import/\(source).yaml")
            let mapping = try ImportMapping.parse(try String(contentsOf: mappingURL, encoding: .utf8), file: mappingURL.lastPathComponent)
            let reports = try CarnationPaths.varDirectory().appendingPathComponent("imports/demo-\(source)")
            let report = try RegistryImport(file: file, mapping: mapping, asOf: date, user: context.access.user, dryRun: false, reportDirectory: reports)
                .run(into: context.database, now: Date())
            results[source] = report.counts
            if !office.json { print(ImportReportText.render(report)) }
        }
        if office.json { try printJSON(results) }
    }
}
