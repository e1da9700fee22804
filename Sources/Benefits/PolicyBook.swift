import Foundation

/// One dated, sourced entry of a policy file.
public struct PolicyEntry: Sendable, Hashable {
    public let key: ParameterKey
    public let region: Region
    public let from: PolicyDate
    /// Inclusive; nil means open-ended.
    public let to: PolicyDate?
    public let value: PolicyValue
    public let source: String
    public let status: ParameterStatus
    public let note: String?
    public let file: String
    public let line: Int

    public func covers(_ date: PolicyDate) -> Bool { from <= date && (to.map { date <= $0 } ?? true) }

    func use(projectedTo: PolicyDate? = nil) -> ParameterUse {
        ParameterUse(key: key.rawValue, region: region.code, from: from, to: to, value: value.display,
                     source: source, status: status, file: file, line: line, projectedTo: projectedTo)
    }
}

/// The policy parameters loaded from `content/policy/*.yaml`: dated, sourced, by region.
///
/// Lookups go from the most specific region to `national` and fail (rather than guess) when no entry
/// covers the date; projections past the last known entry must be asked for and are labelled.
public struct PolicyBook: Sendable {
    public let entries: [PolicyEntry]
    private let index: [ParameterKey: [Region: [PolicyEntry]]]

    /// Builds a book from already-parsed entries, checking that no two entries of the same
    /// parameter and region overlap in time.
    public init(entries: [PolicyEntry]) throws {
        var index: [ParameterKey: [Region: [PolicyEntry]]] = [:]
        for e in entries { index[e.key, default: [:]][e.region, default: []].append(e) }
        for (key, byRegion) in index {
            for (region, list) in byRegion {
                let sorted = list.sorted { $0.from < $1.from }
                for (a, b) in zip(sorted, sorted.dropFirst()) where a.to == nil || a.to! >= b.from {
                    throw BenefitsError.overlappingDates(
                        parameter: key.rawValue, region: region.code,
                        first: "\(a.file):\(a.line) (\(a.from)–\(a.to.map(\.description) ?? "open"))",
                        second: "\(b.file):\(b.line) (\(b.from)–\(b.to.map(\.description) ?? "open"))")
                }
                index[key]![region] = sorted
            }
        }
        self.entries = entries
        self.index = index
    }

    /// All entries of a parameter for one region (not its parents), oldest first.
    public func entries(_ key: ParameterKey, region: Region) -> [PolicyEntry] { index[key]?[region] ?? [] }

    /// The entry in force on `date` for `region` or, failing that, its parent regions.
    /// With `projecting`, a date after every entry uses the latest entry and says so in its `ParameterUse`.
    public func entry(_ key: ParameterKey, region: Region, on date: PolicyDate, projecting: Bool = false) throws -> (PolicyEntry, ParameterUse) {
        for r in region.chain {
            if let e = entries(key, region: r).first(where: { $0.covers(date) }) { return (e, e.use()) }
        }
        if projecting {
            for r in region.chain {
                if let last = entries(key, region: r).last, let to = last.to, to < date { return (last, last.use(projectedTo: date)) }
            }
        }
        throw BenefitsError.notCovered(parameter: key.rawValue, region: region.code, date: date)
    }

    /// Typed lookup; `extract` picks the value out of its kind.
    func value<T>(_ key: ParameterKey, region: Region, on date: PolicyDate, projecting: Bool = false,
                  _ extract: (PolicyValue) -> T?) throws -> Sourced<T> {
        let (e, use) = try entry(key, region: region, on: date, projecting: projecting)
        guard let v = extract(e.value) else {
            throw BenefitsError.invalidValue(file: e.file, line: e.line, field: "value", value: e.value.display, expected: "a value of the kind \(key.rawValue) takes")
        }
        return Sourced(value: v, use: use)
    }

    public func integer(_ key: ParameterKey, region: Region = .national, on date: PolicyDate, projecting: Bool = false) throws -> Sourced<Int> {
        try value(key, region: region, on: date, projecting: projecting) { if case let .integer(v) = $0 { v } else { nil } }
    }

    public func amount(_ key: ParameterKey, region: Region = .national, on date: PolicyDate, projecting: Bool = false) throws -> Sourced<Money> {
        try value(key, region: region, on: date, projecting: projecting) { if case let .amount(v) = $0 { v } else { nil } }
    }

    public func rate(_ key: ParameterKey, region: Region = .national, on date: PolicyDate, projecting: Bool = false) throws -> Sourced<Rate> {
        try value(key, region: region, on: date, projecting: projecting) { if case let .rate(v) = $0 { v } else { nil } }
    }

    public func tiers(region: Region, on date: PolicyDate, projecting: Bool = false) throws -> Sourced<[Money]> {
        try value(.residentTiers, region: region, on: date, projecting: projecting) { if case let .amounts(v) = $0 { v } else { nil } }
    }

    public func subsidy(region: Region, on date: PolicyDate, projecting: Bool = false) throws -> Sourced<[SubsidyStep]> {
        try value(.residentSubsidy, region: region, on: date, projecting: projecting) { if case let .subsidy(v) = $0 { v } else { nil } }
    }

    public func hardshipGroups(region: Region, on date: PolicyDate, projecting: Bool = false) throws -> Sourced<[HardshipGroup]> {
        try value(.residentHardshipGroups, region: region, on: date, projecting: projecting) { if case let .hardship(v) = $0 { v } else { nil } }
    }

    public func crediting(_ key: ParameterKey, region: Region, on date: PolicyDate, projecting: Bool = false) throws -> Sourced<CreditingConvention> {
        try value(key, region: region, on: date, projecting: projecting) { if case let .crediting(v) = $0 { v } else { nil } }
    }

    public func backPayment(region: Region, on date: PolicyDate, projecting: Bool = false) throws -> Sourced<BackPaymentRule> {
        try value(.residentBackPayment, region: region, on: date, projecting: projecting) { if case let .backPayment(v) = $0 { v } else { nil } }
    }

    public func contributionSplit(region: Region = .national, on date: PolicyDate, projecting: Bool = false) throws -> Sourced<ContributionSplit> {
        try value(.employeeContributionRate, region: region, on: date, projecting: projecting) { if case let .split(v) = $0 { v } else { nil } }
    }

    public func baseBand(region: Region = .national, on date: PolicyDate, projecting: Bool = false) throws -> Sourced<BaseBand> {
        try value(.employeeBaseBand, region: region, on: date, projecting: projecting) { if case let .band(v) = $0 { v } else { nil } }
    }

    public func contributionBounds(region: Region, on date: PolicyDate, projecting: Bool = false) throws -> Sourced<ContributionBounds> {
        try value(.employeeContributionBounds, region: region, on: date, projecting: projecting) { if case let .bounds(v) = $0 { v } else { nil } }
    }

    public func divisorTable(region: Region = .national, on date: PolicyDate, projecting: Bool = false) throws -> Sourced<DivisorTable> {
        try value(.employeeDivisorTable, region: region, on: date, projecting: projecting) { if case let .divisorTable(v) = $0 { v } else { nil } }
    }

    public func divisorInterpolation(region: Region = .national, on date: PolicyDate, projecting: Bool = false) throws -> Sourced<DivisorInterpolation> {
        try value(.employeeDivisorInterpolation, region: region, on: date, projecting: projecting) { if case let .interpolation(v) = $0 { v } else { nil } }
    }

    public func yearsRounding(region: Region = .national, on date: PolicyDate, projecting: Bool = false) throws -> Sourced<YearsRounding> {
        try value(.employeeYearsRounding, region: region, on: date, projecting: projecting) { if case let .yearsRounding(v) = $0 { v } else { nil } }
    }

    public func transitional(region: Region, on date: PolicyDate, projecting: Bool = false) throws -> Sourced<TransitionalRule> {
        try value(.employeeTransitional, region: region, on: date, projecting: projecting) { if case let .transitional(v) = $0 { v } else { nil } }
    }

    public func statutoryAge(region: Region = .national, on date: PolicyDate, projecting: Bool = false) throws -> Sourced<[RetirementCategory: ReformRule]> {
        try value(.retirementStatutoryAge, region: region, on: date, projecting: projecting) { if case let .statutoryAge(v) = $0 { v } else { nil } }
    }

    public func flexibleRetirement(region: Region = .national, on date: PolicyDate, projecting: Bool = false) throws -> Sourced<FlexibleRetirement> {
        try value(.retirementFlexible, region: region, on: date, projecting: projecting) { if case let .flexible(v) = $0 { v } else { nil } }
    }

    public func minimumContribution(region: Region = .national, on date: PolicyDate, projecting: Bool = false) throws -> Sourced<MinimumContributionTable> {
        try value(.retirementMinimumMonths, region: region, on: date, projecting: projecting) { if case let .minimumMonths(v) = $0 { v } else { nil } }
    }

    public func comparisonScenarios(region: Region, on date: PolicyDate, projecting: Bool = false) throws -> Sourced<ComparisonScenarios> {
        try value(.comparisonScenarios, region: region, on: date, projecting: projecting) { if case let .scenarios(v) = $0 { v } else { nil } }
    }
}
