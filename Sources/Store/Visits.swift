import Foundation
import GRDB
import Registry

/// Where a planned visit stands: planned, or what happened at the door.
public enum VisitStatus: String, Sendable, CaseIterable, Codable {
    case planned
    case done
    case notHome = "not-home"
    case refused
    case moved
    case deceased
    case enrolled
    case certified
    case claimed

    /// Whether the visit's purpose was met (the need it served is satisfied).
    public var metNeed: Bool { [.done, .enrolled, .certified, .claimed].contains(self) }

    public var chinese: String {
        switch self {
        case .planned: return "待上门"
        case .done: return "已上门"
        case .notHome: return "无人在家"
        case .refused: return "拒绝"
        case .moved: return "已迁出"
        case .deceased: return "已故"
        case .enrolled: return "已参保"
        case .certified: return "已认证"
        case .claimed: return "已申领"
        }
    }
}

/// One stop of a saved plan: a resident to see on a date, by a team, for one reason.
public struct VisitRecord: Sendable, Equatable, Codable {
    /// Assigned by the store (0 before saving).
    public var id: Int64
    public var date: CalendarDate
    public var team: String
    /// Position of the stop in the team's day (household members share it).
    public var stop: Int
    public var residentID: String
    public var household: String?
    /// The visit rule (content/visit-rules.yaml) or "follow-up".
    public var rule: String
    public var kind: String
    /// Minutes since midnight.
    public var arrival: Int
    public var start: Int
    public var end: Int
    public var due: CalendarDate?
    public var reason: String
    public var status: VisitStatus
    public var note: String?
    public var followUp: Int64?

    public init(id: Int64 = 0, date: CalendarDate, team: String, stop: Int, residentID: String, household: String?, rule: String, kind: String,
                arrival: Int, start: Int, end: Int, due: CalendarDate?, reason: String, status: VisitStatus = .planned,
                note: String? = nil, followUp: Int64? = nil) {
        self.id = id; self.date = date; self.team = team; self.stop = stop; self.residentID = residentID; self.household = household
        self.rule = rule; self.kind = kind; self.arrival = arrival; self.start = start; self.end = end; self.due = due
        self.reason = reason; self.status = status; self.note = note; self.followUp = followUp
    }
}

/// A visit asked for elsewhere: an SMS not delivered, a resident who asked to be called on, nobody at home.
public struct FollowUp: Sendable, Equatable, Codable {
    public var id: Int64
    public var residentID: String
    /// Where it came from: "visit", "sms", "voice", "request".
    public var source: String
    /// Why, in plain Chinese for the team.
    public var reason: String
    public var created: CalendarDate
    public var due: CalendarDate
    /// Minutes since midnight when someone is home (nil: any time).
    public var windowStart: Int?
    public var windowEnd: Int?
    public var closed: Bool

    public init(id: Int64 = 0, residentID: String, source: String, reason: String, created: CalendarDate, due: CalendarDate,
                windowStart: Int? = nil, windowEnd: Int? = nil, closed: Bool = false) {
        self.id = id; self.residentID = residentID; self.source = source; self.reason = reason; self.created = created
        self.due = due; self.windowStart = windowStart; self.windowEnd = windowEnd; self.closed = closed
    }
}

/// When someone is at home to open the door (a caregiver only home in the mornings), minutes since midnight.
public struct Availability: Sendable, Equatable, Codable {
    public var residentID: String
    public var start: Int
    public var end: Int
    public var note: String?
    public init(residentID: String, start: Int, end: Int, note: String? = nil) {
        self.residentID = residentID; self.start = start; self.end = end; self.note = note
    }
}

/// The latest date a resident's visit of one kind ended with one status.
public struct VisitOutcomeFact: Sendable, Equatable {
    public var residentID: String
    public var kind: String
    public var status: VisitStatus
    public var last: CalendarDate
    public init(residentID: String, kind: String, status: VisitStatus, last: CalendarDate) {
        self.residentID = residentID; self.kind = kind; self.status = status; self.last = last
    }
}

/// Register fields a visit may change, and only these.
public enum VisitFinding: Sendable, Equatable {
    case deceased(on: CalendarDate)
    case movedOut(on: CalendarDate)
    case certified(on: CalendarDate)
    case pension(PensionScheme)

    var field: ResidentField {
        switch self {
        case .deceased: return .deathDate
        case .movedOut: return .moveOutDate
        case .certified: return .lastCertification
        case .pension: return .pensionScheme
        }
    }

    var value: String {
        switch self {
        case let .deceased(d), let .movedOut(d), let .certified(d): return d.description
        case let .pension(p): return p.rawValue
        }
    }
}

extension CarnationDatabase {
    /// Teams, coordinator travel times, follow-ups and saved visits ("v3-visits").
    static func registerVisitMigrations(_ m: inout DatabaseMigrator) {
        m.registerMigration("v3-visits") { db in
            try db.execute(sql: """
                CREATE TABLE team (
                  name TEXT PRIMARY KEY NOT NULL,
                  areas TEXT NOT NULL,
                  members TEXT NOT NULL DEFAULT '[]',
                  base_name TEXT NOT NULL,
                  base_latitude REAL NOT NULL, base_longitude REAL NOT NULL,
                  base_area TEXT,
                  working_days TEXT NOT NULL,
                  day_start INTEGER NOT NULL, day_end INTEGER NOT NULL,
                  break_open INTEGER NOT NULL, break_close INTEGER NOT NULL, break_minutes INTEGER NOT NULL,
                  mode TEXT NOT NULL,
                  max_visits INTEGER NOT NULL
                );
                CREATE TABLE travel_time (
                  mode TEXT NOT NULL, from_area TEXT NOT NULL, to_area TEXT NOT NULL, minutes REAL NOT NULL,
                  PRIMARY KEY (mode, from_area, to_area)
                );
                CREATE TABLE follow_up (
                  id INTEGER PRIMARY KEY,
                  resident_id TEXT NOT NULL,
                  source TEXT NOT NULL,
                  reason TEXT NOT NULL,
                  created TEXT NOT NULL,
                  due TEXT NOT NULL,
                  window_start INTEGER, window_end INTEGER,
                  closed INTEGER NOT NULL DEFAULT 0
                );
                CREATE INDEX follow_up_open ON follow_up(resident_id) WHERE closed = 0;
                CREATE TABLE visit (
                  id INTEGER PRIMARY KEY,
                  date TEXT NOT NULL,
                  team TEXT NOT NULL,
                  stop INTEGER NOT NULL,
                  resident_id TEXT NOT NULL,
                  household TEXT,
                  rule TEXT NOT NULL,
                  kind TEXT NOT NULL,
                  arrival INTEGER NOT NULL, start INTEGER NOT NULL, "end" INTEGER NOT NULL,
                  due TEXT,
                  reason TEXT NOT NULL,
                  status TEXT NOT NULL DEFAULT 'planned',
                  note TEXT,
                  follow_up INTEGER REFERENCES follow_up(id),
                  recorded_at TEXT
                );
                CREATE TABLE resident_availability (
                  resident_id TEXT PRIMARY KEY NOT NULL,
                  window_start INTEGER NOT NULL, window_end INTEGER NOT NULL,
                  note TEXT
                );
                CREATE INDEX visit_day ON visit(date, team);
                CREATE INDEX visit_resident ON visit(resident_id, kind);
                """)
        }
    }

    // MARK: follow-ups

    /// Records a follow-up visit request; returns its id.
    @discardableResult
    public func addFollowUp(_ f: FollowUp) throws -> Int64 {
        try writer.write { db in try CarnationDatabase.insertFollowUp(f, db) }
    }

    static func insertFollowUp(_ f: FollowUp, _ db: Database) throws -> Int64 {
        try db.execute(sql: "INSERT INTO follow_up (resident_id, source, reason, created, due, window_start, window_end, closed) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                       arguments: [f.residentID, f.source, f.reason, f.created.description, f.due.description, f.windowStart, f.windowEnd, f.closed])
        return db.lastInsertedRowID
    }

    /// Follow-ups not yet closed.
    public func openFollowUps() throws -> [FollowUp] {
        try writer.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM follow_up WHERE closed = 0 ORDER BY due, id").compactMap { row in
                guard let created = CalendarDate(parsing: row["created"]), let due = CalendarDate(parsing: row["due"]) else { return nil }
                return FollowUp(id: row["id"], residentID: row["resident_id"], source: row["source"], reason: row["reason"], created: created,
                                due: due, windowStart: row["window_start"], windowEnd: row["window_end"], closed: false)
            }
        }
    }

    // MARK: availability

    /// Sets (or with nil clears) when a resident can be visited.
    public func setAvailability(_ a: Availability?, for residentID: String) throws {
        try writer.write { db in
            try db.execute(sql: "DELETE FROM resident_availability WHERE resident_id = ?", arguments: [residentID])
            if let a {
                try db.execute(sql: "INSERT INTO resident_availability (resident_id, window_start, window_end, note) VALUES (?, ?, ?, ?)",
                               arguments: [residentID, a.start, a.end, a.note])
            }
        }
    }

    /// Every resident's availability, by resident ID.
    public func availability() throws -> [String: Availability] {
        try writer.read { db in
            var out: [String: Availability] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT * FROM resident_availability") {
                let a = Availability(residentID: row["resident_id"], start: row["window_start"], end: row["window_end"], note: row["note"])
                out[a.residentID] = a
            }
            return out
        }
    }

    // MARK: visits

    static func visit(from row: Row) throws -> VisitRecord {
        let id: Int64 = row["id"]
        guard let date = CalendarDate(parsing: row["date"]), let status = VisitStatus(rawValue: row["status"]) else {
            throw StoreError.query("visit \(id) has an unreadable date or status")
        }
        return VisitRecord(id: id, date: date, team: row["team"], stop: row["stop"], residentID: row["resident_id"], household: row["household"],
                           rule: row["rule"], kind: row["kind"], arrival: row["arrival"], start: row["start"], end: row["end"],
                           due: (row["due"] as String?).flatMap(CalendarDate.init(parsing:)), reason: row["reason"], status: status,
                           note: row["note"], followUp: row["follow_up"])
    }

    /// One saved visit.
    public func visit(_ id: Int64) throws -> VisitRecord? {
        try writer.read { db in try Row.fetchOne(db, sql: "SELECT * FROM visit WHERE id = ?", arguments: [id]).map(CarnationDatabase.visit(from:)) }
    }

    /// Saved visits between two dates (inclusive), optionally of one team, in day and stop order.
    public func visits(from: CalendarDate, to: CalendarDate, team: String? = nil) throws -> [VisitRecord] {
        try writer.read { db in
            var sql = "SELECT * FROM visit WHERE date >= ? AND date <= ?"
            var args: [any DatabaseValueConvertible] = [from.description, to.description]
            if let team { sql += " AND team = ?"; args.append(team) }
            sql += " ORDER BY date, team, stop, id"
            return try Row.fetchAll(db, sql: sql, arguments: StatementArguments(args)).map(CarnationDatabase.visit(from:))
        }
    }

    /// Replaces the still-planned visits of `team` on `date` with `visits` (visits with an outcome stay).
    /// Returns the saved visits with their ids.
    @discardableResult
    public func replacePlannedVisits(team: String, date: CalendarDate, with visits: [VisitRecord]) throws -> [VisitRecord] {
        try writer.write { db in
            try db.execute(sql: "DELETE FROM visit WHERE team = ? AND date = ? AND status = 'planned'", arguments: [team, date.description])
            var saved: [VisitRecord] = []
            for var v in visits {
                try db.execute(sql: """
                    INSERT INTO visit (date, team, stop, resident_id, household, rule, kind, arrival, start, "end", due, reason, status, note, follow_up)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """, arguments: [v.date.description, v.team, v.stop, v.residentID, v.household, v.rule, v.kind, v.arrival, v.start, v.end,
                                     v.due?.description, v.reason, v.status.rawValue, v.note, v.followUp])
                v.id = db.lastInsertedRowID
                saved.append(v)
            }
            return saved
        }
    }

    /// The latest date of each (resident, kind, outcome) among recorded visits: what the visit rules need to know.
    public func visitOutcomeFacts() throws -> [VisitOutcomeFact] {
        try writer.read { db in
            try Row.fetchAll(db, sql: "SELECT resident_id, kind, status, max(date) AS last FROM visit WHERE status != 'planned' GROUP BY resident_id, kind, status")
                .compactMap { row in
                    guard let status = VisitStatus(rawValue: row["status"]), let last = CalendarDate(parsing: row["last"]) else { return nil }
                    return VisitOutcomeFact(residentID: row["resident_id"], kind: row["kind"], status: status, last: last)
                }
        }
    }

    /// Records what happened at the door, in one transaction: the visit's status and note, the register fields the
    /// visit established (with provenance "visit" as of the visit date), the follow-up it answered closed, and a new
    /// follow-up if one is needed. Logged in the audit log.
    public func recordVisitOutcome(_ visitID: Int64, status: VisitStatus, note: String?, findings: [VisitFinding],
                                   newFollowUp: FollowUp?, user: String, now: Date) throws {
        guard status != .planned else { throw StoreError.query("an outcome cannot be 'planned'; give done, not-home, refused, moved, deceased, enrolled, certified or claimed") }
        try writer.write { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT * FROM visit WHERE id = ?", arguments: [visitID]) else {
                throw StoreError.query("no visit \(visitID); see `carnation visits list` for the ids")
            }
            let visit = try CarnationDatabase.visit(from: row)
            try db.execute(sql: "UPDATE visit SET status = ?, note = ?, recorded_at = ? WHERE id = ?",
                           arguments: [status.rawValue, note, storeTimestamp(now), visitID])
            let id: ResidentID
            do { id = try ResidentID(visit.residentID) } catch { throw StoreError.corrupt(resident: visit.residentID, detail: "\(error)") }
            try CarnationDatabase.apply(findings, to: id, asOf: visit.date, db, now: now)
            if let f = visit.followUp { try db.execute(sql: "UPDATE follow_up SET closed = 1 WHERE id = ?", arguments: [f]) }
            if let newFollowUp { _ = try CarnationDatabase.insertFollowUp(newFollowUp, db) }
            try AuditLog.append(db, at: storeTimestamp(now), user: user, action: "visit-outcome", subject: id.masked,
                                detail: "visit \(visitID): \(status.rawValue)" + (findings.isEmpty ? "" : "; register: " + findings.map { "\($0.field.rawValue)=\($0.value)" }.joined(separator: ", ")))
        }
    }

    /// Sets register fields a visit established; the provenance of each becomes ("visit", `asOf`).
    /// Death and moving out stop all outreach: open follow-ups and planned visits of the resident are closed.
    public func recordFindings(_ findings: [VisitFinding], for id: ResidentID, asOf: CalendarDate, user: String, now: Date) throws {
        try writer.write { db in
            try CarnationDatabase.apply(findings, to: id, asOf: asOf, db, now: now)
            try AuditLog.append(db, at: storeTimestamp(now), user: user, action: "register-update", subject: id.masked,
                                detail: findings.map { "\($0.field.rawValue)=\($0.value)" }.joined(separator: ", "))
        }
    }

    static func apply(_ findings: [VisitFinding], to id: ResidentID, asOf: CalendarDate, _ db: Database, now: Date) throws {
        guard !findings.isEmpty else { return }
        guard let row = try Row.fetchOne(db, sql: "SELECT \(residentColumns) FROM resident WHERE key = ?", arguments: [id.key]) else {
            throw StoreError.query("resident \(id.masked) is not in the register")
        }
        var r = try resident(from: row)
        for f in findings {
            r.values[f.field] = f.value
            r.provenance[f.field] = Provenance(source: "visit", asOf: asOf)
        }
        let fields = findings.map(\.field)
        let sets = fields.map { "\($0.rawValue) = ?" }.joined(separator: ", ")
        var args: [any DatabaseValueConvertible] = fields.map { r.values[$0]! }
        args += [ProvenanceCoding.encode(r.provenance), Int64(now.timeIntervalSince1970), id.key]
        try db.execute(sql: "UPDATE resident SET \(sets), provenance = ?, updated_at = ? WHERE key = ?", arguments: StatementArguments(args))
        if findings.contains(where: { if case .deceased = $0 { return true }; if case .movedOut = $0 { return true }; return false }) {
            try db.execute(sql: "UPDATE follow_up SET closed = 1 WHERE resident_id = ?", arguments: [id.value])
            try db.execute(sql: "DELETE FROM visit WHERE resident_id = ? AND status = 'planned' AND date > ?", arguments: [id.value, asOf.description])
        }
    }
}
