import Benefits
import Foundation
import Registry

/// How figures are written in resident-facing text: whole yuan, Chinese dates.
public enum ChineseText {
    /// Whole yuan, rounded half-up, e.g. 552.31 → "552".
    public static func yuan(_ m: Money) -> String { Decimals.text(m.yuan, places: 0) }
    /// 2026年4月5日
    public static func date(_ d: CalendarDate) -> String { "\(d.year)年\(d.month)月\(d.day)日" }
    /// 4月5日
    public static func monthDay(_ d: CalendarDate) -> String { "\(d.month)月\(d.day)日" }
    /// 2026年4月
    public static func month(_ m: YearMonth) -> String { "\(m.year)年\(m.month)月" }
}
