import Foundation
import GRDB

/// One entry of the audit log: who read or exported what, when.
public struct AuditEntry: Sendable, Codable, Equatable {
    public var at: String
    public var user: String
    public var action: String
    public var subject: String
    public var detail: String
}

/// The append-only audit log of unmasked reads, exports and imports.
public enum AuditLog {
    static func append(_ db: Database, at: String, user: String, action: String, subject: String, detail: String) throws {
        try db.execute(sql: "INSERT INTO audit_log (at, user, action, subject, detail) VALUES (?, ?, ?, ?, ?)",
                       arguments: [at, user, action, subject, detail])
    }
}

extension CarnationDatabase {
    /// Records that `user` did `action` on `subject` (never the unmasked data itself).
    public func audit(user: String, action: String, subject: String, detail: String = "", now: Date) throws {
        try writer.write { db in
            try AuditLog.append(db, at: storeTimestamp(now), user: user, action: action, subject: subject, detail: detail)
        }
    }

    /// The most recent audit entries, newest first.
    public func auditEntries(limit: Int) throws -> [AuditEntry] {
        try writer.read { db in
            try Row.fetchAll(db, sql: "SELECT at, user, action, subject, detail FROM audit_log ORDER BY id DESC LIMIT ?", arguments: [limit])
                .map { AuditEntry(at: $0["at"], user: $0["user"], action: $0["action"], subject: $0["subject"], detail: $0["detail"]) }
        }
    }
}
