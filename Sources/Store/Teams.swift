import Foundation
import GRDB

/// How a team gets around: the planner estimates travel times from it.
public enum TravelMode: String, Sendable, CaseIterable, Codable {
    case foot
    case motorbike
    case car

    public var chinese: String {
        switch self { case .foot: return "步行"; case .motorbike: return "摩托车"; case .car: return "汽车" }
    }
}

/// A member of a visiting team.
public struct TeamMember: Sendable, Equatable, Codable {
    public var name: String
    /// Normalised mobile number (11 digits), or empty.
    public var phone: String
    /// Minority languages (彝语, 白语 …), 手语, 急救.
    public var skills: [String]

    public init(name: String, phone: String, skills: [String]) {
        self.name = name; self.phone = phone; self.skills = skills
    }
}

/// A visiting team (Carnation vanguard team): where it works, when, how it travels.
///
/// Times of day are minutes since midnight, local time. Working days are ISO weekdays (1 = Monday … 7 = Sunday).
public struct Team: Sendable, Equatable, Codable {
    public var name: String
    /// Area-code prefixes the team covers (a township "532999001", a village "532999001201").
    public var areas: [String]
    public var members: [TeamMember]
    public var baseName: String
    public var baseLatitude: Double
    public var baseLongitude: Double
    /// The village or township code of the base, used to look up coordinator travel times.
    public var baseArea: String?
    public var workingDays: [Int]
    public var dayStart: Int
    public var dayEnd: Int
    /// The break starts inside `breakOpen...breakClose` and lasts `breakMinutes` (0: no break).
    public var breakOpen: Int
    public var breakClose: Int
    public var breakMinutes: Int
    public var mode: TravelMode
    public var maxVisits: Int

    public init(name: String, areas: [String], members: [TeamMember], baseName: String, baseLatitude: Double, baseLongitude: Double,
                baseArea: String? = nil, workingDays: [Int] = [1, 2, 3, 4, 5], dayStart: Int = 8 * 60 + 30, dayEnd: Int = 17 * 60 + 30,
                breakOpen: Int = 12 * 60, breakClose: Int = 13 * 60 + 30, breakMinutes: Int = 60, mode: TravelMode = .motorbike, maxVisits: Int = 8) {
        self.name = name; self.areas = areas; self.members = members; self.baseName = baseName
        self.baseLatitude = baseLatitude; self.baseLongitude = baseLongitude; self.baseArea = baseArea
        self.workingDays = workingDays; self.dayStart = dayStart; self.dayEnd = dayEnd
        self.breakOpen = breakOpen; self.breakClose = breakClose; self.breakMinutes = breakMinutes
        self.mode = mode; self.maxVisits = maxVisits
    }

    /// Every skill any member brings.
    public var skills: Set<String> { Set(members.flatMap(\.skills)) }

    /// Whether the team covers `areaCode` (a 12-digit code), and how specifically (longer prefix: more specific).
    public func coverage(of areaCode: String) -> Int? {
        areas.filter { areaCode.hasPrefix($0) }.map(\.count).max()
    }
}

/// A coordinator's travel time between two areas (village codes) for one mode, overriding estimates from coordinates.
public struct TravelTimeEntry: Sendable, Equatable, Codable {
    public var mode: TravelMode
    public var from: String
    public var to: String
    public var minutes: Double
    public init(mode: TravelMode, from: String, to: String, minutes: Double) {
        self.mode = mode; self.from = from; self.to = to; self.minutes = minutes
    }
}

extension CarnationDatabase {
    /// Adds a team, or replaces the team of the same name (members included).
    public func saveTeam(_ t: Team) throws {
        try writer.write { db in try CarnationDatabase.saveTeam(t, db) }
    }

    /// Saves several teams in one transaction (an import is all or nothing).
    public func saveTeams(_ teams: [Team]) throws {
        try writer.write { db in for t in teams { try CarnationDatabase.saveTeam(t, db) } }
    }

    static func saveTeam(_ t: Team, _ db: Database) throws {
        let members = String(decoding: try JSONEncoder().encode(t.members), as: UTF8.self)
        try db.execute(sql: """
            INSERT INTO team (name, areas, members, base_name, base_latitude, base_longitude, base_area, working_days,
                              day_start, day_end, break_open, break_close, break_minutes, mode, max_visits)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT(name) DO UPDATE SET areas = excluded.areas, members = excluded.members, base_name = excluded.base_name,
              base_latitude = excluded.base_latitude, base_longitude = excluded.base_longitude, base_area = excluded.base_area,
              working_days = excluded.working_days, day_start = excluded.day_start, day_end = excluded.day_end,
              break_open = excluded.break_open, break_close = excluded.break_close, break_minutes = excluded.break_minutes,
              mode = excluded.mode, max_visits = excluded.max_visits
            """, arguments: [t.name, t.areas.joined(separator: ","), members, t.baseName, t.baseLatitude, t.baseLongitude, t.baseArea,
                             t.workingDays.map(String.init).joined(separator: ","), t.dayStart, t.dayEnd, t.breakOpen, t.breakClose,
                             t.breakMinutes, t.mode.rawValue, t.maxVisits])
    }

    /// All teams, by name.
    public func teams() throws -> [Team] {
        try writer.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM team ORDER BY name").map { row in
                let name: String = row["name"]
                let membersText: String = row["members"]
                guard let members = try? JSONDecoder().decode([TeamMember].self, from: Data(membersText.utf8)),
                      let mode = TravelMode(rawValue: row["mode"]) else {
                    throw StoreError.query("team '\(name)' has unreadable members or travel mode; re-import it with `carnation teams import`")
                }
                let areas: String = row["areas"], days: String = row["working_days"]
                return Team(name: name, areas: areas.split(separator: ",").map(String.init), members: members,
                            baseName: row["base_name"], baseLatitude: row["base_latitude"], baseLongitude: row["base_longitude"],
                            baseArea: row["base_area"], workingDays: days.split(separator: ",").compactMap { Int($0) },
                            dayStart: row["day_start"], dayEnd: row["day_end"], breakOpen: row["break_open"], breakClose: row["break_close"],
                            breakMinutes: row["break_minutes"], mode: mode, maxVisits: row["max_visits"])
            }
        }
    }

    /// Replaces the coordinator's travel times for the modes present in `entries`.
    public func saveTravelTimes(_ entries: [TravelTimeEntry]) throws {
        try writer.write { db in
            for mode in Set(entries.map(\.mode)) { try db.execute(sql: "DELETE FROM travel_time WHERE mode = ?", arguments: [mode.rawValue]) }
            for e in entries {
                try db.execute(sql: "INSERT OR REPLACE INTO travel_time (mode, from_area, to_area, minutes) VALUES (?, ?, ?, ?)",
                               arguments: [e.mode.rawValue, e.from, e.to, e.minutes])
            }
        }
    }

    /// The coordinator's travel times for `mode`.
    public func travelTimes(mode: TravelMode) throws -> [TravelTimeEntry] {
        try writer.read { db in
            try Row.fetchAll(db, sql: "SELECT from_area, to_area, minutes FROM travel_time WHERE mode = ?", arguments: [mode.rawValue]).map {
                TravelTimeEntry(mode: mode, from: $0["from_area"], to: $0["to_area"], minutes: $0["minutes"])
            }
        }
    }

    /// Area centres (villages, townships) with coordinates, by code.
    public func areaCentres() throws -> [String: (name: String, latitude: Double, longitude: Double)] {
        try writer.read { db in
            var out: [String: (name: String, latitude: Double, longitude: Double)] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT code, name, latitude, longitude FROM area WHERE latitude IS NOT NULL AND longitude IS NOT NULL") {
                out[row["code"]] = (row["name"], row["latitude"], row["longitude"])
            }
            return out
        }
    }
}
