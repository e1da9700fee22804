import Foundation
import Testing

/// Runs the built `carnation` binary against a fresh working directory, as a coordinator would.
struct CarnationBinary {
    let home: URL
    let binary: URL
    let content: URL
    /// $CARNATION_TODAY for every run.
    var today = "2026-11-30"

    /// `content`: another content directory than the checkout's (a copy a test changes).
    init(content: URL? = nil) throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let env = ProcessInfo.processInfo.environment
        binary = URL(fileURLWithPath: env["CARNATION_BIN"] ?? root.appendingPathComponent(".build/debug/carnation").path)
        self.content = content ?? URL(fileURLWithPath: env["CARNATION_CONTENT"] ?? root.appendingPathComponent("content").path)
        home = FileManager.default.temporaryDirectory.appendingPathComponent("carnation-e2e-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
        guard FileManager.default.isExecutableFile(atPath: binary.path) else {
            throw BinaryMissing(path: binary.path)
        }
    }

    struct BinaryMissing: Error, CustomStringConvertible {
        var path: String
        var description: String { "no carnation binary at \(path): run `swift build` first (ops/test.sh does)" }
    }

    struct Run { var status: Int32; var out: String; var err: String }

    /// The binary with `args`, in the working directory, not yet started.
    func process(_ args: [String], user: String? = nil) -> Process {
        let p = Process()
        p.executableURL = binary
        p.arguments = args
        p.currentDirectoryURL = home
        var env = ProcessInfo.processInfo.environment
        env["CARNATION_HOME"] = home.path
        env["CARNATION_CONTENT"] = content.path
        env["CARNATION_TODAY"] = today
        env.removeValue(forKey: "CARNATION_CONFIG")
        if let user { env["CARNATION_USER"] = user }
        p.environment = env
        return p
    }

    @discardableResult
    func run(_ args: [String], user: String? = nil) throws -> Run {
        let p = process(args, user: user)
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        let o = out.fileHandleForReading.readDataToEndOfFile()
        let e = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return Run(status: p.terminationStatus, out: String(decoding: o, as: UTF8.self), err: String(decoding: e, as: UTF8.self))
    }

    func json(_ args: [String], user: String? = nil) throws -> Any {
        let r = try run(args + ["--json"], user: user)
        guard r.status == 0 else { throw Failure(args: args, run: r) }
        return try JSONSerialization.jsonObject(with: Data(r.out.utf8))
    }

    struct Failure: Error, CustomStringConvertible {
        var args: [String]; var run: Run
        var description: String { "carnation \(args.joined(separator: " ")) exited \(run.status): \(run.err)" }
    }
}

@Suite(.serialized) struct RegistryEndToEndTests {
    let fullID = try! NSRegularExpression(pattern: "\\b[0-9]{17}[0-9X]\\b")

    func containsFullID(_ s: String) -> Bool {
        fullID.firstMatch(in: s, range: NSRange(s.startIndex..., in: s)) != nil
    }

    @Test func importsGBKAndUTF8ExportsWithRejectsIdempotenceAndAudit() throws {
        let c = try CarnationBinary()
        let exports = c.home.appendingPathComponent("exports")
        let seeded = try c.run(["demo", "seed", "--residents", "400", "--seed", "3", "--exports", exports.path, "--exports-only"])
        #expect(seeded.status == 0, "\(seeded.err)")

        // A dry run reads the GBK file, counts, and changes nothing.
        let dry = try c.run(["registry", "import", exports.appendingPathComponent("public-security.csv").path, "--source", "public-security", "--as-of", "2026-11-01", "--dry-run"])
        #expect(dry.status == 0, "\(dry.err)")
        #expect(dry.out.contains("GB18030"))
        #expect(dry.out.contains("dry run"))
        let afterDry = try c.json(["registry", "stats"]) as! [String: Any]
        #expect(afterDry["total"] as? Int == 0)

        var counts: [String: [String: Int]] = [:]
        for source in ["public-security", "hrss", "civil-affairs", "disabled-federation", "health"] {
            let out = try c.json(["registry", "import", exports.appendingPathComponent("\(source).csv").path, "--source", source, "--as-of", "2026-11-01"]) as! [String: Int]
            #expect(Set(out.keys) == ["new", "updated", "unchanged", "conflicts", "rejected"])
            counts[source] = out
        }
        let residents = counts["public-security"]!["new"]!
        #expect(residents > 380)
        // One impossible birth date in 公安, one spreadsheet-mangled ID in 人社, one wrong check digit in 民政,
        // one duplicate row in 残联, one row cut off at the end of 卫健.
        for source in counts.keys { #expect(counts[source]!["rejected"] == 1, "\(source)") }
        #expect(counts["hrss"]!["updated"] == residents)
        #expect(counts["civil-affairs"]!["conflicts"]! >= 0)

        // Each import left a summary, and a rejects file naming line, column and reason.
        let imports = try FileManager.default.contentsOfDirectory(atPath: c.home.appendingPathComponent("var/imports").path)
        let ps = try #require(imports.filter { $0.hasSuffix("-public-security") }.sorted().last)
        let rejects = try String(contentsOfFile: c.home.appendingPathComponent("var/imports/\(ps)/rejects.csv").path, encoding: .utf8)
        #expect(rejects.contains("行号,列,原因"))
        #expect(rejects.contains("impossible birth date"))
        #expect(FileManager.default.fileExists(atPath: c.home.appendingPathComponent("var/imports/\(ps)/summary.json").path))
        let healthDir = try #require(imports.filter { $0.hasSuffix("-health") }.sorted().last)
        let healthRejects = try String(contentsOfFile: c.home.appendingPathComponent("var/imports/\(healthDir)/rejects.csv").path, encoding: .utf8)
        #expect(healthRejects.contains("cut off"))

        // The same file again changes nothing, and says so.
        let again = try c.run(["registry", "import", exports.appendingPathComponent("hrss.csv").path, "--source", "hrss", "--as-of", "2026-11-01"])
        #expect(again.status == 0)
        #expect(again.out.contains("Nothing changed"))
        let againJSON = try c.json(["registry", "import", exports.appendingPathComponent("hrss.csv").path, "--source", "hrss", "--as-of", "2026-11-01"]) as! [String: Int]
        #expect(againJSON == ["new": 0, "updated": 0, "unchanged": residents, "conflicts": 0, "rejected": 1])

        // Stats and find agree with the register; output is masked by default.
        let stats = try c.json(["registry", "stats"]) as! [String: Any]
        #expect(stats["total"] as? Int == residents)
        let find = try c.run(["registry", "find", "--life", "alive", "--limit", "500"])
        #expect(find.status == 0)
        #expect(!containsFullID(find.out))
        #expect(find.out.contains("**********"))

        // Unmasked reads are audited; imports too.
        let unmasked = try c.json(["registry", "find", "--category", "高龄", "--unmask", "--limit", "3"]) as! [String: Any]
        let list = unmasked["residents"] as! [[String: Any]]
        #expect(list.allSatisfy { containsFullID($0["id"] as! String) })
        let audit = try c.json(["registry", "audit"]) as! [[String: Any]]
        #expect(audit.contains { $0["action"] as? String == "export" || $0["action"] as? String == "read" })
        #expect(audit.filter { $0["action"] as? String == "import" }.count == 7)
        #expect(!audit.contains { containsFullID($0["detail"] as? String ?? "") })
    }

    @Test func scopedUserSeesOnlyTheirAreaAndMayNotUnmask() throws {
        let c = try CarnationBinary()
        #expect(try c.run(["demo", "seed", "--residents", "300", "--seed", "4"]).status == 0)
        try """
        users:
          - name: township-clerk
            role: coordinator
            areas: ["532999001"]
            unmask: false
          - name: office-head
            areas: ["532999"]
            unmask: true
        """.write(to: c.home.appendingPathComponent("carnation.yaml"), atomically: true, encoding: .utf8)
        let all = try c.json(["registry", "stats"], user: "office-head") as! [String: Any]
        let mine = try c.json(["registry", "stats"], user: "township-clerk") as! [String: Any]
        #expect((mine["total"] as! Int) < (all["total"] as! Int))
        #expect((mine["byTownship"] as! [String: Int]).keys.allSatisfy { $0.hasPrefix("532999001") })
        let denied = try c.run(["registry", "find", "--unmask"], user: "township-clerk")
        #expect(denied.status == 77)
        #expect(denied.err.contains("may not see unmasked"))
        let stranger = try c.run(["registry", "stats"], user: "nobody")
        #expect(stranger.status == 78)
    }

    @Test func wrongSourceGivesAClearErrorAndExitCode() throws {
        let c = try CarnationBinary()
        let exports = c.home.appendingPathComponent("exports")
        #expect(try c.run(["demo", "seed", "--residents", "100", "--seed", "5", "--exports", exports.path, "--exports-only"]).status == 0)
        let r = try c.run(["registry", "import", exports.appendingPathComponent("health.csv").path, "--source", "hrss"])
        #expect(r.status == 65)
        #expect(r.err.contains("身份证号码"))       // the headings it found
        #expect(r.err.contains("公民身份号码"))     // the headings the mapping expected
        let missing = try c.run(["registry", "import", "nope.csv", "--source", "hrss"])
        #expect(missing.status == 66)
        let badID = try c.run(["registry", "show", "110105194912310021"])
        #expect(badID.status == 65)
        #expect(!badID.err.contains("110105194912310021"))
    }
}
