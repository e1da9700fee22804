import Registry
import Store

/// The kinds of home visit the office makes.
public enum VisitKind: String, Sendable, CaseIterable, Codable {
    case certification
    case pensionClaim = "pension-claim"
    case enrolment
    case welfareCheck = "welfare-check"
    case followUp = "follow-up"
    /// A campaign message that did not reach the resident (failed or expired).
    case unreached

    public var chinese: String {
        switch self {
        case .certification: return "资格认证"
        case .pensionClaim: return "养老金申领"
        case .enrolment: return "参保动员"
        case .welfareCheck: return "探访"
        case .followUp: return "回访"
        case .unreached: return "未送达回访"
        }
    }
}

/// Who a rule applies to: every stated condition holds, and at least one of `any` (when given).
public struct VisitCondition: Sendable, Equatable {
    public var pension: [PensionScheme] = []
    public var categories: [Category] = []
    public var minAge: Int?
    public var maxAge: Int?
    public var any: [VisitCondition] = []

    public init(pension: [PensionScheme] = [], categories: [Category] = [], minAge: Int? = nil, maxAge: Int? = nil, any: [VisitCondition] = []) {
        self.pension = pension; self.categories = categories; self.minAge = minAge; self.maxAge = maxAge; self.any = any
    }

    /// Whether `resident` (with `categories` already worked out for `date`) meets the condition.
    public func holds(for resident: Resident, categories have: [Category], on date: CalendarDate) -> Bool {
        if !pension.isEmpty {
            guard let p = resident.pensionScheme, pension.contains(p) else { return false }
        }
        for c in categories where !have.contains(c) { return false }
        let age = resident.age(on: date)
        if let minAge, age < minAge { return false }
        if let maxAge, age > maxAge { return false }
        if !any.isEmpty && !any.contains(where: { $0.holds(for: resident, categories: have, on: date) }) { return false }
        return true
    }
}

/// One rule of `content/visit-rules.yaml`.
public struct VisitRule: Sendable, Equatable {
    public var id: String
    public var kind: VisitKind
    /// Short name for lists (Chinese).
    public var title: String
    /// What the team does at the door (Chinese).
    public var task: String
    /// The explainer whose figures the team explains.
    public var explainer: String?
    public var who: VisitCondition
    /// How long before the due date the visit may happen.
    public var leadDays: Int
    public var durationMinutes: Int
    public var priority: Int
    public var skills: [String]
    /// Certification: due this many months after the last one.
    public var cycleMonths: Int = 12
    /// Pension claim: the age, and how many days before the birthday the need appears.
    public var pensionAge: Int = 60
    public var withinDays: Int = 60
    /// Enrolment: not again within this many days of a visit.
    public var repeatDays: Int = 365
    /// Welfare check: every this many days.
    public var everyDays: Int = 30

    public init(id: String, kind: VisitKind, title: String, task: String, explainer: String? = nil, who: VisitCondition,
                leadDays: Int, durationMinutes: Int, priority: Int, skills: [String] = []) {
        self.id = id; self.kind = kind; self.title = title; self.task = task; self.explainer = explainer; self.who = who
        self.leadDays = leadDays; self.durationMinutes = durationMinutes; self.priority = priority; self.skills = skills
    }
}

/// Turns campaign messages that did not reach a resident into one visit need (content: `unreached:`).
public struct UnreachedRule: Sendable, Equatable {
    /// Title, task, duration and priority (id "unreached", kind `.unreached`).
    public var rule: VisitRule
    /// Messages that ended longer ago than this are not turned into visits.
    public var lookBackDays: Int
    /// The visit is due this many days after the first message that missed the resident.
    public var dueDays: Int
    /// Where the rule comes from, and how sure.
    public var source: String
    public var status: String

    public init(rule: VisitRule, lookBackDays: Int, dueDays: Int, source: String, status: String) {
        self.rule = rule; self.lookBackDays = lookBackDays; self.dueDays = dueDays; self.source = source; self.status = status
    }
}

/// Speed and road factor of one travel mode, for estimates from coordinates.
public struct TravelSpeed: Sendable, Equatable {
    public var kilometresPerHour: Double
    /// Road distance ÷ straight-line distance (winding mountain roads: 1.4–1.8).
    public var roadFactor: Double
    public init(kilometresPerHour: Double, roadFactor: Double) { self.kilometresPerHour = kilometresPerHour; self.roadFactor = roadFactor }
}

/// The visit rules and the parameters around them, as loaded from content.
public struct VisitRuleBook: Sendable, Equatable {
    public var rules: [VisitRule]
    /// The follow-up rule (kind `.followUp`, id "follow-up"): duration, priority, what to do.
    public var followUp: VisitRule
    /// Messages that did not reach a resident (nil: not turned into visits).
    public var unreached: UnreachedRule?
    /// Languages every team speaks; a resident speaking none of them needs a speaker of theirs.
    public var commonLanguages: [String]
    /// Skill needed for a disability type (the certificate's number).
    public var disabilitySkills: [Int: String]
    public var notHomeRetryDays: Int
    public var refusalPauseDays: Int
    public var travel: [TravelMode: TravelSpeed]
    /// Where the rules come from, and how sure.
    public var source: String
    public var status: String

    public init(rules: [VisitRule], followUp: VisitRule, commonLanguages: [String] = ["汉语"], disabilitySkills: [Int: String] = [:],
                notHomeRetryDays: Int = 3, refusalPauseDays: Int = 180, travel: [TravelMode: TravelSpeed] = [:], source: String = "", status: String = "unverified",
                unreached: UnreachedRule? = nil) {
        self.rules = rules; self.followUp = followUp; self.unreached = unreached; self.commonLanguages = commonLanguages; self.disabilitySkills = disabilitySkills
        self.notHomeRetryDays = notHomeRetryDays; self.refusalPauseDays = refusalPauseDays; self.travel = travel
        self.source = source; self.status = status
    }

    public func rule(_ id: String) -> VisitRule? {
        if id == followUp.id { return followUp }
        if let u = unreached, id == u.rule.id { return u.rule }
        return rules.first { $0.id == id }
    }

    public func speed(_ mode: TravelMode) -> TravelSpeed {
        travel[mode] ?? {
            switch mode {
            case .foot: return TravelSpeed(kilometresPerHour: 4, roadFactor: 1.5)
            case .motorbike: return TravelSpeed(kilometresPerHour: 25, roadFactor: 1.6)
            case .car: return TravelSpeed(kilometresPerHour: 30, roadFactor: 1.5)
            }
        }()
    }
}
