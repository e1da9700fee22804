import Foundation
import GRDB
import Testing
@testable import Registry
@testable import Store

@Suite struct StoreTests {
    let asOf = CalendarDate(year: 2026, month: 11, day: 1)!
    let today = CalendarDate(year: 2026, month: 11, day: 30)!
    let rules = RegistryRules(elderlyAge: 80)

    func resident(_ birth: CalendarDate, seq: Int, _ v: [ResidentField: String]) -> StoredResident {
        let id = ResidentID(area: "532999", birth: birth, sequence: seq)
        return StoredResident(id: id, values: v, provenance: v.mapValues { _ in Provenance(source: "test", asOf: asOf) })
    }

    func record(_ counts: ImportCounts = ImportCounts()) -> ImportRecord {
        ImportRecord(source: "test", file: "t.csv", encoding: "UTF-8", asOf: asOf, user: "tester", counts: counts)
    }

    @Test func insertFetchUpdateRoundTrip() throws {
        let db = try CarnationDatabase()
        let r = resident(CalendarDate(year: 1940, month: 5, day: 6)!, seq: 11, [.name: "张𠮷", .phone: "13812345678", .areaCode: "532999002201"])
        _ = try db.importing(source: "test", file: "t.csv", user: "tester", asOf: asOf, now: Date(), dryRun: false) { (s: ImportSession) throws -> ((), ImportRecord) in
            try s.insert(r)
            var changed = r
            changed.values[.phone] = "13912345678"
            try s.update(changed, changed: [.phone])
            #expect(try s.existing(r.id)?.values[.phone] == "13912345678")
            return ((), record())
        }
        let back = try #require(try db.resident(r.id))
        #expect(back.values[.name] == "张𠮷")
        #expect(back.values[.phone] == "13912345678")
        #expect(back.provenance[.name] == Provenance(source: "test", asOf: asOf))
    }

    @Test func uniformProvenanceExpandsToEveryStoredField() throws {
        let db = try CarnationDatabase()
        let id = ResidentID(area: "532999", birth: CalendarDate(year: 1940, month: 5, day: 6)!, sequence: 11)
        _ = try db.importing(source: "hrss", file: "t.csv", user: "tester", asOf: asOf, now: Date(), dryRun: false) { (s: ImportSession) throws -> ((), ImportRecord) in
            var packed = PackedResidents()
            packed.append(ParsedRow(id: id, values: [.name: "甲", .phone: "13812345678"], line: 2))
            try s.insertNew(packed)
            #expect(try s.existingKeys() == [id.key])
            return ((), record())
        }
        let back = try #require(try db.resident(id))
        #expect(back.provenance == [.name: Provenance(source: "hrss", asOf: asOf), .phone: Provenance(source: "hrss", asOf: asOf)])
    }

    @Test func aFailedImportLeavesNothing() throws {
        let db = try CarnationDatabase()
        struct Boom: Error {}
        #expect(throws: Boom.self) {
            _ = try db.importing(source: "test", file: "t.csv", user: "tester", asOf: asOf, now: Date(), dryRun: false) { s -> ((), ImportRecord) in
                try s.insert(resident(CalendarDate(year: 1940, month: 5, day: 6)!, seq: 11, [.name: "甲"]))
                throw Boom()
            }
        }
        #expect(try db.residentCount == 0)
        #expect(try db.auditEntries(limit: 10).isEmpty)
    }

    @Test func dryRunRollsBack() throws {
        let db = try CarnationDatabase()
        _ = try db.importing(source: "test", file: "t.csv", user: "tester", asOf: asOf, now: Date(), dryRun: true) { (s: ImportSession) throws -> ((), ImportRecord) in
            try s.insert(resident(CalendarDate(year: 1940, month: 5, day: 6)!, seq: 11, [.name: "甲"]))
            return ((), record())
        }
        #expect(try db.residentCount == 0)
    }

    @Test func conflictsAreRecordedOnce() throws {
        let db = try CarnationDatabase()
        let r = resident(CalendarDate(year: 1940, month: 5, day: 6)!, seq: 11, [.phone: "13812345678"])
        let c = FieldConflict(id: r.id, field: .phone, kept: "13812345678", keptFrom: Provenance(source: "hrss", asOf: asOf),
                              offered: "13900000000", offeredFrom: Provenance(source: "civil-affairs", asOf: asOf))
        _ = try db.importing(source: "test", file: "t.csv", user: "tester", asOf: asOf, now: Date(), dryRun: false) { (s: ImportSession) throws -> ((), ImportRecord) in
            #expect(try s.record(c))
            #expect(try !s.record(c))
            return ((), record())
        }
        #expect(try db.openConflicts(limit: 10) == [c])
    }

    @Test func filtersCompileToTheRightRows() throws {
        let db = try CarnationDatabase()
        let old = resident(CalendarDate(year: 1940, month: 5, day: 6)!, seq: 11, [.areaCode: "532999002201", .bedridden: "1", .assistance: "dibao,tekun"])
        let young = resident(CalendarDate(year: 1990, month: 5, day: 6)!, seq: 13, [.areaCode: "532999003201", .pensionScheme: "none"])
        let dead = resident(CalendarDate(year: 1930, month: 5, day: 6)!, seq: 15, [.areaCode: "532999002201", .deathDate: "2026-10-01"])
        _ = try db.importing(source: "test", file: "t.csv", user: "tester", asOf: asOf, now: Date(), dryRun: false) { (s: ImportSession) throws -> ((), ImportRecord) in
            for r in [old, young, dead] { try s.insert(r) }
            return ((), record())
        }
        func find(_ build: (inout ResidentFilter) throws -> Void, scope: [AreaPrefix]? = nil) throws -> [ResidentID] {
            var f = ResidentFilter()
            f.life = [.alive]
            try build(&f)
            return try db.residents(matching: f, scope: scope, on: today, rules: rules, limit: nil).map(\.id)
        }
        #expect(try find { $0.categories = [.elderly] } == [old.id])
        #expect(try find { $0.categories = [.extremePoverty] } == [old.id])
        #expect(try find { $0.categories = [.bedridden, .minimumLiving] } == [old.id])
        #expect(try find { $0.minAge = 30; $0.maxAge = 36 } == [young.id])
        #expect(try find { $0.maxAge = 35 } == [])
        #expect(try find { $0.pension = [.none] } == [young.id])
        #expect(try find { $0.areaPrefixes = [try AreaPrefix("532999002")] } == [old.id])
        #expect(try find { $0.life = [.deceased] } == [dead.id])
        #expect(try find({ _ in }, scope: [try AreaPrefix("532999003")]) == [young.id])
        #expect(try find({ _ in }, scope: []) == [])
        var seenWithNoAreas = 0
        try db.forEachResident(scope: []) { _ in seenWithNoAreas += 1 }
        #expect(seenWithNoAreas == 0)
        var seenEverywhere = 0
        try db.forEachResident(scope: nil) { _ in seenEverywhere += 1 }
        #expect(seenEverywhere == 3)
        // A value that looks like SQL stays a value.
        #expect(try find { $0.nameContains = "' OR 1=1 --" } == [])
    }

    @Test func auditLogKeepsWhoAndWhat() throws {
        let db = try CarnationDatabase()
        try db.audit(user: "li", action: "read", subject: "5329**********0011", detail: "registry show", now: Date())
        let e = try db.auditEntries(limit: 5)
        #expect(e.count == 1 && e[0].user == "li" && e[0].action == "read")
    }

    @Test func fileDatabasePersists() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("carnation-store-\(UUID().uuidString).sqlite").path
        defer { for s in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + s) } }
        do {
            let db = try CarnationDatabase(path: path)
            try db.audit(user: "li", action: "read", subject: "x", now: Date())
        }
        #expect(try CarnationDatabase(path: path).auditEntries(limit: 5).count == 1)
    }

    @Test func packedInsertsStoreEveryValueOnlyInTheColumnsGiven() throws {
        let db = try CarnationDatabase()
        let a = ResidentID(area: "532999", birth: CalendarDate(year: 1940, month: 5, day: 6)!, sequence: 11)
        let b = ResidentID(area: "532999", birth: CalendarDate(year: 1931, month: 2, day: 28)!, sequence: 3)
        var packed = PackedResidents()
        packed.append(ParsedRow(id: a, values: [.id: a.value, .name: "张𠮷", .phone: "13812345678"], line: 2))
        packed.append(ParsedRow(id: b, values: [.name: "李", .areaCode: "532999002201", .address: ""], line: 3))
        #expect(packed.count == 2)
        _ = try db.importing(source: "hrss", file: "t.csv", user: "tester", asOf: asOf, now: Date(), dryRun: false) { (s: ImportSession) throws -> ((), ImportRecord) in
            try s.insertNew(packed)
            return ((), record())
        }
        let backA = try #require(try db.resident(a))
        #expect(backA.values == [.name: "张𠮷", .phone: "13812345678"])
        #expect(backA.provenance[.phone] == Provenance(source: "hrss", asOf: asOf))
        let backB = try #require(try db.resident(b))
        #expect(backB.values == [.name: "李", .areaCode: "532999002201", .address: ""])
        #expect(try db.residentIDs(withPhone: "13812345678") == [a.value])
    }

    /// A register written before the integer key (schema v3) keeps every resident, value, provenance and
    /// time through the migration.
    @Test func residentsMoveToTheIntegerKeyIntact() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("carnation-v4-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("old.sqlite").path
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let old = try DatabaseQueue(path: path)
        let upToV3 = CarnationDatabase.migrator
        try upToV3.migrate(old, upTo: "v3-visits")
        let id = ResidentID(area: "530102", birth: CalendarDate(year: 1938, month: 12, day: 31)!, sequence: 2)
        try old.write { db in
            try db.execute(sql: "INSERT INTO resident (id, name, phone, provenance, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)",
                           arguments: [id.value, "段玉兰", "13912345678", #"{"name":["civil","2026-10-01"],"phone":["hrss","2026-11-01"]}"#,
                                       "2026-11-02T03:04:05Z", "2026-11-03T03:04:05Z"])
        }
        try old.close()
        let db = try CarnationDatabase(path: path)
        let back = try #require(try db.resident(id))
        #expect(back.values == [.name: "段玉兰", .phone: "13912345678"])
        #expect(back.provenance[.name] == Provenance(source: "civil", asOf: CalendarDate(year: 2026, month: 10, day: 1)!))
        #expect(back.provenance[.phone] == Provenance(source: "hrss", asOf: CalendarDate(year: 2026, month: 11, day: 1)!))
        let times = try db.writer.read { db in try Row.fetchOne(db, sql: "SELECT created_at, updated_at FROM resident WHERE key = ?", arguments: [id.key]) }
        #expect(times?["created_at"] as Int64? == 1_793_588_645)
        #expect(times?["updated_at"] as Int64? == 1_793_675_045)
        var filter = ResidentFilter()
        filter.categories = [.elderly]
        #expect(try db.countResidents(matching: filter, scope: nil, on: today, rules: rules) == 1)
    }

    @Test func compactProvenanceDecodes() throws {
        let id = ResidentID(area: "530102", birth: CalendarDate(year: 1938, month: 12, day: 31)!, sequence: 2)
        let values: [ResidentField: String] = [.name: "甲", .phone: "13912345678"]
        let p = Provenance(source: "pub@sec", asOf: asOf)
        #expect(try ProvenanceCoding.decode(ProvenanceCoding.encodeUniform(p), resident: id, fields: values.keys) == [.name: p, .phone: p])
        #expect(throws: StoreError.self) { try ProvenanceCoding.decode("hrss@2026-13-01", resident: id, fields: values.keys) }
    }
}
