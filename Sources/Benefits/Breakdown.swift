/// How a result was reached: named lines with their formulas, the parameters used, and the assumptions.
///
/// Money lines marked `part` add up to `total`: each is rounded half-up to the fen first, and the
/// total is the sum of the rounded parts (as official approval notices do).
public struct Breakdown: Sendable, Encodable, Equatable {
    public struct Line: Sendable, Codable, Equatable {
        /// Stable identifier, e.g. `basic`, `account`, `years`.
        public let id: String
        /// Short Chinese label for display, e.g. 基础养老金.
        public let label: String
        /// The formula with the numbers put in, e.g. "8265.00 × (1 + 0.6) ÷ 2 × 15.00 × 1% = 991.80".
        public let formula: String
        /// The result as displayed ("991.80", "138.4", "43.08").
        public let result: String
        /// The amount, when the line is money.
        public let amount: Money?
        /// Whether this line is one of the parts that sum to the total.
        public let part: Bool

        public init(id: String, label: String, formula: String, result: String, amount: Money? = nil, part: Bool = false) {
            self.id = id
            self.label = label
            self.formula = formula
            self.result = result
            self.amount = amount
            self.part = part
        }
    }

    public private(set) var lines: [Line] = []
    /// Each parameter entry once; a projected entry carries the latest date it was projected to.
    public private(set) var parameters: [ParameterUse] = []
    private var stated: [String] = []

    /// The assumptions: figures carried past their last date, then those stated by the calculation.
    public var assumptions: [String] {
        parameters.compactMap { use in
            use.projectedTo.map { "\(use.key) 按最新数值 \(use.value)（\(use.from) 起）沿用到 \($0)，未计今后调整" }
        } + stated
    }

    public init() {}

    /// Sum of the money lines marked as parts.
    public var total: Money { lines.filter(\.part).compactMap(\.amount).reduce(.zero, +) }

    /// The lowest status among the parameters used (the figure is only as sure as its weakest input).
    public var weakestStatus: ParameterStatus? { parameters.map(\.status).max() }

    public mutating func add(_ line: Line) { lines.append(line) }

    public mutating func add(id: String, label: String, formula: String, result: String, amount: Money? = nil, part: Bool = false) {
        lines.append(Line(id: id, label: label, formula: formula, result: result, amount: amount, part: part))
    }

    /// Adds a money line: the formula is completed with "= amount".
    @discardableResult
    public mutating func money(id: String, label: String, formula: String, yuan: Decimal, part: Bool = false) -> Money {
        let m = Money(roundingYuan: yuan)
        lines.append(Line(id: id, label: label, formula: "\(formula) = \(m)", result: m.description, amount: m, part: part))
        return m
    }

    public mutating func use(_ use: ParameterUse) {
        if let i = parameters.firstIndex(where: { $0.key == use.key && $0.region == use.region && $0.from == use.from }) {
            let old = parameters[i]
            if let p = use.projectedTo, old.projectedTo.map({ $0 < p }) ?? true { parameters[i] = use }
        } else {
            parameters.append(use)
        }
    }

    public mutating func use<T>(_ sourced: Sourced<T>) { use(sourced.use) }

    public mutating func assume(_ text: String) {
        if !stated.contains(text) { stated.append(text) }
    }

    /// Appends another breakdown's parameters and stated assumptions (not its lines).
    public mutating func absorbSources(of other: Breakdown) {
        other.parameters.forEach { use($0) }
        other.stated.forEach { assume($0) }
    }

    enum CodingKeys: String, CodingKey { case lines, total, parameters, assumptions }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(lines, forKey: .lines)
        try c.encode(total, forKey: .total)
        try c.encode(parameters, forKey: .parameters)
        try c.encode(assumptions, forKey: .assumptions)
    }
}

import Foundation
