import Foundation

/// A row accepted from a department file: the resident it is about and the values it states.
public struct ParsedRow: Sendable, Equatable {
    public var id: ResidentID
    public var values: [ResidentField: String]
    public var line: Int
    public init(id: ResidentID, values: [ResidentField: String], line: Int) { self.id = id; self.values = values; self.line = line }
}

/// A row rejected from a department file, with where and why.
public struct RowRejection: Sendable, Equatable, Error {
    public var line: Int
    /// The heading of the column at fault, or nil for the whole row.
    public var column: String?
    public var reason: String
    /// The row as it was read, to be written to the rejects file.
    public var raw: [String]

    public init(line: Int, column: String?, reason: String, raw: [String]) {
        self.line = line; self.column = column; self.reason = reason; self.raw = raw
    }
}

/// Interprets the records of one file under one mapping: finds the heading row, then turns
/// each later record into a `ParsedRow` or a `RowRejection`. Pure: no files, no clock.
public struct RowInterpreter {
    public let mapping: ImportMapping
    public private(set) var columns: [Int: ResidentField]?
    public private(set) var heading: [String] = []
    /// Headings in the file that the mapping does not know (ignored, listed in the summary).
    public private(set) var ignoredHeadings: [String] = []
    private var scanned: [[String]] = []
    private var orderedColumns: [(index: Int, field: ResidentField)] = []
    private var idIndex = 0

    public init(mapping: ImportMapping) {
        self.mapping = mapping
    }

    public enum Outcome: Equatable {
        /// A title row or the heading itself.
        case preamble
        /// A totals row or an empty row.
        case skipped
        case row(ParsedRow)
        case rejected(RowRejection)
    }

    static let totalsLabels: [[UInt8]] = ["合计", "总计", "小计", "合  计"].map { Array($0.utf8) }

    /// A totals row's first cell: 合计, 总计, 小计 (compared as bytes: this runs for every row).
    static func isTotalsLabel(_ cell: String) -> Bool {
        let bytes = cell.trimmingSpaces().utf8
        return totalsLabels.contains { bytes.starts(with: $0) }
    }

    /// Rows searched for the heading before giving up.
    public static let headingSearchLimit = 12

    /// The first non-empty row looked at while searching for the heading (for error messages).
    public var firstScannedRow: [String] { scanned.first(where: { $0.contains { !$0.isEmpty } }) ?? [] }

    public mutating func interpret(_ record: CSVRecord, terminated: Bool = true) throws(HeadingError) -> Outcome {
        guard let columns else {
            if let found = mapping.columns(forHeading: record.fields) {
                self.columns = found
                self.heading = record.fields
                self.orderedColumns = found.sorted { $0.key < $1.key }.map { (index: $0.key, field: $0.value) }
                self.idIndex = found.first(where: { $0.value == .id })!.key
                self.ignoredHeadings = record.fields.enumerated()
                    .filter { found[$0.offset] == nil && !$0.element.trimmingSpaces().isEmpty }.map(\.element)
                return .preamble
            }
            scanned.append(record.fields)
            if scanned.count >= RowInterpreter.headingSearchLimit {
                throw HeadingError(found: scanned.first(where: { $0.contains { !$0.isEmpty } }) ?? [], mapping: mapping)
            }
            return .preamble
        }
        let fields = record.fields
        if fields.allSatisfy({ $0.isEmpty || $0.trimmingSpaces().isEmpty }) { return .skipped }
        if let first = fields.first(where: { !$0.isEmpty && !$0.trimmingSpaces().isEmpty }), RowInterpreter.isTotalsLabel(first) {
            return .skipped
        }
        if !terminated && fields.count < heading.count {
            return .rejected(RowRejection(line: record.line, column: nil,
                reason: "the file ends in the middle of this row (\(fields.count) of \(heading.count) columns): the file was cut off; export it again", raw: fields))
        }
        if fields.count < heading.count {
            return .rejected(RowRejection(line: record.line, column: nil,
                reason: "the row has \(fields.count) columns but the heading has \(heading.count); a cell may hold an unquoted line break or comma", raw: fields))
        }
        let idText = fields[idIndex]
        let idColumn: String? = heading[idIndex]
        let id: ResidentID
        do { id = try ResidentID(idText) } catch {
            return .rejected(RowRejection(line: record.line, column: idColumn, reason: error.description, raw: fields))
        }
        var values: [ResidentField: String] = [:]
        values.reserveCapacity(columns.count)
        for (index, field) in orderedColumns {
            if field == .id { continue }
            let cell = fields[index]
            do {
                if let v = try FieldNormaliser.normalise(field, cell) { values[field] = v }
            } catch {
                return .rejected(RowRejection(line: record.line, column: heading[index], reason: error.description, raw: fields))
            }
        }
        for f in mapping.required where f != .id && values[f] == nil {
            let col = columns.first(where: { $0.value == f }).map { heading[$0.key] }
            return .rejected(RowRejection(line: record.line, column: col, reason: "required value is empty", raw: fields))
        }
        // Cross-check what the row says with what the ID says.
        if let sex = values[.sex], sex != id.sex.rawValue {
            let col = columns.first(where: { $0.value == .sex }).map { heading[$0.key] }
            return .rejected(RowRejection(line: record.line, column: col,
                reason: "sex is \(Sex(rawValue: sex)!.chinese) but the ID \(id.masked) says \(id.sex.chinese); one of them is wrong", raw: fields))
        }
        if let birth = values[.birthDate], birth != id.birthDate.description {
            let col = columns.first(where: { $0.value == .birthDate }).map { heading[$0.key] }
            return .rejected(RowRejection(line: record.line, column: col,
                reason: "birth date is \(birth) but the ID says \(id.birthDate); one of them is wrong", raw: fields))
        }
        if let certificate = values[.disabilityCertificate], !certificate.hasPrefix(id.value) {
            let col = columns.first(where: { $0.value == .disabilityCertificate }).map { heading[$0.key] }
            return .rejected(RowRejection(line: record.line, column: col,
                reason: "the disability certificate number does not start with the holder's ID", raw: fields))
        }
        return .row(ParsedRow(id: id, values: values, line: record.line))
    }
}

/// The file's headings do not match the mapping.
public struct HeadingError: Error, Equatable, Sendable, CustomStringConvertible {
    public var found: [String]
    public var mapping: ImportMapping
    public init(found: [String], mapping: ImportMapping) { self.found = found; self.mapping = mapping }
    public var description: String {
        "no heading row for source '\(mapping.source)' in the first \(RowInterpreter.headingSearchLimit) rows. "
        + "Headings found: \(found.filter { !$0.isEmpty }.joined(separator: ", ")). "
        + "Expected the ID heading and others from the mapping: \(mapping.expectedHeadings.joined(separator: ", ")). "
        + "Check --source, or pass --mapping FILE for this export."
    }
}
