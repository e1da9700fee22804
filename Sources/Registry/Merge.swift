/// Where a stored value came from: the department and the date its data was true.
public struct Provenance: Sendable, Equatable, Hashable {
    public var source: String
    public var asOf: CalendarDate
    public init(source: String, asOf: CalendarDate) { self.source = source; self.asOf = asOf }
}

/// A resident as stored: field values with the provenance of each.
public struct StoredResident: Sendable, Equatable {
    public var id: ResidentID
    public var values: [ResidentField: String]
    public var provenance: [ResidentField: Provenance]
    public init(id: ResidentID, values: [ResidentField: String], provenance: [ResidentField: Provenance]) {
        self.id = id; self.values = values; self.provenance = provenance
    }
}

/// Two sources that state different values for the same field on the same date.
public struct FieldConflict: Sendable, Equatable {
    public var id: ResidentID
    public var field: ResidentField
    public var kept: String
    public var keptFrom: Provenance
    public var offered: String
    public var offeredFrom: Provenance
    public init(id: ResidentID, field: ResidentField, kept: String, keptFrom: Provenance, offered: String, offeredFrom: Provenance) {
        self.id = id; self.field = field; self.kept = kept; self.keptFrom = keptFrom; self.offered = offered; self.offeredFrom = offeredFrom
    }
}

/// The result of merging one row into the register.
public struct MergeResult: Sendable, Equatable {
    public enum Change: Sendable, Equatable { case new, updated([ResidentField]), unchanged }
    public var resident: StoredResident
    public var change: Change
    public var conflicts: [FieldConflict]
}

/// Merge rules (pure): per field, a newer as-of date wins; an older one is ignored; the same
/// date from another source with another value is a conflict and the stored value stays; the same
/// source on the same date corrects itself.
public enum RegistryMerge {
    public static func merge(_ row: ParsedRow, into existing: StoredResident?, from provenance: Provenance) -> MergeResult {
        guard var resident = existing else {
            let p = row.values.mapValues { _ in provenance }
            return MergeResult(resident: StoredResident(id: row.id, values: row.values, provenance: p), change: .new, conflicts: [])
        }
        var changed: [ResidentField] = []
        var conflicts: [FieldConflict] = []
        for (field, value) in row.values.sorted(by: { $0.key < $1.key }) {
            guard let old = resident.values[field] else {
                resident.values[field] = value
                resident.provenance[field] = provenance
                changed.append(field)
                continue
            }
            if old == value { continue }
            let oldProvenance = resident.provenance[field] ?? Provenance(source: "unknown", asOf: CalendarDate(year: 1900, month: 1, day: 1)!)
            if provenance.asOf > oldProvenance.asOf || (provenance.asOf == oldProvenance.asOf && provenance.source == oldProvenance.source) {
                resident.values[field] = value
                resident.provenance[field] = provenance
                changed.append(field)
            } else if provenance.asOf == oldProvenance.asOf {
                conflicts.append(FieldConflict(id: row.id, field: field, kept: old, keptFrom: oldProvenance, offered: value, offeredFrom: provenance))
            }
        }
        return MergeResult(resident: resident, change: changed.isEmpty ? .unchanged : .updated(changed), conflicts: conflicts)
    }
}

/// Counts an import reports: exactly these keys in `--json`.
public struct ImportCounts: Sendable, Equatable, Codable {
    public var new = 0
    public var updated = 0
    public var unchanged = 0
    public var conflicts = 0
    public var rejected = 0
    public init() {}
}
