import Benefits

/// A figure an explainer can put in its text. Each is computed by `FigureCalculator` from the
/// `Benefits` rules and the register; templates refer to it by its raw value, e.g. `{{example_tier_pension}}`.
public enum ExplainerFigure: String, Sendable, CaseIterable, Codable {
    // Why insure (comparison table whyInsure).
    case lowestTier = "lowest_tier"
    case lowestTierPension = "lowest_tier_pension"
    case exampleTier = "example_tier"
    case exampleTierPension = "example_tier_pension"
    case minimumYears = "minimum_years"
    // Why a higher tier: the resident's own tier against the next example tier.
    case currentTier = "current_tier"
    case currentTierPension = "current_tier_pension"
    case higherTier = "higher_tier"
    case higherTierPension = "higher_tier_pension"
    // Why longer (comparison table whyLonger).
    case longerYears = "longer_years"
    case longerYearsPension = "longer_years_pension"
    // Why the employee scheme (comparison table whyEmployee).
    case employeeYears = "employee_years"
    case employeeBasePercent = "employee_base_percent"
    case employeePension = "employee_pension"
    /// What the person pays a year on average in the employee scheme (personal cost ÷ years).
    case employeeYearlyCost = "employee_yearly_cost"
    case residentSameYearsPension = "resident_same_years_pension"
    // Notices.
    case lastCertification = "last_certification"
    case certificationDue = "certification_due"
    case claimAge = "claim_age"
    case claimMonth = "claim_month"
    case yearsPaid = "years_paid"
    /// Absent (an empty section) when nothing is missing.
    case missingYears = "missing_years"
    case basicPension = "basic_pension"
    case visitDate = "visit_date"
    case hardshipGroup = "hardship_group"
    case governmentPaid = "government_paid"
    case paidTierPension = "paid_tier_pension"

    /// What the figure is, in Chinese, for the coordinator's view.
    public var label: String {
        switch self {
        case .lowestTier: return "最低档次（元/年）"
        case .lowestTierPension: return "最低档缴满最低年限，每月养老金（元）"
        case .exampleTier: return "示例档次（元/年）"
        case .exampleTierPension: return "示例档缴满最低年限，每月养老金（元）"
        case .minimumYears: return "居民养老保险最低缴费年限"
        case .currentTier: return "本人现在的档次（元/年）"
        case .currentTierPension: return "本人档次缴满最低年限，每月养老金（元）"
        case .higherTier: return "高一档示例（元/年）"
        case .higherTierPension: return "高一档缴满最低年限，每月养老金（元）"
        case .longerYears: return "多缴的年限"
        case .longerYearsPension: return "示例档缴更长年限，每月养老金（元）"
        case .employeeYears: return "职工养老保险最低缴费年限（按本人退休年份）"
        case .employeeBasePercent: return "职工养老保险缴费基数（平均工资的百分比）"
        case .employeePension: return "职工养老保险每月养老金（元）"
        case .employeeYearlyCost: return "职工养老保险本人平均每年缴费（元）"
        case .residentSameYearsPension: return "居民养老保险同样年限每月养老金（元）"
        case .lastCertification: return "上次领取资格认证"
        case .certificationDue: return "认证到期"
        case .claimAge: return "居民养老金领取年龄"
        case .claimMonth: return "可以开始领取的月份"
        case .yearsPaid: return "已缴费年限（登记）"
        case .missingYears: return "还差的缴费年限"
        case .basicPension: return "领取时每月基础养老金（元）"
        case .visitDate: return "上门日期"
        case .hardshipGroup: return "政府代缴的群体"
        case .governmentPaid: return "政府每年代缴（元）"
        case .paidTierPension: return "代缴最低档缴满最低年限，每月养老金（元）"
        }
    }
}

/// A computed figure: the text put in the message, the exact value, and where it came from.
public struct FigureValue: Sendable, Equatable, Encodable {
    public let figure: ExplainerFigure
    /// As written in the message, e.g. "552" (money in whole yuan, rounded half-up) or "2026年4月".
    public let text: String
    /// The exact value behind the text, e.g. "552.31" yuan, when it differs.
    public let exact: String?
    /// Policy parameters the figure rests on.
    public let parameters: [ParameterUse]
    /// Register fields the figure comes from, e.g. `last_certification`.
    public let registerFields: [String]
    /// Assumptions stated by the calculation.
    public let assumptions: [String]

    public init(figure: ExplainerFigure, text: String, exact: String? = nil, parameters: [ParameterUse] = [],
                registerFields: [String] = [], assumptions: [String] = []) {
        self.figure = figure
        self.text = text
        self.exact = exact
        self.parameters = parameters
        self.registerFields = registerFields
        self.assumptions = assumptions
    }

    /// True when the figure rests on a policy parameter that is not official or secondary, or one carried past
    /// its last date. The comparison's choice of examples (`comparison.*`) is editorial, not policy, and does not count.
    public var needsLocalConfirmation: Bool {
        parameters.contains { !$0.key.hasPrefix("comparison.") && ($0.status.needsLocalConfirmation || $0.projectedTo != nil) }
    }

    enum CodingKeys: String, CodingKey { case figure, label, text, exact, parameters, registerFields, assumptions, needsLocalConfirmation }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(figure, forKey: .figure)
        try c.encode(figure.label, forKey: .label)
        try c.encode(text, forKey: .text)
        try c.encodeIfPresent(exact, forKey: .exact)
        try c.encode(parameters, forKey: .parameters)
        try c.encode(registerFields, forKey: .registerFields)
        try c.encode(assumptions, forKey: .assumptions)
        try c.encode(needsLocalConfirmation, forKey: .needsLocalConfirmation)
    }
}
