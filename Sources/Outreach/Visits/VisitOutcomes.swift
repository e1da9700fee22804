import Registry
import Store

/// What an outcome at the door changes: register findings and, for nobody home, a follow-up (pure).
public enum VisitOutcomes {
    /// Morning and afternoon, for rescheduling a visit where nobody was home into the other half of the day.
    public static let morning = (start: 8 * 60, end: 12 * 60)
    public static let afternoon = (start: 13 * 60 + 30, end: 17 * 60 + 30)

    public static func effects(of status: VisitStatus, for visit: VisitRecord, book: VisitRuleBook)
        -> (findings: [VisitFinding], followUp: FollowUp?) {
        switch status {
        case .planned, .refused: return ([], nil)
        case .deceased: return ([.deceased(on: visit.date)], nil)
        case .moved: return ([.movedOut(on: visit.date)], nil)
        case .certified: return ([.certified(on: visit.date)], nil)
        case .claimed: return ([.pension(.receiving)], nil)
        case .enrolled: return ([.pension(.resident)], nil)
        case .done:
            // Done on a certification or claim visit means the certification or claim was made.
            if visit.kind == VisitKind.certification.rawValue { return ([.certified(on: visit.date)], nil) }
            if visit.kind == VisitKind.pensionClaim.rawValue { return ([.pension(.receiving)], nil) }
            return ([], nil)
        case .notHome:
            let slot = visit.start < 12 * 60 ? afternoon : morning
            let title = book.rule(visit.rule)?.title ?? visit.kind
            return ([], FollowUp(residentID: visit.residentID, source: "visit",
                                 reason: "\(visit.date)上门\(title)无人在家，改在\(slot == afternoon ? "下午" : "上午")再去",
                                 created: visit.date, due: visit.date.adding(days: book.notHomeRetryDays),
                                 windowStart: slot.start, windowEnd: slot.end))
        }
    }
}
