import Foundation
import Routing
import Store

/// A place a team travels from or to: coordinates and, when known, the village it is in.
public struct TravelPoint: Sendable, Equatable {
    public var latitude: Double
    public var longitude: Double
    public var area: String?
    public init(latitude: Double, longitude: Double, area: String?) { self.latitude = latitude; self.longitude = longitude; self.area = area }
}

/// Travel times in minutes: estimated from coordinates for the team's mode (speed, road factor), replaced
/// between two different villages by the coordinator's times when given (pure).
public enum TravelTimes {
    /// `overrides[from][to]` in minutes, by village code.
    public static func matrix(_ points: [TravelPoint], speed: TravelSpeed, overrides: [String: [String: Double]] = [:]) throws(RoutingError) -> TravelMatrix {
        let metresPerMinute = speed.kilometresPerHour * 1000 / 60
        let estimate = TravelMatrix.geographic(points.map { ($0.latitude, $0.longitude) }, metresPerUnit: metresPerMinute, roadFactor: speed.roadFactor)
        guard !overrides.isEmpty else { return estimate }
        let n = points.count
        var times = estimate.times
        for i in 0..<n {
            guard let a = points[i].area, let row = overrides[a] else { continue }
            for j in 0..<n where i != j {
                if let b = points[j].area, a != b, let t = row[b] { times[i * n + j] = t }
            }
        }
        return try TravelMatrix(count: n, times: times)
    }

    /// Reads a coordinator's CSV: `from,to,minutes` per line (village codes), an optional header, `#` comments.
    /// Each pair also applies in the other direction unless that direction has its own line.
    public static func parseCSV(_ text: String, mode: TravelMode, file: String) throws(VisitError) -> [TravelTimeEntry] {
        var given: [String: TravelTimeEntry] = [:]
        var order: [String] = []
        for (i, raw) in text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" }).enumerated() {
            let line = raw.trimmingCharacters(in: [" ", "\t", "\r", "\u{FEFF}"])
            if line.isEmpty || line.hasPrefix("#") { continue }
            let cells = line.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: [" ", "\t", "\""]) }
            if i == 0, cells.count >= 3, Double(cells[2]) == nil { continue }  // header
            guard cells.count >= 3 else { throw .file(file: file, line: i + 1, detail: "expected from,to,minutes") }
            for c in cells[0...1] where !(c.count == 12 && c.allSatisfy(\.isASCII) && c.allSatisfy(\.isNumber)) {
                throw .file(file: file, line: i + 1, detail: "'\(c)' is not a 12-digit village code")
            }
            guard let m = Double(cells[2]), m.isFinite, m >= 0, m < 24 * 60 else {
                throw .file(file: file, line: i + 1, detail: "minutes '\(cells[2])' must be a number from 0 to 1440")
            }
            let key = cells[0] + ">" + cells[1]
            if given[key] == nil { order.append(key) }
            given[key] = TravelTimeEntry(mode: mode, from: cells[0], to: cells[1], minutes: m)
        }
        var out = order.map { given[$0]! }
        for e in out where given[e.to + ">" + e.from] == nil {
            given[e.to + ">" + e.from] = TravelTimeEntry(mode: mode, from: e.to, to: e.from, minutes: e.minutes)
            out.append(given[e.to + ">" + e.from]!)
        }
        return out
    }

    /// Entries as the lookup `matrix(_:speed:overrides:)` takes.
    public static func overrides(_ entries: [TravelTimeEntry]) -> [String: [String: Double]] {
        var out: [String: [String: Double]] = [:]
        for e in entries { out[e.from, default: [:]][e.to] = e.minutes }
        return out
    }
}
