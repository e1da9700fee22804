/// How far a figure has been checked (see the reference's provenance tags).
public enum ParameterStatus: String, Sendable, Codable, CaseIterable, Comparable {
    /// Read in a copy of the official text.
    case official
    /// Read in a secondary source quoting the official announcement.
    case secondary
    /// Seen only in public third-party code.
    case code
    /// Recalled or assumed; not confirmed by any text read.
    case unverified

    /// Ordered from most to least trustworthy.
    public static func < (l: ParameterStatus, r: ParameterStatus) -> Bool {
        allCases.firstIndex(of: l)! < allCases.firstIndex(of: r)!
    }

    /// Whether an explainer resting on this figure must tell the reader to confirm locally.
    public var needsLocalConfirmation: Bool { self != .official && self != .secondary }
}

/// Where a figure used in a calculation came from.
public struct ParameterUse: Sendable, Hashable, Codable {
    /// The parameter key, e.g. `resident.minimumBasicPension`.
    public let key: String
    /// The region whose entry was used: `national` or an area code such as `53`.
    public let region: String
    public let from: PolicyDate
    public let to: PolicyDate?
    /// The value as written, for display, e.g. "16300 fen".
    public let value: String
    public let source: String
    public let status: ParameterStatus
    public let file: String
    public let line: Int
    /// Set when the entry was used beyond its `to` date (a labelled projection assumption).
    public let projectedTo: PolicyDate?

    public init(key: String, region: String, from: PolicyDate, to: PolicyDate?, value: String, source: String,
                status: ParameterStatus, file: String, line: Int, projectedTo: PolicyDate? = nil) {
        self.key = key
        self.region = region
        self.from = from
        self.to = to
        self.value = value
        self.source = source
        self.status = status
        self.file = file
        self.line = line
        self.projectedTo = projectedTo
    }
}

/// A value together with the parameter entry it came from.
public struct Sourced<Value: Sendable>: Sendable {
    public let value: Value
    public let use: ParameterUse
    public init(value: Value, use: ParameterUse) {
        self.value = value
        self.use = use
    }
}
