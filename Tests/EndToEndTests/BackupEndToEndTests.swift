import Foundation
import Testing

/// ops/backup.sh copies a live database with SQLite's backup API and checks the copy.
@Suite struct BackupEndToEndTests {
    @Test func backupOfASeededRegisterPassesItsRestoreCheck() throws {
        let c = try CarnationBinary()
        #expect(try c.run(["demo", "seed", "--residents", "200", "--seed", "6"]).status == 0)
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/bash")
        p.arguments = [root.appendingPathComponent("ops/backup.sh").path]
        p.environment = ProcessInfo.processInfo.environment.merging(["CARNATION_HOME": c.home.path, "CARNATION_BIN": c.binary.path,
                                                                    "CARNATION_CONTENT": c.content.path]) { $1 }
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        _ = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        #expect(p.terminationStatus == 0)
        let lines = text.split(separator: "\n").map(String.init)
        let copy = try #require(lines.last)
        #expect(FileManager.default.fileExists(atPath: copy))
        // The copy was restored into a scratch database with as many rows in every table, and the tool read it.
        #expect(text.contains("resident rows in copy: ") && text.contains("(restored: "))
        #expect(text.contains("carnation reads the restored database"))
        #expect(!FileManager.default.fileExists(atPath: copy + ".restore-check"))
        // The copy is a working register: the tool reads it.
        let stats = try c.json(["registry", "stats", "--database", copy]) as! [String: Any]
        let original = try c.json(["registry", "stats"]) as! [String: Any]
        #expect(stats["total"] as? Int == original["total"] as? Int)
    }
}
