import Foundation
import Testing
@testable import Outreach
@testable import Registry
@testable import Store

@Suite struct RegistryImportTests {
    let asOf = CalendarDate(year: 2026, month: 11, day: 1)!
    let mapping = try! ImportMapping.parse("""
        source: hrss
        columns:
          id: [公民身份号码]
          name: [姓名]
          phone: [手机号码]
        """, file: "hrss.yaml")

    func ids(_ n: Int) -> [String] {
        (0..<n).map { ResidentID(area: "532999", birth: CalendarDate(year: 1950, month: 1, day: 1)!.adding(days: $0), sequence: 11).value }
    }

    func write(_ text: String, gbk: Bool = false) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("carnation-import-\(UUID().uuidString).csv")
        try Data(gbk ? try encodeGB18030(text) : Array(text.utf8)).write(to: url)
        return url
    }

    func job(_ file: URL, dryRun: Bool = false) -> RegistryImport {
        RegistryImport(file: file, mapping: mapping, asOf: asOf, user: "tester", dryRun: dryRun,
                       reportDirectory: FileManager.default.temporaryDirectory.appendingPathComponent("carnation-report-\(UUID().uuidString)"))
    }

    @Test func gbkFileWithBadRowsImportsTheRestAndWritesRejects() throws {
        let good = ids(3)
        let text = "某县参保名单\r\n姓名,公民身份号码,手机号码\r\n张三,\(good[0]),+86 138 1234 5678\r\n李四,110105194912310021,\r\n王五,\(good[1]),\r\n王五,\(good[1]),\r\n赵六,5.32999E+17,\r\n钱七,\(good[2]),139"
        let file = try write(text, gbk: true)
        let db = try CarnationDatabase()
        let report = try job(file).run(into: db, now: Date())
        #expect(report.encoding == "GB18030")
        #expect(report.counts.new == 2)
        #expect(report.counts.rejected == 4)  // checksum, duplicate, spreadsheet, cut-off last row
        #expect(report.rejections.map(\.line) == [4, 6, 7, 8])
        let rejects = try String(contentsOfFile: try #require(report.rejectsFile), encoding: .utf8)
        #expect(rejects.components(separatedBy: "\r\n").filter { !$0.isEmpty }.count == 5)  // heading + 4
        #expect(rejects.contains("spreadsheet"))
        #expect(FileManager.default.fileExists(atPath: report.summaryFile))
        #expect(try db.resident(try ResidentID(good[0]))?.values[.phone] == "13812345678")
        #expect(try db.resident(try ResidentID(good[0]))?.values[.name] == "张三")
    }

    @Test func secondImportChangesNothing() throws {
        let file = try write("姓名,公民身份号码,手机号码\n" + ids(50).map { "甲,\($0),13812345678\n" }.joined())
        let db = try CarnationDatabase()
        let first = try job(file).run(into: db, now: Date())
        #expect(first.counts.new == 50)
        let second = try job(file).run(into: db, now: Date())
        #expect(second.counts.unchanged == 50 && second.changedNothing)
        #expect(second.counts.new == 0 && second.counts.updated == 0)
    }

    @Test func dryRunChangesNothing() throws {
        let file = try write("姓名,公民身份号码\n" + ids(5).map { "甲,\($0)\n" }.joined())
        let db = try CarnationDatabase()
        let report = try job(file, dryRun: true).run(into: db, now: Date())
        #expect(report.counts.new == 5)
        #expect(try db.residentCount == 0)
    }

    @Test func anImportThatFailsMidwayLeavesTheRegisterAsItWas() throws {
        let db = try CarnationDatabase()
        let first = try write("姓名,公民身份号码\n" + ids(3).map { "甲,\($0)\n" }.joined())
        _ = try job(first).run(into: db, now: Date())
        // UTF-8 rows in the first chunks, then bytes that are not UTF-8: the import stops and nothing of it stays.
        let rows = "姓名,公民身份号码\n" + ids(40).map { "乙,\($0)\n" }.joined()
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("carnation-mixed-\(UUID().uuidString).csv")
        try Data(Array(rows.utf8) + (try encodeGB18030("丙,11010519491231002X\n"))).write(to: url)
        #expect(throws: ImportError.self) { try job(url).run(into: db, now: Date(), chunkSize: 64) }
        #expect(try db.residentCount == 3)
        #expect(try db.resident(try ResidentID(ids(1)[0]))?.values[.name] == "甲")
    }

    @Test func unknownHeadingsFailTheWholeFile() throws {
        let file = try write("户主,门牌\n张三,1号\n")
        let db = try CarnationDatabase()
        #expect {
            try job(file).run(into: db, now: Date())
        } throws: { e in
            "\(e)".contains("户主") && "\(e)".contains("公民身份号码")
        }
    }

    @Test func newerSourceUpdatesAndSameDateConflicts() throws {
        let id = ids(1)[0]
        let db = try CarnationDatabase()
        _ = try job(try write("姓名,公民身份号码,手机号码\n甲,\(id),13812345678\n")).run(into: db, now: Date())
        var other = RegistryImport(file: try write("姓名,身份证号,联系电话\n甲,\(id),13900000000\n"),
                                   mapping: try ImportMapping.parse("source: civil-affairs\ncolumns:\n  id: [身份证号]\n  name: [姓名]\n  phone: [联系电话]\n", file: "ca.yaml"),
                                   asOf: asOf, user: "tester", dryRun: false, reportDirectory: FileManager.default.temporaryDirectory.appendingPathComponent(UUID().uuidString))
        let conflict = try other.run(into: db, now: Date())
        #expect(conflict.counts.conflicts == 1 && conflict.counts.unchanged == 1)
        #expect(try db.resident(try ResidentID(id))?.values[.phone] == "13812345678")
        other.asOf = asOf.adding(days: 1)
        let newer = try other.run(into: db, now: Date())
        #expect(newer.counts.updated == 1)
        #expect(try db.resident(try ResidentID(id))?.values[.phone] == "13900000000")
    }
}

@Suite struct SeenKeysTests {
    /// Keys met before are found with their first line through every growth of the table; the
    /// fingerprint tells a repeated row from a contradicting one.
    @Test func remembersFirstLinesThroughGrowth() {
        let seen = SeenKeys(expected: 4)
        var rng = SplitMix(seed: 3)  // CampaignTests.swift
        var first: [Int64: (Int, Int)] = [:]
        for line in 2..<20_000 {
            let key = Int64(10_000_000_000_000_000 + Int(rng.next() % 5_000))
            let fingerprint = Int(rng.next() % 3)
            let answer = seen.firstSeen(key, line: line, fingerprint: fingerprint)
            if let (firstLine, firstFingerprint) = first[key] {
                #expect(answer?.line == firstLine)
                #expect(answer?.sameFingerprint == (firstFingerprint == fingerprint))
            } else {
                #expect(answer == nil)
                first[key] = (line, fingerprint)
            }
        }
        #expect(seen.count == first.count)
    }
}
