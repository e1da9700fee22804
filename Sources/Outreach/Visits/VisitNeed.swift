import Registry

/// Someone who needs a home visit, why, by when, and what the visit takes.
public struct VisitNeed: Sendable, Equatable, Codable {
    /// The resident's full ID (never printed; lists show it masked).
    public var residentID: String
    public var name: String
    /// Members of one household are served in one stop: the household ID, or the resident's ID when alone.
    public var household: String
    public var areaCode: String
    public var latitude: Double?
    public var longitude: Double?
    public var rule: String
    public var kind: VisitKind
    public var title: String
    /// The date the visit should happen by; nil when there is no deadline (enrolment).
    public var due: CalendarDate?
    /// The first day the visit makes sense.
    public var earliest: CalendarDate
    public var priority: Int
    public var durationMinutes: Int
    public var skills: [String]
    /// When someone is home (minutes since midnight); nil: any time of the team's day.
    public var windowStart: Int?
    public var windowEnd: Int?
    /// Why the visit exists, in plain Chinese.
    public var reason: String
    /// The follow-up this need answers.
    public var followUp: Int64?

    /// Due on or before `date`.
    public func isDue(on date: CalendarDate) -> Bool { due.map { $0 <= date } ?? false }

    /// Already late on `date`.
    public func isOverdue(on date: CalendarDate) -> Bool { due.map { $0 < date } ?? false }

    /// A key for one need (resident and rule).
    public var key: String { residentID + "|" + rule }
}

extension CalendarDate {
    /// The same day `months` later; a day the month lacks becomes its last day (31 January + 1 month = 28/29 February).
    public func adding(months: Int) -> CalendarDate {
        let total = year * 12 + (month - 1) + months
        let y = total / 12, m = total % 12 + 1
        return CalendarDate(year: y, month: m, day: min(day, CalendarDate.daysIn(month: m, year: y)))!
    }

    /// The first day on which someone born on this date is `years` old (born 29 February: 1 March in other years),
    /// matching `age(on:)`.
    public func birthday(turning years: Int) -> CalendarDate {
        let y = year + years
        if month == 2 && day == 29 && CalendarDate.daysIn(month: 2, year: y) == 28 { return CalendarDate(year: y, month: 3, day: 1)! }
        return CalendarDate(year: y, month: month, day: day)!
    }

    /// ISO weekday: 1 = Monday … 7 = Sunday.
    public var weekday: Int {
        // 1970-01-01 was a Thursday (4).
        let d = (daysSinceEpoch % 7 + 7) % 7
        return (d + 3) % 7 + 1
    }
}
