/// A token-bucket throttle (messages per second with a burst), as a value: the caller passes the time.
///
/// Times are seconds on any monotonic clock the caller chooses; a clock that goes back is treated as
/// standing still.
public struct TokenBucket: Sendable, Equatable {
    /// Tokens added per second.
    public let ratePerSecond: Double
    /// Most tokens the bucket holds (the largest burst).
    public let burst: Double
    public private(set) var tokens: Double
    public private(set) var updatedAt: Double

    /// A full bucket at `now`.
    public init(ratePerSecond: Double, burst: Double, now: Double) throws(MessagingError) {
        guard ratePerSecond > 0, ratePerSecond.isFinite else { throw .invalidThrottle(reason: "rate \(ratePerSecond) is not positive") }
        guard burst >= 1, burst.isFinite else { throw .invalidThrottle(reason: "burst \(burst) is below 1") }
        self.ratePerSecond = ratePerSecond
        self.burst = burst
        self.tokens = burst
        self.updatedAt = now
    }

    private mutating func refill(at now: Double) {
        guard now > updatedAt else { return }
        tokens = min(burst, tokens + (now - updatedAt) * ratePerSecond)
        updatedAt = now
    }

    /// Takes `count` tokens at `now` if they are there and returns 0; otherwise takes nothing and
    /// returns the seconds to wait until they will be.
    public mutating func take(at now: Double, count: Double = 1) -> Double {
        precondition(count > 0 && count <= burst, "cannot take \(count) tokens from a bucket of \(burst)")
        refill(at: now)
        // A tolerance of a nanotoken keeps float rounding from refusing a token that is due.
        if tokens + 1e-9 >= count {
            tokens = max(0, tokens - count)
            return 0
        }
        return (count - tokens) / ratePerSecond
    }

    /// Tokens available at `now`, without taking any.
    public func available(at now: Double) -> Double {
        guard now > updatedAt else { return tokens }
        return min(burst, tokens + (now - updatedAt) * ratePerSecond)
    }
}
