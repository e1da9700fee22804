import Foundation

/// Limits failed token and password guesses per client: each client may fail `burst` times, then one more
/// time every `refillSeconds`. Time comes in as a parameter, so it is tested without a clock.
public final class GuessLimiter: @unchecked Sendable {
    struct Bucket { var tokens: Double; var at: Double }
    private let lock = NSLock()
    private var table: [String: Bucket] = [:]  // guarded by lock
    public let burst: Double
    public let refillSeconds: Double
    /// Clients remembered at most; the oldest are forgotten beyond it (a bounded table under a flood).
    public let capacity: Int

    public init(burst: Int = 10, refillSeconds: Double = 60, capacity: Int = 10_000) {
        self.burst = Double(burst); self.refillSeconds = refillSeconds; self.capacity = capacity
    }

    /// Whether `client` may try now (it has not used up its failures).
    public func allows(_ client: String, now: Date) -> Bool {
        withTable { table in current(table[client], now: now) >= 1 }
    }

    /// Records a failed guess by `client`.
    public func recordFailure(_ client: String, now: Date) {
        withTable { table in
            let t = now.timeIntervalSince1970
            let left = max(0, current(table[client], now: now) - 1)
            if table[client] == nil && table.count >= capacity {
                if let oldest = table.min(by: { $0.value.at < $1.value.at })?.key { table[oldest] = nil }
            }
            table[client] = Bucket(tokens: left, at: t)
        }
    }

    /// Seconds until `client` may try again (0 when it may now).
    public func retryAfter(_ client: String, now: Date) -> Int {
        withTable { table in
            let c = current(table[client], now: now)
            return c >= 1 ? 0 : Int(((1 - c) * refillSeconds).rounded(.up))
        }
    }

    private func withTable<T>(_ body: (inout [String: Bucket]) -> T) -> T {
        lock.lock(); defer { lock.unlock() }
        return body(&table)
    }

    private func current(_ b: Bucket?, now: Date) -> Double {
        guard let b else { return burst }
        return min(burst, b.tokens + (now.timeIntervalSince1970 - b.at) / refillSeconds)
    }
}
