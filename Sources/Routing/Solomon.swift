/// A Solomon / Gehring–Homberger VRPTW instance mapped onto `Problem`: location 0 is the depot, job i is
/// customer i (id = its number), travel time = unrounded Euclidean distance, the due date is the latest start of
/// service, the depot's due date closes every shift.
public struct SolomonInstance: Sendable {
    public var name: String
    public var problem: Problem

    /// Parses the text of an instance file (no file access here: the caller reads it).
    public static func parse(_ text: String) throws(RoutingError) -> SolomonInstance {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { String($0) }
        var name = ""
        var vehicles: Int? = nil, capacity: Int? = nil
        var rows: [[Double]] = []
        var section = ""
        for (i, raw) in lines.enumerated() {
            let line = raw.trimmingCharacters()
            if line.isEmpty { continue }
            if name.isEmpty { name = line; continue }
            let upper = line.uppercased()
            if upper.hasPrefix("VEHICLE") { section = "vehicle"; continue }
            if upper.hasPrefix("CUSTOMER") { section = "customer"; continue }
            let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
            let numbers = fields.compactMap(Double.init)
            if numbers.count != fields.count { continue }  // header line
            switch section {
            case "vehicle":
                guard numbers.count == 2 else { throw .solomonFormat(line: i + 1, detail: "expected NUMBER CAPACITY") }
                vehicles = Int(numbers[0]); capacity = Int(numbers[1])
            case "customer":
                guard numbers.count == 7 else {
                    throw .solomonFormat(line: i + 1, detail: "expected 7 numbers, found \(numbers.count)")
                }
                rows.append(numbers)
            default:
                throw .solomonFormat(line: i + 1, detail: "numbers before the VEHICLE or CUSTOMER heading")
            }
        }
        guard let vehicles, let capacity else { throw .solomonFormat(line: lines.count, detail: "no VEHICLE block") }
        guard rows.count >= 2 else { throw .solomonFormat(line: lines.count, detail: "need a depot and at least one customer") }
        let matrix = TravelMatrix.planar(rows.map { (x: $0[1], y: $0[2]) })
        let depot = rows[0]
        var jobs: [Job] = []
        for (i, r) in rows.enumerated().dropFirst() {
            jobs.append(Job(id: String(Int(r[0])), location: i, service: r[6], windows: [TimeWindow(r[4], r[5])],
                            demand: Int(r[3])))
        }
        let fleet = (0..<vehicles).map {
            Vehicle(id: "v\($0 + 1)", start: 0, end: 0, shift: TimeWindow(depot[4], depot[5]), capacity: capacity)
        }
        return SolomonInstance(name: name, problem: Problem(matrix: matrix, jobs: jobs, vehicles: fleet))
    }
}

extension String {
    fileprivate func trimmingCharacters() -> String {
        var s = Substring(self)
        while let f = s.first, f.isWhitespace { s.removeFirst() }
        while let l = s.last, l.isWhitespace { s.removeLast() }
        return String(s)
    }
}
