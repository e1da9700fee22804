/// What went wrong reading or checking a routing question, with where and how to fix it.
public enum RoutingError: Error, CustomStringConvertible, Equatable {
    case matrixSize(expected: Int, got: Int)
    case badTravelTime(from: Int, to: Int, value: Double)
    case locationOutOfRange(owner: String, location: Int, matrixSize: Int)
    case tooManySkills(count: Int)
    case solomonFormat(line: Int, detail: String)
    case noVehicles

    public var description: String {
        switch self {
        case let .matrixSize(expected, got):
            return "Travel matrix has \(got) entries but \(expected) were expected (count × count): supply a full square matrix."
        case let .badTravelTime(from, to, value):
            return "Travel time from location \(from) to \(to) is \(value): times must be finite and not negative."
        case let .locationOutOfRange(owner, location, size):
            return "\(owner) uses location \(location) but the travel matrix has only \(size) locations: fix the location index."
        case let .tooManySkills(count):
            return "The question names \(count) different skills; at most 64 are supported: merge similar skills."
        case let .solomonFormat(line, detail):
            return "Solomon file, line \(line): \(detail). Expected the VEHICLE block then CUSTOMER rows of 7 numbers."
        case .noVehicles:
            return "No teams were given: add at least one vehicle."
        }
    }
}
