import Registry

/// How each explainer's SMS fares against the one-segment budget over a set of residents.
public struct ExplainerBudgetReport: Sendable, Encodable {
    public struct Line: Sendable, Encodable, Equatable {
        public let explainer: String
        /// Residents the explainer fits (audience and figures).
        public var fitting = 0
        /// Of those, residents who would get it by SMS.
        public var bySMS = 0
        /// SMS whose full text fits one segment.
        public var fullFits = 0
        /// SMS that fell back to the short variant and fit.
        public var fellBack = 0
        /// SMS that need more than one segment even so.
        public var overBudget = 0
        /// The longest text in units (signature included).
        public var maxUnits = 0
        /// Masked IDs of the residents over budget (first 20).
        public var overBudgetResidents: [String] = []
    }
    public var lines: [Line]
}

extension ExplainerRenderer {
    /// Renders every explainer for every resident and counts how the SMS fit (pure; can take a while for many residents).
    public func budgetReport(_ residents: [Resident], visits: [ResidentID: CalendarDate] = [:]) -> ExplainerBudgetReport {
        var lines = catalog.definitions.map { ExplainerBudgetReport.Line(explainer: $0.name) }
        for r in residents {
            for (i, outcome) in outcomes(for: r, visit: visits[r.id]).enumerated() {
                guard let m = outcome.message else { continue }
                lines[i].fitting += 1
                guard let sms = m.sms, m.delivers(.sms) else { continue }
                lines[i].bySMS += 1
                lines[i].maxUnits = max(lines[i].maxUnits, sms.units)
                if !sms.withinBudget {
                    lines[i].overBudget += 1
                    if lines[i].overBudgetResidents.count < 20 { lines[i].overBudgetResidents.append(r.id.masked) }
                } else if sms.variant == .short {
                    lines[i].fellBack += 1
                } else {
                    lines[i].fullFits += 1
                }
            }
        }
        return ExplainerBudgetReport(lines: lines)
    }
}
