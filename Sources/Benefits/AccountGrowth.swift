import Foundation

/// One calendar year of a personal account.
public struct AccountYear: Sendable, Codable, Equatable {
    public let year: Int
    /// Months of the year the account is credited for interest (12 for a full year).
    public let months: Int
    public let opening: Money
    /// Everything credited this year (personal, subsidy, aid, government-paid).
    public let credits: Money
    public let rate: Rate
    public let closing: Money
}

/// Year-by-year account growth: `closing = opening × (1 + r·g) + credits × (1 + r·w·f)`, where `g` and `f` are the
/// shares of the year (months ÷ 12) the balance and the credits are held and `w` the crediting convention's weight for this year's credits.
/// Balances are carried exactly; only the displayed rows and the final balance are rounded to the fen.
public enum AccountGrowth {
    public struct Step: Sendable {
        public let year: Int
        /// Months of the year over which this year's credits are spread.
        public let months: Int
        /// Months of the year the opening balance earns interest.
        public let balanceMonths: Int
        public let credits: Decimal
        public let rate: Rate
        public init(year: Int, months: Int = 12, balanceMonths: Int = 12, credits: Decimal, rate: Rate) {
            self.year = year
            self.months = months
            self.balanceMonths = balanceMonths
            self.credits = credits
            self.rate = rate
        }
    }

    /// Returns the exact closing balance and one row per step.
    public static func grow(opening: Decimal, steps: [Step], convention: CreditingConvention) -> (closing: Decimal, rows: [AccountYear]) {
        var balance = opening
        var rows: [AccountYear] = []
        for s in steps {
            let f = Decimal(s.months) / 12
            let r = s.rate.fraction
            let before = balance
            balance = balance * (1 + r * Decimal(s.balanceMonths) / 12) + s.credits * (1 + r * convention.contributionWeight * f)
            rows.append(AccountYear(year: s.year, months: s.months, opening: Money(roundingYuan: before),
                                    credits: Money(roundingYuan: s.credits), rate: s.rate, closing: Money(roundingYuan: balance)))
        }
        return (balance, rows)
    }
}
