import Foundation
import Yams

/// Parses the `value:` of an entry according to its parameter key.
struct ValueParser {
    let reader: NodeReader

    func parse(_ key: ParameterKey, _ node: Node) throws -> PolicyValue {
        let r = reader
        switch key {
        case .residentDivisor, .residentClaimAge, .residentMinimumYears:
            return .integer(try r.positive(node, field: "value"))
        case .residentMinimumBasicPension, .residentBasicTopUp, .residentLongContributionExtra, .employeeComputationBase:
            return .amount(try r.fen(node, field: "value"))
        case .residentInterestRate, .employeeInterestRate, .projectionInterestRate:
            return .rate(try r.basisPoints(node, field: "value"))
        case .residentTiers:
            let tiers = try r.sequence(node, field: "value").map { try r.fen($0, field: "tier") }
            try ascending(tiers.map(\.fen), node, "tiers")
            return .amounts(tiers)
        case .residentSubsidy:
            let steps = try r.sequence(node, field: "value").map { item -> SubsidyStep in
                let f = try fields(item, ["tierFrom", "subsidy"])
                return SubsidyStep(tierFrom: try r.fen(f["tierFrom"]!, field: "tierFrom"), subsidy: try r.fen(f["subsidy"]!, field: "subsidy"))
            }
            try ascending(steps.map(\.tierFrom.fen), node, "tierFrom")
            return .subsidy(steps)
        case .residentHardshipGroups:
            return .hardship(try r.sequence(node, field: "value").map { item in
                let f = try fields(item, ["group", "label", "paid"])
                return HardshipGroup(group: try r.string(f["group"]!, field: "group"), label: try r.string(f["label"]!, field: "label"),
                                     paid: try r.fen(f["paid"]!, field: "paid"))
            })
        case .residentCrediting, .employeeCrediting:
            let f = try fields(node, ["contributionWeight"])
            let w = try r.decimal(f["contributionWeight"]!, field: "contributionWeight")
            guard w <= 1 else { throw r.invalid(f["contributionWeight"]!, "contributionWeight", "a fraction from 0 to 1") }
            return .crediting(CreditingConvention(contributionWeight: w))
        case .residentBackPayment:
            let f = try fields(node, ["allowed", "subsidised"])
            return .backPayment(BackPaymentRule(allowed: try r.bool(f["allowed"]!, field: "allowed"), subsidised: try r.bool(f["subsidised"]!, field: "subsidised")))
        case .employeeContributionRate:
            let f = try fields(node, ["total", "toAccount"])
            let split = ContributionSplit(total: try r.basisPoints(f["total"]!, field: "total"), toAccount: try r.basisPoints(f["toAccount"]!, field: "toAccount"))
            guard split.toAccount <= split.total else { throw r.invalid(f["toAccount"]!, "toAccount", "at most 'total'") }
            return .split(split)
        case .employeeBaseBand:
            let f = try fields(node, ["lower", "upper"])
            let band = BaseBand(lower: try r.basisPoints(f["lower"]!, field: "lower"), upper: try r.basisPoints(f["upper"]!, field: "upper"))
            guard band.lower <= band.upper else { throw r.invalid(f["upper"]!, "upper", "at least 'lower'") }
            return .band(band)
        case .employeeContributionBounds:
            let f = try fields(node, ["lower", "upper"])
            let b = ContributionBounds(lower: try r.fen(f["lower"]!, field: "lower"), upper: try r.fen(f["upper"]!, field: "upper"))
            guard b.lower <= b.upper, b.lower > .zero else { throw r.invalid(f["upper"]!, "upper", "at least 'lower', and lower above 0") }
            return .bounds(b)
        case .employeeDivisorTable:
            let map = try r.mapping(node, field: "value")
            var months: [Int: Int] = [:]
            for (k, v) in map { months[try r.positive(k, field: "age")] = try r.positive(v, field: "months") }
            let ages = months.keys.sorted()
            guard let first = ages.first, ages == Array(first..<(first + ages.count)) else {
                throw r.invalid(node, "value", "one entry for every whole age, without gaps")
            }
            for (a, b) in zip(ages, ages.dropFirst()) where months[b]! >= months[a]! {
                throw r.invalid(node, "value", "months falling with age (age \(b) has \(months[b]!), not below \(months[a]!) at \(a))")
            }
            return .divisorTable(DivisorTable(months: months))
        case .employeeDivisorInterpolation:
            let f = try fields(node, ["method", "decimals"])
            let method = try r.string(f["method"]!, field: "method")
            guard method == "linear" else { throw r.invalid(f["method"]!, "method", "linear") }
            return .interpolation(DivisorInterpolation(method: method, decimals: try r.nonNegative(f["decimals"]!, field: "decimals")))
        case .employeeYearsRounding:
            let f = try fields(node, ["decimals", "mode"])
            let modeText = try r.string(f["mode"]!, field: "mode")
            guard let mode = YearsRounding.Mode(rawValue: modeText) else { throw r.invalid(f["mode"]!, "mode", "truncate | half-up") }
            return .yearsRounding(YearsRounding(decimals: try r.nonNegative(f["decimals"]!, field: "decimals"), mode: mode))
        case .employeeTransitional:
            let f = try fields(node, ["rate", "base"])
            let baseText = try r.string(f["base"]!, field: "base")
            guard let base = TransitionalRule.Base(rawValue: baseText) else { throw r.invalid(f["base"]!, "base", "cz | average") }
            return .transitional(TransitionalRule(rate: try r.basisPoints(f["rate"]!, field: "rate"), base: base))
        case .retirementStatutoryAge:
            let map = try r.mapping(node, field: "value")
            var rules: [RetirementCategory: ReformRule] = [:]
            for (k, v) in map {
                let name = try r.string(k, field: "category")
                guard let category = RetirementCategory(rawValue: name) else {
                    throw BenefitsError.unknownKey(file: r.file, line: r.line(k), key: name, allowed: RetirementCategory.allCases.map(\.rawValue))
                }
                let f = try fields(v, ["baseBirth", "originalAgeMonths", "step", "maxDelayMonths"])
                rules[category] = ReformRule(baseBirth: try r.yearMonth(f["baseBirth"]!, field: "baseBirth"),
                                             originalAgeMonths: try r.positive(f["originalAgeMonths"]!, field: "originalAgeMonths"),
                                             step: try r.positive(f["step"]!, field: "step"),
                                             maxDelayMonths: try r.nonNegative(f["maxDelayMonths"]!, field: "maxDelayMonths"))
            }
            if let missing = RetirementCategory.allCases.first(where: { rules[$0] == nil }) {
                throw BenefitsError.missingField(file: r.file, line: r.line(node), field: missing.rawValue, parameter: key.rawValue)
            }
            return .statutoryAge(rules)
        case .retirementFlexible:
            let f = try fields(node, ["earlyMaxMonths", "lateMaxMonths"])
            return .flexible(FlexibleRetirement(earlyMaxMonths: try r.nonNegative(f["earlyMaxMonths"]!, field: "earlyMaxMonths"),
                                                lateMaxMonths: try r.nonNegative(f["lateMaxMonths"]!, field: "lateMaxMonths")))
        case .retirementMinimumMonths:
            let f = try fields(node, ["byYear"])
            let map = try r.mapping(f["byYear"]!, field: "byYear")
            var byYear: [Int: Int] = [:]
            for (k, v) in map { byYear[try r.positive(k, field: "year")] = try r.positive(v, field: "months") }
            guard !byYear.isEmpty else { throw r.invalid(f["byYear"]!, "byYear", "at least one year") }
            return .minimumMonths(MinimumContributionTable(byYear: byYear))
        case .comparisonScenarios:
            let f = try fields(node, ["residentTiers", "residentTier", "years", "employeeBasePercent"])
            return .scenarios(ComparisonScenarios(
                residentTiers: try r.sequence(f["residentTiers"]!, field: "residentTiers").map { try r.fen($0, field: "residentTiers") },
                residentTier: try r.fen(f["residentTier"]!, field: "residentTier"),
                years: try r.sequence(f["years"]!, field: "years").map { try r.positive($0, field: "years") },
                employeeBasePercent: try r.basisPoints(f["employeeBasePercent"]!, field: "employeeBasePercent")))
        }
    }

    /// The fields of a mapping value; all listed fields are required, others are unknown keys.
    private func fields(_ node: Node, _ names: [String]) throws -> [String: Node] {
        try reader.fields(try reader.mapping(node, field: "value"), allowed: names, required: names, parameter: "value")
    }

    private func ascending(_ values: [Int], _ node: Node, _ field: String) throws {
        guard !values.isEmpty else { throw reader.invalid(node, field, "at least one item") }
        for (a, b) in zip(values, values.dropFirst()) where b <= a {
            throw reader.invalid(node, field, "items in rising order without repeats")
        }
    }
}
