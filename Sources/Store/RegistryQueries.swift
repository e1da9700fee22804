import Foundation
import GRDB
import Registry

extension CarnationDatabase {
    static let residentColumns = (["key"] + ResidentField.mergeable.map(\.rawValue) + ["provenance"]).joined(separator: ", ")

    static func resident(from row: Row) throws -> StoredResident {
        let key: Int64 = row["key"]
        guard let id = ResidentID(key: key) else { throw StoreError.corrupt(resident: "key \(key)", detail: "the key is not the 17 digits of a resident ID") }
        var values: [ResidentField: String] = [:]
        for f in ResidentField.mergeable {
            if let s = row[f.rawValue] as String? { values[f] = s }
        }
        let provenance = try ProvenanceCoding.decode(row["provenance"] as String? ?? "{}", resident: id, fields: values.keys)
        return StoredResident(id: id, values: values, provenance: provenance)
    }

    /// One resident, or nil.
    public func resident(_ id: ResidentID) throws -> StoredResident? {
        try writer.read { db in
            try Row.fetchOne(db, sql: "SELECT \(CarnationDatabase.residentColumns) FROM resident WHERE key = ?", arguments: [id.key])
                .map(CarnationDatabase.resident(from:))
        }
    }

    /// Residents matching `filter` (within `scope`, if given), ordered by area then ID.
    public func residents(matching filter: ResidentFilter, scope: [AreaPrefix]?, on date: CalendarDate, rules: RegistryRules, limit: Int?) throws -> [StoredResident] {
        let (whereSQL, args) = CarnationDatabase.compile(filter, scope: scope, on: date, rules: rules)
        var sql = "SELECT \(CarnationDatabase.residentColumns) FROM resident WHERE \(whereSQL) ORDER BY area_code, key"
        var arguments = args
        if let limit { sql += " LIMIT ?"; arguments += [limit] }
        return try writer.read { db in
            try Row.fetchAll(db, sql: sql, arguments: arguments).map(CarnationDatabase.resident(from:))
        }
    }

    /// Counts residents matching `filter`.
    public func countResidents(matching filter: ResidentFilter, scope: [AreaPrefix]?, on date: CalendarDate, rules: RegistryRules) throws -> Int {
        let (whereSQL, args) = CarnationDatabase.compile(filter, scope: scope, on: date, rules: rules)
        return try writer.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM resident WHERE \(whereSQL)", arguments: args) ?? 0 }
    }

    /// Visits every resident in scope once, in a single read, without loading them all at once.
    public func forEachResident(scope: [AreaPrefix]?, _ body: (StoredResident) throws -> Void) throws {
        // A user with no areas sees no one (nil, not an empty list, means everywhere).
        if let scope, scope.isEmpty { return }
        var filter = ResidentFilter()
        filter.areaPrefixes = scope ?? []
        let (whereSQL, args) = CarnationDatabase.compile(filter, scope: nil, on: CalendarDate(year: 2000, month: 1, day: 1)!, rules: RegistryRules(elderlyAge: 80))
        try writer.read { db in
            let cursor = try Row.fetchCursor(db, sql: "SELECT \(CarnationDatabase.residentColumns) FROM resident WHERE \(whereSQL)", arguments: args)
            while let row = try cursor.next() { try body(try CarnationDatabase.resident(from: row)) }
        }
    }

    /// Compiles a filter to a parameterised WHERE clause. Values never enter the SQL text.
    static func compile(_ f: ResidentFilter, scope: [AreaPrefix]?, on date: CalendarDate, rules: RegistryRules) -> (String, StatementArguments) {
        var clauses: [String] = ["1"]
        var args: [(any DatabaseValueConvertible)?] = []
        func prefixes(_ list: [AreaPrefix]) {
            guard !list.isEmpty else { return }
            clauses.append("(" + list.map { _ in "substr(area_code, 1, ?) = ?" }.joined(separator: " OR ") + ")")
            for p in list { args.append(p.value.count); args.append(p.value) }
        }
        if let scope { if scope.isEmpty { clauses.append("0") } else { prefixes(scope) } }
        prefixes(f.areaPrefixes)
        for c in f.categories {
            switch c {
            case .elderly:
                clauses.append("substr(key, 7, 8) <= ?"); args.append(compact(CalendarDate.yearsBefore(date, rules.elderlyAge)))
            case .disabled: clauses.append("disability_type IS NOT NULL")
            case .emptyNest: clauses.append("living_arrangement IN ('alone', 'spouse_only')")
            case .bedridden: clauses.append("bedridden = '1'")
            case .incapacitated: clauses.append("incapacity_level IS NOT NULL")
            case .minimumLiving, .extremePoverty, .povertyMonitoring:
                clauses.append("(',' || assistance || ',') LIKE ?"); args.append("%,\(c.rawValue),%")
            }
        }
        let (earliest, latest) = f.birthBounds(on: date)
        // The birth date is always in the ID (characters 7–14 of the key, cross-checked on import).
        if let latest { clauses.append("substr(key, 7, 8) <= ?"); args.append(compact(latest)) }
        if let earliest { clauses.append("substr(key, 7, 8) >= ?"); args.append(compact(earliest)) }
        if !f.pension.isEmpty {
            clauses.append("pension_scheme IN (" + f.pension.map { _ in "?" }.joined(separator: ", ") + ")")
            args += f.pension.map(\.rawValue)
        }
        if !f.life.isEmpty {
            let parts = f.life.map { l -> String in
                switch l {
                case .alive: return "(death_date IS NULL AND move_out_date IS NULL)"
                case .deceased: return "death_date IS NOT NULL"
                case .movedOut: return "(death_date IS NULL AND move_out_date IS NOT NULL)"
                }
            }
            clauses.append("(" + parts.joined(separator: " OR ") + ")")
        }
        if let n = f.nameContains, !n.isEmpty { clauses.append("instr(name, ?) > 0"); args.append(n) }
        return (clauses.joined(separator: " AND "), StatementArguments(args))
    }

    static func compact(_ d: CalendarDate) -> String { d.description.replacingOccurrences(of: "-", with: "") }

    /// Names of known areas (townships, villages), by code.
    public func areaNames() throws -> [String: String] {
        try writer.read { db in
            var out: [String: String] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT code, name FROM area") { out[row["code"]] = row["name"] }
            return out
        }
    }

    /// Stores area names and centres (from the demo county or an area list).
    public func saveAreas(_ areas: [(code: String, name: String, latitude: Double?, longitude: Double?)]) throws {
        try writer.write { db in
            for a in areas {
                try db.execute(sql: "INSERT INTO area (code, name, latitude, longitude) VALUES (?, ?, ?, ?) ON CONFLICT(code) DO UPDATE SET name = excluded.name, latitude = excluded.latitude, longitude = excluded.longitude",
                               arguments: [a.code, a.name, a.latitude, a.longitude])
            }
        }
    }

    /// Conflicts not yet resolved, newest first.
    public func openConflicts(limit: Int) throws -> [FieldConflict] {
        try writer.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM field_conflict WHERE resolved = 0 ORDER BY id DESC LIMIT ?", arguments: [limit]).compactMap { row in
                guard let id = try? ResidentID(row["resident_id"] as String), let field = ResidentField(rawValue: row["field"]),
                      let keptAsOf = CalendarDate(parsing: row["kept_as_of"]), let offeredAsOf = CalendarDate(parsing: row["offered_as_of"]) else { return nil }
                return FieldConflict(id: id, field: field, kept: row["kept"], keptFrom: Provenance(source: row["kept_source"], asOf: keptAsOf),
                                     offered: row["offered"], offeredFrom: Provenance(source: row["offered_source"], asOf: offeredAsOf))
            }
        }
    }

    public var residentCount: Int {
        get throws { try writer.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM resident") ?? 0 } }
    }
}
