/// A per-gateway circuit breaker as a value: after `failureThreshold` failures in a row it opens for
/// `openSeconds`, during which the campaign waits instead of burning retries; then one probe is let
/// through (half-open) and its outcome closes or reopens the circuit. Times come from the caller.
public struct CircuitBreaker: Sendable, Equatable {
    public enum State: Sendable, Equatable {
        case closed(consecutiveFailures: Int)
        case open(until: Double)
        case halfOpen(probeInFlight: Bool)
    }

    public let failureThreshold: Int
    public let openSeconds: Double
    public private(set) var state: State = .closed(consecutiveFailures: 0)

    public init(failureThreshold: Int = 5, openSeconds: Double = 60) {
        precondition(failureThreshold >= 1 && openSeconds > 0)
        self.failureThreshold = failureThreshold
        self.openSeconds = openSeconds
    }

    /// nil when a request may go now (a probe, if half-open); otherwise the time to ask again.
    public mutating func permit(at now: Double) -> Double? {
        switch state {
        case .closed:
            return nil
        case let .open(until):
            guard now >= until else { return until }
            state = .halfOpen(probeInFlight: true)
            return nil
        case let .halfOpen(probeInFlight):
            if probeInFlight { return now + openSeconds / 10 }
            state = .halfOpen(probeInFlight: true)
            return nil
        }
    }

    /// Records the outcome of a request that was permitted. Only failures that say the gateway is
    /// unwell (unreachable, no answer, temporarily refused) should be recorded as failures.
    public mutating func record(success: Bool, at now: Double) {
        switch (state, success) {
        case (_, true):
            state = .closed(consecutiveFailures: 0)
        case let (.closed(failures), false):
            state = failures + 1 >= failureThreshold ? .open(until: now + openSeconds) : .closed(consecutiveFailures: failures + 1)
        case (.halfOpen, false), (.open, false):
            state = .open(until: now + openSeconds)
        }
    }
}
