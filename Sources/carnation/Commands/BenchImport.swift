import ArgumentParser
import Foundation
import Outreach
import Registry
import Store
#if canImport(Glibc)
import Glibc
#endif

/// `carnation bench import`: our import against the sqlite3 shell's `.import` of the same file.
struct BenchImport: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import a generated department CSV into a fresh database; the sqlite3 shell's .import of the same file is the reference.",
        discussion: "Goal: at least half the reference rate (the import validates and merges, the reference only copies), peak memory under 300 MB."
    )

    @Option(help: "Rows in the generated file.") var rows = 1_000_000
    @Option(help: "Working directory for the file and databases (default: a new temporary directory, removed afterwards).") var workdir: String?
    @Option(help: "Measure on this hrss-style CSV instead of generating one (--rows is then the file's row count).") var csv: String?
    @Flag(help: "Print JSON.") var json = false

    struct Result: Encodable {
        var rows: Int
        var rowsPerSecond: Double
        var peakMemoryBytes: Int
        var sqliteShellRowsPerSecond: Double
        var ratio: Double
    }

    func run() async throws {
        guard rows > 0 else { throw CLIError.usage("--rows must be positive") }
        let fm = FileManager.default
        let dir = workdir.map { URL(fileURLWithPath: $0) } ?? fm.temporaryDirectory.appendingPathComponent("carnation-bench-\(getpid())")
        try fm.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { if workdir == nil { try? fm.removeItem(at: dir) } }
        let note = { (s: String) in if !json { FileHandle.standardError.write(Data((s + "\n").utf8)) } }
        let csv: URL
        var rows = self.rows
        if let given = self.csv {
            csv = URL(fileURLWithPath: given)
            guard FileManager.default.isReadableFile(atPath: given) else { throw CLIError.notFound("cannot read \(given)") }
        } else {
            csv = dir.appendingPathComponent("hrss-bench.csv")
            try BenchImport.generate(rows: rows, to: csv)
            note("generated \(rows) rows in \(csv.path)")
        }

        // Reference: the sqlite3 shell copying the same file into a plain table.
        let refDB = dir.appendingPathComponent("reference.sqlite")
        try? fm.removeItem(at: refDB)
        let shell = Process()
        shell.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        shell.arguments = ["sqlite3", refDB.path]
        let input = Pipe()
        shell.standardInput = input
        let clock = ContinuousClock()
        let refStart = clock.now
        try shell.run()
        input.fileHandleForWriting.write(Data(".mode csv\n.import '\(csv.path)' reference\n".utf8))
        try input.fileHandleForWriting.close()
        shell.waitUntilExit()
        let refSeconds = (clock.now - refStart).seconds
        guard shell.terminationStatus == 0 else { throw CLIError.usage("the sqlite3 shell failed (is the sqlite3 package installed? ops/install-deps.sh installs it)") }
        note("sqlite3 .import: \(String(format: "%.2f", refSeconds)) s")

        // Ours: a fresh database, the full import path.
        let dbPath = dir.appendingPathComponent("carnation.sqlite").path
        for suffix in ["", "-wal", "-shm"] { try? fm.removeItem(atPath: dbPath + suffix) }
        let database = try CarnationDatabase(path: dbPath)
        let mappingURL = try CarnationPaths.content("import/hrss.yaml")
        let mapping = try ImportMapping.parse(try String(contentsOf: mappingURL, encoding: .utf8), file: mappingURL.lastPathComponent)
        let start = clock.now
        let report = try RegistryImport(file: csv, mapping: mapping, asOf: CalendarDate(year: 2026, month: 11, day: 1)!, user: "bench",
                                        dryRun: false, reportDirectory: dir.appendingPathComponent("report")).run(into: database, now: Date())
        let seconds = (clock.now - start).seconds
        if self.csv != nil { rows = report.counts.new + report.counts.updated + report.counts.unchanged + report.counts.rejected }
        guard report.counts.new == rows, report.counts.rejected == 0 else {
            throw CLIError.usage("benchmark import is wrong: \(report.counts.new) new, \(report.counts.rejected) rejected of \(rows)")
        }
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        let result = Result(rows: rows, rowsPerSecond: Double(rows) / seconds, peakMemoryBytes: Int(usage.ru_maxrss) * 1024,
                            sqliteShellRowsPerSecond: Double(rows) / refSeconds, ratio: refSeconds / seconds)
        if json { try printJSON(result); return }
        print(table(["", "rows/s", "seconds"], [
            ["carnation registry import", String(format: "%.0f", result.rowsPerSecond), String(format: "%.2f", seconds)],
            ["sqlite3 .import (reference)", String(format: "%.0f", result.sqliteShellRowsPerSecond), String(format: "%.2f", refSeconds)],
        ]), terminator: "")
        print(String(format: "ratio: %.2f of the reference rate (goal ≥ 0.5); peak memory %.0f MB (goal < 300 MB)", result.ratio, Double(result.peakMemoryBytes) / 1e6))
    }

    /// Writes an hrss-style export of `rows` distinct valid residents, streaming.
    static func generate(rows: Int, to url: URL) throws {
        _ = FileManager.default.createFile(atPath: url.path, contents: nil)
        guard let h = FileHandle(forWritingAtPath: url.path) else { throw CLIError.usage("cannot write \(url.path)") }
        defer { try? h.close() }
        var buffer = Data()
        buffer.append(contentsOf: CSVWriter.line(["姓名", "公民身份号码", "手机号码", "参保状态", "缴费档次", "缴费年限", "最近认证日期"]).utf8)
        let schemes = ["城乡居民养老保险", "企业职工养老保险", "待遇领取", "未参保"]
        let surnames = ["李", "张", "王", "杨", "刘", "陈", "赵", "段"], given = ["国强", "秀英", "玉兰", "建华", "明", "桂英", "文", "丽"]
        let base = CalendarDate(year: 1930, month: 1, day: 1)!.daysSinceEpoch
        for i in 0..<rows {
            let birth = CalendarDate(daysSinceEpoch: base + i % 27_000)!
            let id = ResidentID(area: "532999", birth: birth, sequence: i / 27_000 % 1000)
            let digits = String((i &* 7_919) % 1_000_000_000)
            let phone = "13" + String(repeating: "0", count: 9 - digits.count) + digits
            let scheme = schemes[i % 4]
            let line = CSVWriter.line([surnames[i % 8] + given[(i / 8) % 8], id.value, phone, scheme,
                                       scheme == schemes[0] ? "\(200 + (i % 5) * 100)元" : "", String(i % 16), scheme == schemes[2] ? "2026-03-15" : ""])
            buffer.append(contentsOf: line.utf8)
            if buffer.count > 1 << 20 { h.write(buffer); buffer.removeAll(keepingCapacity: true) }
        }
        h.write(buffer)
    }
}

extension Duration {
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
