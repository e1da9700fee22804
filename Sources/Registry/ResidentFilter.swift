/// A selection of residents: the fields `registry find` and campaign audiences filter on.
///
/// Pure value; the store compiles it to parameterised SQL.
public struct ResidentFilter: Sendable, Equatable {
    public var categories: [Category] = []
    /// Area-code prefixes; a resident matches if within any (empty: everywhere).
    public var areaPrefixes: [AreaPrefix] = []
    public var minAge: Int?
    public var maxAge: Int?
    public var pension: [PensionScheme] = []
    public var life: [LifeStatus] = []
    public var nameContains: String?

    public init() {}

    /// Birth-date bounds (inclusive) for the age range on `date`.
    public func birthBounds(on date: CalendarDate) -> (earliest: CalendarDate?, latest: CalendarDate?) {
        // age >= minAge  ⇔  birth <= date - minAge years
        // age <= maxAge  ⇔  birth >  date - (maxAge + 1) years
        let latest = minAge.map { CalendarDate.yearsBefore(date, $0) }
        let earliest = maxAge.map { CalendarDate.yearsBefore(date, $0 + 1).adding(days: 1) }
        return (earliest, latest)
    }
}

extension CalendarDate {
    /// The same day `years` earlier (29 February falls back to 28 February).
    public static func yearsBefore(_ date: CalendarDate, _ years: Int) -> CalendarDate {
        let y = date.year - years
        let d = min(date.day, CalendarDate.daysIn(month: date.month, year: y))
        return CalendarDate(year: y, month: date.month, day: d)!
    }
}
