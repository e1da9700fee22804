import ArgumentParser
import Foundation
import Routing

/// `carnation bench routing`: the solver on Solomon / Gehring–Homberger instances against their best-known results.
struct BenchRouting: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "routing",
        abstract: "Benchmark the routing solver on Solomon-format instances against best-known solutions (bks.csv).")

    @Option(name: .long, help: "One instance file in Solomon's text format.")
    var solomon: String?

    @Option(name: .long, help: "A folder: run every *.txt instance in it and print the per-family table.")
    var all: String?

    @Option(name: .long, help: "Seconds per instance (per thread).")
    var timeLimit: Double = 1

    @Option(name: .long, help: "Stop after this many ruin-and-recreate iterations (reproducible runs).")
    var iterations: Int?

    @Option(name: .long, help: "Random seed.")
    var seed: UInt64 = 1

    @Option(name: .long, help: "Independent parallel searches (use 2 to take both cores).")
    var threads: Int = 1

    @Option(name: .long, help: "best-known results (instance,vehicles,distance); default: bks.csv beside the instances.")
    var bks: String?

    @Option(name: .long, help: "Share of the time spent removing teams before minimising travel (0...1).")
    var fleetShare: Double = 0.5

    @Flag(name: .long, help: "Print JSON.")
    var json = false

    struct Row: Codable {
        var instance: String
        var vehicles: Int
        var distance: Double
        var feasible: Bool
        var seconds: Double
        var iterations: Int
        var bksVehicles: Int?
        var bksDistance: Double?
        var gapPercent: Double?
        var violations: [String]
        /// Customer numbers per route.
        var routes: [[Int]]
    }

    func validate() throws {
        if (solomon == nil) == (all == nil) { throw ValidationError("Give exactly one of --solomon FILE or --all DIR.") }
        if timeLimit <= 0 { throw ValidationError("--time-limit must be positive.") }
        if threads < 1 { throw ValidationError("--threads must be at least 1.") }
    }

    func run() throws {
        let files: [URL]
        if let solomon {
            files = [URL(fileURLWithPath: solomon)]
        } else {
            let dir = URL(fileURLWithPath: all!)
            files = try FileManager.default.contentsOfDirectory(at: dir, includingPropertiesForKeys: nil)
                .filter { $0.pathExtension == "txt" }
                .sorted { naturalKey($0.lastPathComponent) < naturalKey($1.lastPathComponent) }
            if files.isEmpty { throw ValidationError("No *.txt instances in \(dir.path).") }
        }
        let bksURL = bks.map { URL(fileURLWithPath: $0) }
            ?? files[0].deletingLastPathComponent().appendingPathComponent("bks.csv")
        let reference = (try? String(contentsOf: bksURL, encoding: .utf8)).map(parseBKS) ?? [:]

        var rows: [Row] = []
        for file in files {
            let row = try runOne(file, reference)
            rows.append(row)
            if all != nil && !json {
                print(String(format: "%-8@ %3d veh (bks %@) %10.2f (bks %@, gap %@) %@ %.1fs",
                             row.instance, row.vehicles, row.bksVehicles.map { "\($0)" } ?? "-",
                             row.distance, row.bksDistance.map { String(format: "%.2f", $0) } ?? "-",
                             row.gapPercent.map { String(format: "%+.2f%%", $0) } ?? "-",
                             row.feasible ? "feasible" : "INFEASIBLE", row.seconds))
            }
        }
        if json {
            let enc = JSONEncoder()
            enc.outputFormatting = [.prettyPrinted, .sortedKeys]
            let payload: Data
            if all != nil { payload = try enc.encode(Summary(rows: rows, families: families(rows))) }
            else { payload = try enc.encode(rows[0]) }
            print(String(decoding: payload, as: UTF8.self))
            return
        }
        if all == nil {
            let r = rows[0]
            print("instance  \(r.instance)")
            print("vehicles  \(r.vehicles)" + (r.bksVehicles.map { "  (best known \($0))" } ?? ""))
            print(String(format: "distance  %.2f", r.distance) + (r.bksDistance.map { String(format: "  (best known %.2f, gap %+.2f%%)", $0, r.gapPercent ?? 0) } ?? ""))
            print("feasible  \(r.feasible)" + (r.violations.isEmpty ? "" : "  " + r.violations.joined(separator: "; ")))
            print(String(format: "seconds   %.2f  (%d iterations)", r.seconds, r.iterations))
            print("routes")
            for (i, route) in r.routes.enumerated() { print("  \(i + 1): " + route.map(String.init).joined(separator: " ")) }
        } else {
            print("")
            print(familyTable(families(rows)))
        }
    }

    private func runOne(_ file: URL, _ reference: [String: (Int, Double)]) throws -> Row {
        let text = try String(contentsOf: file, encoding: .utf8)
        let instance = try SolomonInstance.parse(text)
        let name = file.deletingPathExtension().lastPathComponent
        let options = SolveOptions(timeLimit: .milliseconds(Int64(timeLimit * 1000)), iterationLimit: iterations,
                                   seed: seed, threads: threads, fleetShare: fleetShare)
        let clock = ContinuousClock()
        let t0 = clock.now
        let report = try Solver.solve(instance.problem, options: options)
        let seconds = ratioSeconds(t0.duration(to: clock.now))
        let violations = Checker.verify(report.plan, for: instance.problem)
        let obj = report.objective
        let feasible = violations.isEmpty && obj.missedMandatory == 0
        let ref = reference[name] ?? reference[name.uppercased()] ?? reference[name.lowercased()]
        let gap = ref.map { (obj.travel / $0.1 - 1) * 100 }
        let routes = report.plan.routes.map { $0.stops.flatMap { $0.jobs.compactMap { Int(instance.problem.jobs[$0].id) } } }
        return Row(instance: name, vehicles: obj.vehicles, distance: obj.travel, feasible: feasible, seconds: seconds,
                   iterations: report.iterations, bksVehicles: ref?.0, bksDistance: ref?.1, gapPercent: gap,
                   violations: violations.map(\.description) + (obj.missedMandatory > 0 ? ["\(obj.missedMandatory) customers not served"] : []),
                   routes: routes)
    }

    struct Family: Codable {
        var family: String
        var instances: Int
        var vehicles: Int
        var bksVehicles: Int
        var matchedVehicles: Int
        var gapMatchedPercent: Double?
        var gapAllPercent: Double?
        var feasible: Int
        var seconds: Double
    }

    struct Summary: Codable {
        var rows: [Row]
        var families: [Family]
    }

    private func families(_ rows: [Row]) -> [Family] {
        var order: [String] = []
        var groups: [String: [Row]] = [:]
        for r in rows {
            let f = family(of: r.instance)
            if groups[f] == nil { order.append(f) }
            groups[f, default: []].append(r)
        }
        var out = order.map { summarise($0, groups[$0]!) }
        out.append(summarise("total", rows))
        return out
    }

    private func summarise(_ name: String, _ rs: [Row]) -> Family {
        let matched = rs.filter { $0.bksVehicles != nil && $0.vehicles == $0.bksVehicles }
        let gapsM = matched.compactMap(\.gapPercent)
        let gapsA = rs.compactMap(\.gapPercent)
        return Family(family: name, instances: rs.count, vehicles: rs.reduce(0) { $0 + $1.vehicles },
                      bksVehicles: rs.reduce(0) { $0 + ($1.bksVehicles ?? 0) }, matchedVehicles: matched.count,
                      gapMatchedPercent: gapsM.isEmpty ? nil : gapsM.reduce(0, +) / Double(gapsM.count),
                      gapAllPercent: gapsA.isEmpty ? nil : gapsA.reduce(0, +) / Double(gapsA.count),
                      feasible: rs.filter(\.feasible).count, seconds: rs.reduce(0) { $0 + $1.seconds })
    }

    private func familyTable(_ fs: [Family]) -> String {
        var lines = ["| family | instances | vehicles | best-known vehicles | instances at best-known vehicles | distance gap there | distance gap all | feasible | seconds |",
                     "|---|---|---|---|---|---|---|---|---|"]
        for f in fs {
            let gm = f.gapMatchedPercent.map { String(format: "%+.2f %%", $0) } ?? "-"
            let ga = f.gapAllPercent.map { String(format: "%+.2f %%", $0) } ?? "-"
            lines.append("| \(f.family) | \(f.instances) | \(f.vehicles) | \(f.bksVehicles) | \(f.matchedVehicles) | \(gm) | \(ga) | \(f.feasible)/\(f.instances) | \(String(format: "%.0f", f.seconds)) |")
        }
        return lines.joined(separator: "\n")
    }
}

/// Family of an instance: its letters and the first digit (R101 → R1, RC208 → RC2, c1_2_1 → C1).
private func family(of name: String) -> String {
    var out = ""
    for ch in name.uppercased() {
        out.append(ch)
        if ch.isNumber { break }
    }
    return out
}

/// Sort key putting c1_2_10 after c1_2_9.
private func naturalKey(_ s: String) -> String {
    var parts: [String] = []
    var current = ""
    for ch in s {
        if ch.isNumber { current.append(ch) } else {
            if !current.isEmpty { parts.append(String(repeating: "0", count: max(0, 8 - current.count)) + current); current = "" }
            parts.append(String(ch))
        }
    }
    if !current.isEmpty { parts.append(String(repeating: "0", count: max(0, 8 - current.count)) + current) }
    return parts.joined()
}

private func parseBKS(_ text: String) -> [String: (Int, Double)] {
    var out: [String: (Int, Double)] = [:]
    // Split on any newline ("\r\n" is one Character in Swift, so splitting on "\n" alone misses CRLF files).
    for line in text.split(whereSeparator: \.isNewline).dropFirst() {
        let f = line.split(separator: ",", omittingEmptySubsequences: false)
        guard f.count >= 3, let v = Int(f[1].trimmingCharacters(in: .whitespaces)),
              let d = Double(f[2].trimmingCharacters(in: .whitespaces)) else { continue }
        out[String(f[0])] = (v, d)
    }
    return out
}

private func ratioSeconds(_ d: Duration) -> Double {
    Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
}
