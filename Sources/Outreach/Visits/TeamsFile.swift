import Foundation
import Registry
import Store
import Yams

/// Reads a coordinator's teams file (YAML):
///
/// ```yaml
/// teams:
///   - name: 龙泉队
///     areas: ["532999001"]
///     base: {name: 龙泉镇社保所, latitude: 25.71, longitude: 100.32, area: "532999001000"}
///     days: [mon, tue, wed, thu, fri]
///     hours: "08:30-17:30"
///     break: {window: "12:00-13:30", minutes: 60}
///     mode: motorbike          # foot, motorbike, car
///     max_visits: 8
///     members:
///       - {name: 李海燕, phone: "13800000000", skills: [彝语, 急救]}
/// ```
/// The first member with a mobile phone is the team leader: the morning SMS with the day's link goes to them.
public enum TeamsFile {
    static let dayNames = ["mon": 1, "tue": 2, "wed": 3, "thu": 4, "fri": 5, "sat": 6, "sun": 7,
                           "周一": 1, "周二": 2, "周三": 3, "周四": 4, "周五": 5, "周六": 6, "周日": 7]

    public static func parse(_ text: String, file: String) throws(VisitError) -> [Team] {
        let root: Node?
        do { root = try Yams.compose(yaml: text) } catch { throw .file(file: file, line: 0, detail: "not valid YAML: \(error)") }
        let y = YAMLReader(file: file)
        guard let list = root?.mapping?["teams"]?.sequence else { throw .file(file: file, line: 1, detail: "expected `teams:` with a list of teams") }
        var teams: [Team] = []
        for node in list {
            guard let m = node.mapping else { throw y.error(node, "a team must be a mapping") }
            var t = Team(name: "", areas: [], members: [], baseName: "", baseLatitude: .nan, baseLongitude: .nan)
            for (k, v) in m {
                let key = k.string ?? ""
                switch key {
                case "name": t.name = try y.string(v, key)
                case "areas":
                    t.areas = try y.strings(v, key)
                    for a in t.areas where !(a.count >= 6 && a.count <= 12 && a.allSatisfy(\.isNumber)) {
                        throw y.error(v, "area '\(a)' must be an area-code prefix of 6 to 12 digits")
                    }
                case "base":
                    guard let b = v.mapping, let lat = b["latitude"], let lon = b["longitude"] else { throw y.error(v, "base needs latitude and longitude") }
                    t.baseLatitude = try y.double(lat, "latitude"); t.baseLongitude = try y.double(lon, "longitude")
                    guard (-90...90).contains(t.baseLatitude), (-180...180).contains(t.baseLongitude) else { throw y.error(v, "base coordinates out of range") }
                    t.baseName = try b["name"].map { node throws(VisitError) in try y.string(node, "base name") } ?? ""
                    t.baseArea = try b["area"].map { node throws(VisitError) in try y.string(node, "base area") }
                case "days":
                    t.workingDays = []
                    for d in try y.strings(v, key) {
                        guard let n = dayNames[d.lowercased()] ?? Int(d).flatMap({ (1...7).contains($0) ? $0 : nil }) else {
                            throw y.error(v, "day '\(d)' must be mon…sun, 周一…周日 or 1…7")
                        }
                        t.workingDays.append(n)
                    }
                case "hours":
                    guard let h = TeamsFile.span(try y.string(v, key)) else { throw y.error(v, "hours must look like 08:30-17:30") }
                    (t.dayStart, t.dayEnd) = h
                case "break":
                    guard let b = v.mapping, let w = b["window"]?.string, let span = TeamsFile.span(w), let mins = b["minutes"]?.int,
                          mins >= 0, mins <= span.1 - span.0 else { throw y.error(v, "break needs window: \"12:00-13:30\" and minutes that fit in it") }
                    (t.breakOpen, t.breakClose, t.breakMinutes) = (span.0, span.1, mins)
                case "mode":
                    guard let mode = TravelMode(rawValue: try y.string(v, key)) else { throw y.error(v, "mode must be foot, motorbike or car") }
                    t.mode = mode
                case "max_visits": t.maxVisits = try y.int(v, key, 1...100)
                case "members":
                    guard let seq = v.sequence else { throw y.error(v, "members must be a list") }
                    for mn in seq {
                        guard let mm = mn.mapping, let name = mm["name"]?.string, !name.isEmpty else { throw y.error(mn, "a member needs a name") }
                        var phone = ""
                        if let p = mm["phone"]?.string, !p.isEmpty {
                            do { phone = try PhoneNumber(p).value } catch { throw y.error(mn, "member \(name): \(error.description)") }
                        }
                        let skills = try mm["skills"].map { node throws(VisitError) in try y.strings(node, "skills") } ?? []
                        t.members.append(TeamMember(name: name, phone: phone, skills: skills))
                    }
                default: throw y.error(k, "unknown key '\(key)' (expected name, areas, base, days, hours, break, mode, max_visits, members)")
                }
            }
            guard !t.name.isEmpty else { throw y.error(node, "a team needs a name") }
            guard !t.areas.isEmpty else { throw y.error(node, "team \(t.name) needs the areas it covers") }
            guard t.baseLatitude.isFinite else { throw y.error(node, "team \(t.name) needs a base with coordinates") }
            guard t.dayStart < t.dayEnd else { throw y.error(node, "team \(t.name): hours must end after they start") }
            if t.baseName.isEmpty { t.baseName = t.name }
            teams.append(t)
        }
        let names = teams.map(\.name)
        if let dup = names.first(where: { n in names.filter { $0 == n }.count > 1 }) { throw .file(file: file, line: 0, detail: "team '\(dup)' appears twice") }
        return teams
    }

    /// "08:30-17:30" → minutes since midnight.
    public static func span(_ s: String) -> (Int, Int)? {
        let parts = s.split(whereSeparator: { $0 == "-" || $0 == "–" || $0 == "~" })
        guard parts.count == 2, let a = minutes(String(parts[0])), let b = minutes(String(parts[1])), a < b else { return nil }
        return (a, b)
    }

    /// "08:30" → 510.
    public static func minutes(_ s: String) -> Int? {
        let p = s.trimmingCharacters(in: .whitespaces).split(separator: ":")
        guard p.count == 2, let h = Int(p[0]), let m = Int(p[1]), (0...24).contains(h), (0...59).contains(m), h * 60 + m <= 24 * 60 else { return nil }
        return h * 60 + m
    }

    /// 510 → "08:30".
    public static func clock(_ minutes: Int) -> String {
        let h = minutes / 60, m = minutes % 60
        return (h < 10 ? "0" : "") + String(h) + ":" + (m < 10 ? "0" : "") + String(m)
    }
}
