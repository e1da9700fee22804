import Foundation
import Testing
@testable import Messaging

private let shanghai = TimeZone(identifier: "Asia/Shanghai")!

/// A local Kunming/Beijing time (UTC+8) as an instant.
private func local(_ y: Int, _ mo: Int, _ d: Int, _ h: Int, _ mi: Int, _ s: Int = 0) -> Date {
    var calendar = Calendar(identifier: .gregorian)
    calendar.timeZone = shanghai
    return calendar.date(from: DateComponents(year: y, month: mo, day: d, hour: h, minute: mi, second: s))!
}

@Suite("Quiet hours")
struct QuietHoursTests {
    @Test func smsHeldOvernightUntilEight() {
        let sms = QuietHours.smsDefault
        #expect(sms.decision(at: local(2026, 11, 30, 20, 59, 59), timeZone: shanghai) == .sendNow)
        #expect(sms.decision(at: local(2026, 11, 30, 21, 0), timeZone: shanghai) == .hold(until: local(2026, 12, 1, 8, 0)))
        #expect(sms.decision(at: local(2026, 12, 31, 23, 30), timeZone: shanghai) == .hold(until: local(2027, 1, 1, 8, 0)))
        #expect(sms.decision(at: local(2026, 12, 1, 3, 0), timeZone: shanghai) == .hold(until: local(2026, 12, 1, 8, 0)))
        #expect(sms.decision(at: local(2026, 12, 1, 7, 59, 59), timeZone: shanghai) == .hold(until: local(2026, 12, 1, 8, 0)))
        #expect(sms.decision(at: local(2026, 12, 1, 8, 0), timeZone: shanghai) == .sendNow)
    }

    @Test func voiceRespectsMiddayRestAndNight() {
        let voice = QuietHours.voiceDefault
        #expect(voice.nextAllowed(at: local(2026, 11, 30, 11, 59), timeZone: shanghai) == local(2026, 11, 30, 11, 59))
        #expect(voice.nextAllowed(at: local(2026, 11, 30, 12, 30), timeZone: shanghai) == local(2026, 11, 30, 14, 0))
        #expect(voice.nextAllowed(at: local(2026, 11, 30, 22, 0), timeZone: shanghai) == local(2026, 12, 1, 9, 0))
        #expect(voice.nextAllowed(at: local(2026, 12, 1, 8, 30), timeZone: shanghai) == local(2026, 12, 1, 9, 0))
    }

    @Test func adjacentAndOverlappingWindowsChain() throws {
        let hours = try QuietHours("21:00-23:00,22:30-06:00,06:00-07:15")
        #expect(hours.nextAllowed(at: local(2026, 11, 30, 21, 10), timeZone: shanghai) == local(2026, 12, 1, 7, 15))
    }

    @Test func windowEndingAtMidnightAndTimeZones() throws {
        let hours = try QuietHours("20:00-24:00")
        #expect(hours.nextAllowed(at: local(2026, 11, 30, 23, 0), timeZone: shanghai) == local(2026, 12, 1, 0, 0))
        // The same instant seen in UTC is 15:00, outside the window.
        let instant = local(2026, 11, 30, 23, 0)
        #expect(hours.decision(at: instant, timeZone: TimeZone(identifier: "UTC")!) == .sendNow)
    }

    @Test func invalidWindowsAreRefused() {
        #expect(throws: MessagingError.self) { try QuietHours("21:00") }
        #expect(throws: MessagingError.self) { try QuietHours("25:00-08:00") }
        #expect(throws: MessagingError.self) { try QuietHours("08:00-08:00") }
        #expect(throws: MessagingError.self) { try QuietHours("9:00-10:00") }
        #expect(throws: MessagingError.self) { try QuietHours("00:00-24:00") }
        #expect(throws: MessagingError.self) { try QuietHours("08:00-20:00,20:00-08:00") }
        #expect(throws: Never.self) { try QuietHours("") }
    }

    @Test func areaOverridesUseTheLongestPrefix() throws {
        let market = try QuietHours("20:00-09:00")
        let village = try QuietHours("19:00-10:00")
        let policy = QuietHoursPolicy(standard: .smsDefault, overrides: ["5301": market, "530124101": village])
        #expect(policy.hours(forArea: "530124101203") == village)
        #expect(policy.hours(forArea: "530102001001") == market)
        #expect(policy.hours(forArea: "532901000000") == .smsDefault)
        #expect(policy.hours(forArea: nil) == .smsDefault)
    }
}

@Suite("Throttle, retries and circuit")
struct DispatchRulesTests {
    @Test func tokenBucketAllowsBurstThenRate() throws {
        var bucket = try TokenBucket(ratePerSecond: 10, burst: 3, now: 100)
        #expect(bucket.take(at: 100) == 0)
        #expect(bucket.take(at: 100) == 0)
        #expect(bucket.take(at: 100) == 0)
        let wait = bucket.take(at: 100)
        #expect(abs(wait - 0.1) < 1e-9)
        #expect(bucket.take(at: 100.05) > 0)
        #expect(bucket.take(at: 100.1) == 0)
        // Idle for a long time refills only up to the burst.
        #expect(bucket.available(at: 1000) == 3)
        // A clock that goes back is treated as standing still.
        #expect(bucket.available(at: 50) == bucket.tokens)
    }

    @Test func tokenBucketSustainedRateOverTenSeconds() throws {
        var bucket = try TokenBucket(ratePerSecond: 50, burst: 5, now: 0)
        var sent = 0
        var t = 0.0
        while t <= 10 {
            if bucket.take(at: t) == 0 { sent += 1 }
            t += 0.001
        }
        #expect((500...506).contains(sent))
    }

    @Test func tokenBucketRefusesNonsense() {
        #expect(throws: MessagingError.self) { try TokenBucket(ratePerSecond: 0, burst: 1, now: 0) }
        #expect(throws: MessagingError.self) { try TokenBucket(ratePerSecond: 5, burst: 0.5, now: 0) }
    }

    @Test func backoffDoublesWithEqualJitterAndCaps() {
        let policy = RetryPolicy(baseDelaySeconds: 2, multiplier: 2, maxDelaySeconds: 60, maxAttempts: 10)
        #expect((1...7).map { policy.ceiling(afterAttempt: $0) } == [2, 4, 8, 16, 32, 60, 60])
        #expect(policy.delay(afterAttempt: 3, random: 0) == 4)
        #expect(policy.delay(afterAttempt: 3, random: 0.5) == 6)
        #expect(policy.delay(afterAttempt: 3, random: 0.999_999) < 8)
    }

    @Test func retryDecisionsFollowTheErrorKind() {
        let policy = RetryPolicy(baseDelaySeconds: 1, multiplier: 2, maxDelaySeconds: 100, maxAttempts: 4)
        let down = GatewayError.unreachable(gateway: "k", detail: "connection refused")
        #expect(policy.decision(after: down, attempt: 1, random: 0) == .retry(afterSeconds: 0.5))
        #expect(policy.decision(after: down, attempt: 4, random: 0) == .giveUp(reason: "gave up after 4 attempts: \(down.description)"))
        let busy = GatewayError.temporarilyRefused(gateway: "k", status: 429, body: "", retryAfter: 30)
        #expect(policy.decision(after: busy, attempt: 1, random: 0) == .retry(afterSeconds: 30))
        let rejected = GatewayError.rejected(gateway: "k", status: 400, code: nil, body: "Missing receiver number, rejected")
        #expect(policy.decision(after: rejected, attempt: 1, random: 0) == .giveUp(reason: rejected.description))
        let timeout = GatewayError.noAnswer(gateway: "k", detail: "timed out")
        #expect(policy.decision(after: timeout, attempt: 1, random: 0) == .awaitReport)
        #expect(policy.decision(after: timeout, attempt: 1, random: 0, gatewayDeduplicates: true) == .retry(afterSeconds: 0.5))
    }

    @Test func retryAfterHeaderSecondsAndDate() {
        let now = Date(timeIntervalSince1970: 784_111_717)   // Sun, 06 Nov 1994 08:48:37 GMT
        #expect(RetryAfter.seconds("120", now: now) == 120)
        #expect(RetryAfter.seconds("Sun, 06 Nov 1994 08:49:37 GMT", now: now) == 60)
        #expect(RetryAfter.seconds("soon", now: now) == nil)
        #expect(RetryAfter.seconds("-5", now: now) == nil)
    }

    @Test func circuitOpensAfterRepeatedFailuresAndProbes() {
        var circuit = CircuitBreaker(failureThreshold: 3, openSeconds: 30)
        for t in 0..<2 {
            #expect(circuit.permit(at: Double(t)) == nil)
            circuit.record(success: false, at: Double(t))
        }
        #expect(circuit.state == .closed(consecutiveFailures: 2))
        circuit.record(success: false, at: 2)
        #expect(circuit.state == .open(until: 32))
        #expect(circuit.permit(at: 10) == 32)
        #expect(circuit.permit(at: 32) == nil)           // the probe
        #expect(circuit.permit(at: 32) != nil)           // no second request while the probe is out
        circuit.record(success: false, at: 33)
        #expect(circuit.state == .open(until: 63))
        #expect(circuit.permit(at: 63) == nil)
        circuit.record(success: true, at: 64)
        #expect(circuit.state == .closed(consecutiveFailures: 0))
    }
}
