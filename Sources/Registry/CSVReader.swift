import Foundation

/// One record of a CSV file: its fields and the physical line it starts on (1-based).
public struct CSVRecord: Sendable, Equatable {
    public var fields: [String]
    public var line: Int
    public init(fields: [String], line: Int) { self.fields = fields; self.line = line }
}

/// An incremental CSV parser over UTF-8 bytes, as Excel writes CSV.
///
/// Fields are separated by commas; a field in double quotes may hold commas, newlines and
/// doubled quotes; lines end with LF, CRLF or CR. Feed chunks with `consume`; call `finish`
/// at the end of the file, which reports a file cut off inside a quoted field.
public struct CSVReader {
    private var field: [UInt8] = []
    private var fields: [String] = []
    private var inQuotes = false
    private var quoteJustClosed = false
    private var afterCR = false
    private var fieldStarted = false
    private var line = 1
    private var recordLine = 1
    /// Whether the last record ended with a newline (false: the file ends mid-line).
    public private(set) var lastRecordTerminated = true

    public init() { field.reserveCapacity(64) }

    /// Parses the bytes and calls `emit` for each complete record.
    public mutating func consume(_ bytes: [UInt8], emit: (CSVRecord) throws -> Void) rethrows {
        try bytes.withUnsafeBufferPointer { buf in
            for b in buf {
                if afterCR {
                    afterCR = false
                    if b == 0x0A { continue }
                }
                if inQuotes {
                    if b == 0x22 { inQuotes = false; quoteJustClosed = true; continue }
                    if b == 0x0A { line += 1 }
                    field.append(b)
                    continue
                }
                switch b {
                case 0x22: // "
                    if quoteJustClosed { field.append(0x22); inQuotes = true; quoteJustClosed = false }
                    else if !fieldStarted { inQuotes = true; fieldStarted = true }
                    else { field.append(b) }  // stray quote inside an unquoted field: keep it
                case 0x2C: // ,
                    endField()
                case 0x0A, 0x0D:
                    if b == 0x0D { afterCR = true }
                    endField()
                    let record = CSVRecord(fields: fields, line: recordLine)
                    fields.removeAll(keepingCapacity: true)
                    line += 1
                    recordLine = line
                    try emit(record)
                default:
                    quoteJustClosed = false
                    fieldStarted = true
                    field.append(b)
                }
            }
        }
    }

    private mutating func endField() {
        fields.append(String(decoding: field, as: UTF8.self))
        field.removeAll(keepingCapacity: true)
        inQuotes = false
        quoteJustClosed = false
        fieldStarted = false
    }

    /// Ends the input. Returns the last record if the file did not end with a newline.
    public mutating func finish() throws(CSVError) -> CSVRecord? {
        if inQuotes {
            throw .unterminatedQuote(line: recordLine)
        }
        if fieldStarted || !fields.isEmpty || !field.isEmpty {
            endField()
            lastRecordTerminated = false
            let record = CSVRecord(fields: fields, line: recordLine)
            fields = []
            return record
        }
        return nil
    }
}

public enum CSVError: Error, Equatable, Sendable, CustomStringConvertible {
    case unterminatedQuote(line: Int)
    public var line: Int { switch self { case let .unterminatedQuote(line): return line } }
    public var description: String {
        switch self {
        case let .unterminatedQuote(line):
            return "line \(line): a quoted field is never closed before the end of the file; the file was cut off mid-row: export it again"
        }
    }
}

/// Writes CSV the way Excel does (quotes only where needed, CRLF line ends).
public enum CSVWriter {
    public static func line(_ fields: [String]) -> String {
        fields.map { f in
            if f.utf8.contains(where: { $0 == 0x2C || $0 == 0x22 || $0 == 0x0A || $0 == 0x0D }) {
                return "\"" + f.replacingOccurrences(of: "\"", with: "\"\"") + "\""
            }
            return f
        }.joined(separator: ",") + "\r\n"
    }
}

