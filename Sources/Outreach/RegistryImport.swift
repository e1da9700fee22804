import Foundation
import Registry
import Store

/// Imports one department file into the register: decode, interpret, merge, store — in one
/// transaction, streaming, with rejected rows written beside a summary.
public struct RegistryImport {
    public var file: URL
    public var mapping: ImportMapping
    public var asOf: CalendarDate
    public var user: String
    public var dryRun: Bool
    /// Where `rejects.csv` and `summary.json` go (created if needed).
    public var reportDirectory: URL

    public init(file: URL, mapping: ImportMapping, asOf: CalendarDate, user: String, dryRun: Bool, reportDirectory: URL) {
        self.file = file; self.mapping = mapping; self.asOf = asOf; self.user = user; self.dryRun = dryRun
        self.reportDirectory = reportDirectory
    }

    /// What an import did.
    public struct Report: Sendable, Codable {
        public var source: String
        public var file: String
        public var encoding: String
        public var asOf: String
        public var dryRun: Bool
        public var counts: ImportCounts
        /// Conflicts found again that were already on record.
        public var knownConflicts: Int
        /// Empty and totals rows skipped.
        public var skippedRows: Int
        public var ignoredHeadings: [String]
        public var rejectsFile: String?
        public var summaryFile: String
        /// The first rejections (all are in the rejects file).
        public var rejections: [Rejection]
        public var conflicts: [String]

        public struct Rejection: Sendable, Codable {
            public var line: Int
            public var column: String?
            public var reason: String
        }

        /// True when the file changed nothing in the register.
        public var changedNothing: Bool { counts.new == 0 && counts.updated == 0 && counts.conflicts == 0 }
    }

    public func run(into database: CarnationDatabase, now: Date, chunkSize: Int = 1 << 20) throws -> Report {
        guard let handle = FileHandle(forReadingAtPath: file.path) else { throw ImportError.cannotRead(file.path) }
        defer { try? handle.close() }
        try FileManager.default.createDirectory(at: reportDirectory, withIntermediateDirectories: true)
        let rejectsURL = reportDirectory.appendingPathComponent("rejects.csv")
        let summaryURL = reportDirectory.appendingPathComponent("summary.json")
        let rejects = RejectsWriter(url: rejectsURL)
        let provenance = Provenance(source: mapping.source, asOf: asOf)

        let fileName = file.lastPathComponent
        let (report, _) = try database.importing(source: mapping.source, file: fileName, user: user, asOf: asOf, now: now, dryRun: dryRun) { (session: ImportSession) throws -> (Report, ImportRecord) in
            // Two threads: this one (the database's) writes; a second reads, decodes, parses and checks.
            let pass = ImportPass(mapping: mapping, provenance: provenance, rejects: rejects, fileName: fileName,
                                  existing: try session.existingKeys())
            let queue = BatchQueue<ImportPass.Batch>(capacity: 8)
            let path = file.path
            let readSize = chunkSize
            let reader = Thread {
                do {
                    while true {
                        let chunk: Data
                        do { chunk = try handle.read(upToCount: readSize) ?? Data() } catch { throw ImportError.cannotRead("\(path): \(error)") }
                        if chunk.isEmpty { break }
                        try pass.feed([UInt8](chunk), into: queue)
                    }
                    try pass.finish(into: queue)
                    queue.close(error: nil)
                } catch {
                    queue.close(error: error)
                }
            }
            reader.stackSize = 8 << 20
            reader.start()
            let writer = ImportWriter(session: session)
            do {
                while let batch = try queue.take() { try writer.apply(batch) }
            } catch {
                queue.cancel()
                queue.waitUntilReaderDone()
                throw error
            }
            queue.waitUntilReaderDone()
            try rejects.close()
            var counts = writer.counts
            counts.rejected = pass.rejected
            let report = Report(source: mapping.source, file: file.path, encoding: pass.transcoder.encoding?.rawValue ?? "ASCII",
                                asOf: asOf.description, dryRun: dryRun, counts: counts, knownConflicts: writer.knownConflicts, skippedRows: pass.skipped,
                                ignoredHeadings: pass.interpreter.ignoredHeadings,
                                rejectsFile: counts.rejected > 0 ? rejectsURL.path : nil, summaryFile: summaryURL.path,
                                rejections: pass.firstRejections, conflicts: writer.conflictSamples)
            return (report, ImportRecord(source: mapping.source, file: fileName, encoding: report.encoding, asOf: asOf, user: user, counts: counts))
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        try encoder.encode(report).write(to: summaryURL, options: .atomic)
        if report.counts.rejected == 0 { try? FileManager.default.removeItem(at: rejectsURL) }
        return report
    }
}

/// The reading side of an import: decode, parse, interpret, reject, spot duplicates, and merge
/// rows about residents not yet in the register. Runs on its own thread; hands batches to the writer.
final class ImportPass: @unchecked Sendable {
    /// What the writer must do for a run of accepted rows. Each resident appears once in a file
    /// (repeats are rejected), so inserts and merges of one batch may be applied in any order.
    struct Batch: Sendable {
        /// Residents not yet in the register: every value is new.
        var inserts = PackedResidents(reservingBytes: ImportPass.batchSize * 128)
        /// Residents already in the register: the writer reads, merges and updates.
        var merges: [ParsedRow] = []
        var count: Int { inserts.count + merges.count }
    }

    let mapping: ImportMapping
    let provenance: Provenance
    let rejects: RejectsWriter
    let fileName: String
    let existing: Set<Int64>
    var transcoder = UTF8Transcoder()
    var reader = CSVReader()
    var interpreter: RowInterpreter
    var rejected = 0
    var skipped = 0
    var firstRejections: [RegistryImport.Report.Rejection] = []
    /// IDs seen in this file: line and a hash of the values, to report duplicate rows.
    let seen: SeenKeys
    private var batch = Batch()
    static let batchSize = 2048

    init(mapping: ImportMapping, provenance: Provenance, rejects: RejectsWriter, fileName: String, existing: Set<Int64>) {
        self.mapping = mapping
        self.provenance = provenance
        self.rejects = rejects
        self.fileName = fileName
        self.existing = existing
        self.interpreter = RowInterpreter(mapping: mapping)
        self.seen = SeenKeys(expected: existing.count)
    }

    func feed(_ bytes: [UInt8], into queue: BatchQueue<Batch>) throws {
        let text: [UInt8]
        do { text = try transcoder.transcode(bytes) } catch { throw ImportError.decoding(file: fileName, line: 0, error) }
        try parse(text, into: queue)
    }

    private func parse(_ text: [UInt8], into queue: BatchQueue<Batch>) throws {
        // Records are handled as they are parsed, so the reader can reuse each record's storage.
        try reader.consume(text) { record in
            try process(record, terminated: true)
            if batch.count >= ImportPass.batchSize { try flush(queue) }
        }
    }

    private func flush(_ queue: BatchQueue<Batch>) throws {
        guard batch.count > 0 else { return }
        guard queue.put(batch) else { throw CancellationError() }
        batch = Batch()
    }

    func finish(into queue: BatchQueue<Batch>) throws {
        let tail: [UInt8]
        do { tail = try transcoder.finish() } catch { throw ImportError.decoding(file: fileName, line: 0, error) }
        try parse(tail, into: queue)
        let last: CSVRecord?
        do { last = try reader.finish() } catch {
            last = nil
            try reject(RowRejection(line: error.line, column: nil, reason: error.description, raw: []))
        }
        if let last { try process(last, terminated: false) }
        if interpreter.columns == nil {
            throw ImportError.headings(file: fileName, HeadingError(found: interpreter.firstScannedRow, mapping: mapping))
        }
        try flush(queue)
    }

    private func reject(_ r: RowRejection) throws {
        rejected += 1
        if firstRejections.count < 50 { firstRejections.append(.init(line: r.line, column: r.column, reason: r.reason)) }
        try rejects.write(r, heading: interpreter.heading)
    }

    /// FNV-1a over the row's cells: tells an identical duplicate row from a contradicting one.
    static func fingerprint(_ cells: [String]) -> Int {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for cell in cells {
            for b in cell.utf8 { h = (h ^ UInt64(b)) &* 0x100_0000_01b3 }
            h = (h ^ 0x1F) &* 0x100_0000_01b3
        }
        return Int(truncatingIfNeeded: h)
    }

    private func process(_ record: CSVRecord, terminated: Bool) throws {
        let outcome: RowInterpreter.Outcome
        do { outcome = try interpreter.interpret(record, terminated: terminated) } catch { throw ImportError.headings(file: fileName, error) }
        switch outcome {
        case .preamble: return
        case .skipped: skipped += 1
        case let .rejected(r): try reject(r)
        case let .row(row): try accept(row, raw: record.fields)
        }
    }

    private func accept(_ row: ParsedRow, raw: [String]) throws {
        let h = ImportPass.fingerprint(raw)
        let key = row.id.key
        if let previous = seen.firstSeen(key, line: row.line, fingerprint: h) {
            let what = previous.sameFingerprint ? "a duplicate of line \(previous.line)" : "the same ID as line \(previous.line) with different values; the file contradicts itself"
            let idColumn = interpreter.heading.first { mapping.headings[ImportMapping.normaliseHeading($0)] == .id }
            try reject(RowRejection(line: row.line, column: idColumn, reason: "this row is \(what); only line \(previous.line) was used", raw: raw))
            return
        }
        if !existing.isEmpty && existing.contains(key) {
            batch.merges.append(row)
        } else {
            batch.inserts.append(row)
        }
    }
}

/// The writing side of an import: applies operations inside the import's transaction and counts.
final class ImportWriter {
    let session: ImportSession
    let provenance: Provenance
    var counts = ImportCounts()
    var knownConflicts = 0
    var conflictSamples: [String] = []

    init(session: ImportSession) {
        self.session = session
        self.provenance = session.provenance
    }

    func apply(_ batch: ImportPass.Batch) throws {
        try session.insertNew(batch.inserts)
        counts.new += batch.inserts.count
        for row in batch.merges { try merge(row) }
    }

    private func merge(_ row: ParsedRow) throws {
        let result = RegistryMerge.merge(row, into: try session.existing(row.id), from: provenance)
        switch result.change {
        case .new: try session.insert(result.resident); counts.new += 1
        case let .updated(fields): try session.update(result.resident, changed: fields); counts.updated += 1
        case .unchanged: counts.unchanged += 1
        }
        for c in result.conflicts {
            if try session.record(c) {
                counts.conflicts += 1
                if conflictSamples.count < 20 {
                    conflictSamples.append("line \(row.line): \(c.id.masked) \(c.field.rawValue): kept \(c.keptFrom.source)'s value; \(c.offeredFrom.source) says otherwise for the same date \(c.offeredFrom.asOf)")
                }
            } else { knownConflicts += 1 }
        }
    }
}

/// A bounded hand-over of batches from one reading thread to one writing thread.
final class BatchQueue<Batch>: @unchecked Sendable {
    private let condition = NSCondition()
    private var items: [Batch] = []
    private let capacity: Int
    private var closed = false
    private var cancelled = false
    private var failure: Error?
    private var readerDone = false

    init(capacity: Int) { self.capacity = capacity }

    /// Blocks while full; false if the writer gave up.
    func put(_ batch: Batch) -> Bool {
        condition.lock(); defer { condition.unlock() }
        while items.count >= capacity && !cancelled { condition.wait() }
        if cancelled { return false }
        items.append(batch)
        condition.broadcast()
        return true
    }

    /// The reader is done (with an error if it failed).
    func close(error: Error?) {
        condition.lock(); defer { condition.unlock() }
        closed = true
        readerDone = true
        failure = error
        condition.broadcast()
    }

    /// The next batch; nil at the end; rethrows the reader's error.
    func take() throws -> Batch? {
        condition.lock(); defer { condition.unlock() }
        while items.isEmpty && !closed { condition.wait() }
        if !items.isEmpty {
            let b = items.removeFirst()
            condition.broadcast()
            return b
        }
        if let failure { throw failure }
        return nil
    }

    func cancel() {
        condition.lock(); defer { condition.unlock() }
        cancelled = true
        condition.broadcast()
    }

    func waitUntilReaderDone() {
        condition.lock(); defer { condition.unlock() }
        while !readerDone { condition.wait() }
    }
}

/// Writes rejected rows as CSV (UTF-8 with BOM, so that Excel opens it): line, column, reason, then the row.
final class RejectsWriter {
    let url: URL
    private var handle: FileHandle?
    private var buffer = Data()

    init(url: URL) { self.url = url }

    func write(_ r: RowRejection, heading: [String]) throws {
        if handle == nil {
            guard FileManager.default.createFile(atPath: url.path, contents: Data([0xEF, 0xBB, 0xBF])) else { throw ImportError.cannotWrite(url.path) }
            handle = FileHandle(forWritingAtPath: url.path)
            handle?.seekToEndOfFile()
            buffer.append(contentsOf: CSVWriter.line(["行号", "列", "原因"] + heading).utf8)
        }
        buffer.append(contentsOf: CSVWriter.line([String(r.line), r.column ?? "", r.reason] + r.raw).utf8)
        if buffer.count > 1 << 16 { try flush() }
    }

    private func flush() throws {
        try handle?.write(contentsOf: buffer)
        buffer.removeAll(keepingCapacity: true)
    }

    func close() throws {
        try flush()
        try handle?.close()
        handle = nil
    }
}

/// Why a whole file could not be imported (nothing from it was kept).
public enum ImportError: Error, CustomStringConvertible {
    case cannotRead(String)
    case cannotWrite(String)
    case decoding(file: String, line: Int, DecodingFailure)
    case headings(file: String, HeadingError)

    public var description: String {
        switch self {
        case let .cannotRead(path): return "cannot read \(path): check the path and permissions"
        case let .cannotWrite(path): return "cannot write \(path): check that the directory is writable"
        case let .decoding(file, _, e): return "\(file): \(e.description). Nothing was imported."
        case let .headings(file, e): return "\(file): \(e.description) Nothing was imported."
        }
    }
}
