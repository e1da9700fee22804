import Foundation

/// What to do after a failed send.
public enum RetryDecision: Sendable, Equatable {
    /// Try again after this many seconds.
    case retry(afterSeconds: Double)
    /// Stop: the message has failed for good (the reason says why).
    case giveUp(reason: String)
    /// The send may have reached the gateway: do not resend; mark `unknown` and settle it from delivery reports.
    case awaitReport
}

/// Exponential backoff with jitter; retries only what can succeed later, honours Retry-After.
///
/// Attempt n (1-based, the attempt that just failed) waits `min(maxDelay, base × multiplier^(n−1))`,
/// jittered to between half and all of it ("equal jitter": randomness spreads a thundering herd while
/// the wait still grows). The random value is passed in, in [0, 1).
public struct RetryPolicy: Sendable, Equatable, Codable {
    public var baseDelaySeconds: Double
    public var multiplier: Double
    public var maxDelaySeconds: Double
    /// Attempts in all, the first send included.
    public var maxAttempts: Int
    /// The longest Retry-After honoured; a longer one is cut to this.
    public var maxRetryAfterSeconds: Double

    public init(baseDelaySeconds: Double = 2, multiplier: Double = 2, maxDelaySeconds: Double = 600,
                maxAttempts: Int = 8, maxRetryAfterSeconds: Double = 3600) {
        self.baseDelaySeconds = baseDelaySeconds
        self.multiplier = multiplier
        self.maxDelaySeconds = maxDelaySeconds
        self.maxAttempts = maxAttempts
        self.maxRetryAfterSeconds = maxRetryAfterSeconds
    }

    /// The un-jittered wait after failed attempt `attempt` (1-based).
    public func ceiling(afterAttempt attempt: Int) -> Double {
        let exponent = Double(max(0, attempt - 1))
        return min(maxDelaySeconds, baseDelaySeconds * pow(multiplier, exponent))
    }

    /// The jittered wait after failed attempt `attempt`; `random` in [0, 1).
    public func delay(afterAttempt attempt: Int, random: Double) -> Double {
        let ceiling = ceiling(afterAttempt: attempt)
        let r = min(max(random, 0), 1)
        return ceiling / 2 + r * ceiling / 2
    }

    /// Decides after attempt `attempt` failed with `error`. `gatewayDeduplicates` allows resending a
    /// message that may have been sent (the provider drops the duplicate by its idempotency key).
    public func decision(after error: GatewayError, attempt: Int, random: Double,
                         gatewayDeduplicates: Bool = false) -> RetryDecision {
        if error.mayHaveBeenSent && !gatewayDeduplicates { return .awaitReport }
        guard error.isRetryable || (error.mayHaveBeenSent && gatewayDeduplicates) else {
            return .giveUp(reason: error.description)
        }
        guard attempt < maxAttempts else {
            return .giveUp(reason: "gave up after \(attempt) attempts: \(error.description)")
        }
        var wait = delay(afterAttempt: attempt, random: random)
        if let asked = error.retryAfter { wait = max(wait, min(asked, maxRetryAfterSeconds)) }
        return .retry(afterSeconds: wait)
    }
}

/// Reads an HTTP `Retry-After` header: delta-seconds or an HTTP-date (IMF-fixdate), relative to `now`.
public enum RetryAfter {
    public static func seconds(_ header: String, now: Date) -> Double? {
        let text = header.trimmingWhitespace()
        if let seconds = Int(text) { return seconds >= 0 ? Double(seconds) : nil }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
        guard let date = formatter.date(from: text) else { return nil }
        return max(0, date.timeIntervalSince(now))
    }
}
