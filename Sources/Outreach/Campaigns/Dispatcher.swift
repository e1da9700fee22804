import Foundation
import Messaging
import Store

/// The time source of a dispatcher: the system clock in service, a hand-moved one in tests.
public protocol DispatchClock: Sendable {
    func now() -> Date
    func sleep(seconds: Double) async
}

/// Wall-clock time and real sleeping.
public struct SystemDispatchClock: DispatchClock {
    public init() {}
    public func now() -> Date { Date() }
    public func sleep(seconds: Double) async {
        guard seconds > 0 else { return }
        try? await Task.sleep(nanoseconds: UInt64(min(seconds, 3600) * 1_000_000_000))
    }
}

/// The gateways a dispatcher sends through: one for SMS, and one for voice if the office has one.
public struct DispatchGateways: Sendable {
    public var sms: any SMSGateway
    public var voice: (any SMSGateway)?
    public init(sms: any SMSGateway, voice: (any SMSGateway)? = nil) {
        self.sms = sms
        self.voice = voice
    }
    public func gateway(for channel: OutboxChannel) -> (any SMSGateway)? { channel == .sms ? sms : voice }
    public var channels: [OutboxChannel] { voice == nil ? [.sms] : [.sms, .voice] }
}

/// What one dispatcher round did.
public struct DispatchRound: Sendable, Equatable {
    public var claimed = 0
    public var accepted = 0
    public var retried = 0
    public var held = 0
    public var failed = 0
    public var unknown = 0
    public var expired = 0
    /// The circuit was open: nothing was claimed; wait this long.
    public var circuitWait: Double?

    /// Counts one recorded outcome.
    mutating func count(_ outcome: OutboxOutcome) {
        switch outcome {
        case .accepted: accepted += 1
        case .retry: retried += 1
        case .held: held += 1
        case .failed: failed += 1
        case .unknown: unknown += 1
        case .expired: expired += 1
        }
    }

    public static func + (a: DispatchRound, b: DispatchRound) -> DispatchRound {
        DispatchRound(claimed: a.claimed + b.claimed, accepted: a.accepted + b.accepted, retried: a.retried + b.retried,
                      held: a.held + b.held, failed: a.failed + b.failed, unknown: a.unknown + b.unknown,
                      expired: a.expired + b.expired, circuitWait: b.circuitWait)
    }
}

/// Moves outbox messages to their gateways: claims due messages (durably, under a lease), holds what
/// quiet hours or the per-phone cap forbid, throttles with a token bucket, sends with bounded
/// concurrency, and records each answer. A failure that may hide a send becomes `unknown` (never resent
/// unless the gateway deduplicates); retryable failures come back with exponential backoff; a gateway
/// that keeps failing opens the circuit and the dispatcher waits instead of burning retries.
public final class Dispatcher: @unchecked Sendable {
    public let database: CarnationDatabase
    public let settings: CampaignSettings
    public let gateways: DispatchGateways
    public let clock: any DispatchClock
    /// This dispatcher's name on its leases.
    public let owner: String
    private let random: @Sendable () -> Double
    private var bucket: TokenBucket
    private var circuit: CircuitBreaker

    public init(database: CarnationDatabase, settings: CampaignSettings, gateways: DispatchGateways, clock: any DispatchClock = SystemDispatchClock(),
                owner: String = "dispatcher-\(ProcessInfo.processInfo.processIdentifier)-\(UUID().uuidString.prefix(8))",
                random: @escaping @Sendable () -> Double = { Double.random(in: 0..<1) }) throws {
        self.database = database
        self.settings = settings
        self.gateways = gateways
        self.clock = clock
        self.owner = owner
        self.random = random
        bucket = try TokenBucket(ratePerSecond: settings.ratePerSecond, burst: settings.burst, now: clock.now().timeIntervalSince1970)
        circuit = CircuitBreaker(failureThreshold: settings.circuitFailures, openSeconds: settings.circuitOpenSeconds)
    }

    /// Gateways whose messages may be sent again after a crash.
    var resendable: Set<String> {
        var names = Set<String>()
        for g in [gateways.sms] + (gateways.voice.map { [$0] } ?? []) where g.deduplicates || settings.resendAfterCrash { names.insert(g.name) }
        return names
    }

    /// Settles what a dead dispatcher left behind and what waited too long for a report.
    public func housekeeping() throws -> (requeued: Int, unknown: Int, expired: Int) {
        let now = clock.now()
        let r = try database.recoverAbandonedSends(now: now, resendable: resendable) { [gateways] in gateways.gateway(for: $0)?.name ?? "none" }
        let e = try database.expireUnreported(olderThan: settings.reportTimeoutHours * 3600, now: now) + database.expirePastWindow(now: now)
        return (r.requeued, r.unknown, e)
    }

    /// One round: claim a batch, decide, send, record.
    public func round(batch: Int? = nil) async throws -> DispatchRound {
        let now = clock.now()
        if let askAgain = circuit.permit(at: now.timeIntervalSince1970) {
            var r = DispatchRound()
            r.circuitWait = max(0.01, askAgain - now.timeIntervalSince1970)
            return r
        }
        let half = if case .halfOpen = circuit.state { true } else { false }
        // Claim only what goes out now: tokens are taken first, so a claimed message is one being sent
        // (a crash then leaves at most one batch in doubt).
        var wait = bucket.take(at: clock.now().timeIntervalSince1970)
        while wait > 0 {
            await clock.sleep(seconds: wait)
            wait = bucket.take(at: clock.now().timeIntervalSince1970)
        }
        var limit = 1
        if !half {
            let extra = min(Double(max(1, batch ?? settings.concurrency) - 1), bucket.available(at: clock.now().timeIntervalSince1970).rounded(.down))
            if extra >= 1 { _ = bucket.take(at: clock.now().timeIntervalSince1970, count: extra); limit += Int(extra) }
        }
        let claimed = try await whileBusy { try database.claimDue(now: clock.now(), limit: limit, leaseSeconds: settings.leaseSeconds, owner: owner, channels: gateways.channels) }
        guard !claimed.isEmpty else {
            if half { reopenWithoutProbe(at: now) }
            return DispatchRound()
        }
        let outcomes = try await process(claimed)
        // The sends happened: keep trying to record them while another process holds the lock.
        try await whileBusy(limitSeconds: settings.leaseSeconds / 2) { try database.record(outcomes, owner: owner, now: clock.now()) }
        var r = DispatchRound()
        r.claimed = claimed.count
        for o in outcomes { r.count(o) }
        return r
    }

    /// Runs `body`, trying again while another process holds the database lock (up to `limitSeconds`).
    @discardableResult
    func whileBusy<T>(limitSeconds: Double = 30, _ body: () throws -> T) async throws -> T {
        let start = Date()
        var pause = 0.05
        while true {
            do { return try body() } catch where CarnationDatabase.isBusy(error) && Date().timeIntervalSince(start) < limitSeconds {
                try? await Task.sleep(nanoseconds: UInt64(pause * 1_000_000_000))
                pause = min(pause * 2, 1)
            }
        }
    }

    /// A half-open circuit whose probe found nothing to send goes back to "open until now", so the next
    /// message is the probe. (`CircuitBreaker` has no call to hand back an unused probe.)
    private func reopenWithoutProbe(at now: Date) {
        var fresh = CircuitBreaker(failureThreshold: settings.circuitFailures, openSeconds: settings.circuitOpenSeconds)
        for _ in 0..<settings.circuitFailures { fresh.record(success: false, at: now.timeIntervalSince1970 - settings.circuitOpenSeconds) }
        circuit = fresh
    }

    /// Decides and sends claimed messages; returns one outcome per message (not yet recorded).
    public func process(_ claimed: [OutboxMessage]) async throws -> [OutboxOutcome] {
        let (outcomes, toSend) = try decide(claimed)
        return outcomes + (await send(toSend))
    }

    /// Splits claimed messages into those that go now and outcomes for the rest (window closed, quiet hours, cap).
    func decide(_ claimed: [OutboxMessage]) throws -> (outcomes: [OutboxOutcome], toSend: [OutboxMessage]) {
        let now = clock.now()
        var outcomes: [OutboxOutcome] = []
        var toSend: [OutboxMessage] = []
        var counts: [String: Int] = [:]
        if let cap = settings.phoneCap {
            counts = try database.recentSends(to: claimed.map(\.phone), since: now.addingTimeInterval(-cap.hours * 3600))
        }
        // One quiet-hours decision per channel and area for the whole batch (they share `now`).
        var quiet: [QuietHoursKey: QuietHoursDecision] = [:]
        for m in claimed {
            if let end = m.notAfter, end <= now {
                outcomes.append(.expired(id: m.id, reason: "campaign window closed at \(CampaignTime.format(end, timeZone: settings.timeZone)) before it could be sent"))
                continue
            }
            let key = QuietHoursKey(channel: m.channel, areaCode: m.areaCode)
            let decision: QuietHoursDecision
            if let known = quiet[key] {
                decision = known
            } else {
                let policy = m.channel == .sms ? settings.smsQuietHours : settings.voiceQuietHours
                decision = policy.hours(forArea: m.areaCode).decision(at: now, timeZone: settings.timeZone)
                quiet[key] = decision
            }
            if case let .hold(until) = decision {
                outcomes.append(.held(id: m.id, until: until, reason: "quiet hours: held until \(CampaignTime.format(until, timeZone: settings.timeZone).suffix(5))"))
                continue
            }
            if let cap = settings.phoneCap {
                let sent = counts[m.phone] ?? 0
                if sent >= cap.messages {
                    let until = try database.capRelease(phone: m.phone, messages: cap.messages, window: cap.hours * 3600, now: now)
                        ?? now.addingTimeInterval(cap.hours * 3600 / Double(cap.messages))
                    outcomes.append(.held(id: m.id, until: until, reason: "per-phone cap \(cap.messages) in \(Int(cap.hours)) h reached"))
                    continue
                }
                counts[m.phone] = sent + 1
            }
            toSend.append(m)
        }
        return (outcomes, toSend)
    }

    private struct QuietHoursKey: Hashable {
        var channel: OutboxChannel
        var areaCode: String?
    }

    /// The gateway message for an outbox row, or the outcome when it cannot be formed.
    func outgoing(_ m: OutboxMessage) -> Result<OutgoingSMS, GatewayError> {
        do {
            let template = m.templateJSON.flatMap { try? JSONDecoder().decode(SMSTemplateContent.self, from: Data($0.utf8)) }
            return .success(try OutgoingSMS(outboxID: String(m.id), idempotencyKey: m.idempotencyKey, phone: m.phone, text: m.body, template: template))
        } catch {
            return .failure(.invalidMessage(error))
        }
    }

    /// Keeps up to `concurrency` sends in flight while the circuit is closed: claims more as sends finish
    /// (claiming overlaps sending) and records outcomes in small groups. Returns when a claim finds
    /// nothing due, the circuit leaves `closed`, or `shouldStop` says so, after the sends in flight finish.
    func pump(shouldStop: @Sendable () -> Bool) async throws -> DispatchRound {
        var total = DispatchRound()
        var pending: [OutboxOutcome] = []
        let flushEvery = max(1, settings.concurrency / 2)
        // The sends happened: keep trying to record them while another process holds the lock.
        let recordLimit = settings.leaseSeconds / 2
        func flush() async throws {
            guard !pending.isEmpty else { return }
            let batch = pending
            pending = []
            try await whileBusy(limitSeconds: recordLimit) { try database.record(batch, owner: owner, now: clock.now()) }
            for o in batch { total.count(o) }
        }
        try await withThrowingTaskGroup(of: (OutboxMessage, SendResult, String).self) { group in
            var inFlight = 0
            var exhausted = false
            while true {
                // Refill when a quarter of the slots are free (or all are), so claims come in groups.
                while !exhausted && !shouldStop() && (inFlight == 0 || settings.concurrency - inFlight >= max(1, settings.concurrency / 4)) {
                    guard case .closed = circuit.state else { break }
                    var wait = bucket.take(at: clock.now().timeIntervalSince1970)
                    while wait > 0 {
                        await clock.sleep(seconds: wait)
                        wait = bucket.take(at: clock.now().timeIntervalSince1970)
                    }
                    let room = settings.concurrency - inFlight
                    let extra = min(Double(room - 1), bucket.available(at: clock.now().timeIntervalSince1970).rounded(.down))
                    if extra >= 1 { _ = bucket.take(at: clock.now().timeIntervalSince1970, count: extra) }
                    let limit = 1 + max(0, Int(extra))
                    // Outcomes waiting to be recorded go in the claim's transaction (one commit instead of two).
                    let batch = pending
                    pending = []
                    let claimed = try await whileBusy(limitSeconds: batch.isEmpty ? 30 : recordLimit) {
                        try database.recordAndClaim(batch, owner: owner, now: clock.now(), limit: limit, leaseSeconds: settings.leaseSeconds,
                                                    channels: gateways.channels).claimed
                    }
                    for o in batch { total.count(o) }
                    if claimed.isEmpty { exhausted = true; break }
                    total.claimed += claimed.count
                    let (decided, toSend) = try decide(claimed)
                    pending += decided
                    for m in toSend {
                        guard let gateway = gateways.gateway(for: m.channel) else {
                            pending.append(.retry(id: m.id, due: clock.now().addingTimeInterval(3600), reason: "no \(m.channel.rawValue) gateway configured"))
                            continue
                        }
                        switch outgoing(m) {
                        case let .failure(error): pending.append(.failed(id: m.id, reason: error.description))
                        case let .success(message):
                            inFlight += 1
                            group.addTask { (m, await gateway.send(message), gateway.name) }
                        }
                    }
                }
                if inFlight == 0 { break }
                guard let done = try await group.next() else { break }
                inFlight -= 1
                pending.append(outcome(done.0, done.1, gateway: done.2))
                if pending.count >= flushEvery || inFlight == 0 { try await flush() }
            }
        }
        try await flush()
        return total
    }

    private func send(_ messages: [OutboxMessage]) async -> [OutboxOutcome] {
        guard !messages.isEmpty else { return [] }
        var results: [OutboxOutcome] = []
        await withTaskGroup(of: (OutboxMessage, SendResult, String).self) { group in
            var inFlight = 0
            for m in messages {
                if case let .open(until) = circuit.state {
                    // The gateway keeps failing: wait for the circuit instead of spending this message's attempts.
                    let release = Date(timeIntervalSince1970: until)
                    results.append(.held(id: m.id, until: release, reason: "gateway circuit open until \(CampaignTime.format(release, timeZone: settings.timeZone).suffix(5))"))
                    continue
                }
                guard let gateway = gateways.gateway(for: m.channel) else {
                    results.append(.retry(id: m.id, due: clock.now().addingTimeInterval(3600), reason: "no \(m.channel.rawValue) gateway configured"))
                    continue
                }
                if inFlight >= settings.concurrency, let done = await group.next() {
                    inFlight -= 1
                    results.append(outcome(done.0, done.1, gateway: done.2))
                }
                let message: OutgoingSMS
                switch outgoing(m) {
                case let .failure(error):
                    results.append(.failed(id: m.id, reason: error.description))
                    continue
                case let .success(built): message = built
                }
                inFlight += 1
                group.addTask { (m, await gateway.send(message), gateway.name) }
            }
            for await done in group { results.append(outcome(done.0, done.1, gateway: done.2)) }
        }
        return results
    }

    private func outcome(_ m: OutboxMessage, _ result: SendResult, gateway: String) -> OutboxOutcome {
        let now = clock.now()
        switch result {
        case let .accepted(gid, _):
            circuit.record(success: true, at: now.timeIntervalSince1970)
            return .accepted(id: m.id, gateway: gateway, gatewayMessageID: gid)
        case let .failed(error):
            let gatewayTrouble: Bool
            switch error {
            case .unreachable, .noAnswer, .temporarilyRefused, .local: gatewayTrouble = true
            default: gatewayTrouble = false
            }
            if gatewayTrouble { circuit.record(success: false, at: now.timeIntervalSince1970) } else { circuit.record(success: true, at: now.timeIntervalSince1970) }
            let dedup = (gateways.gateway(for: m.channel)?.deduplicates ?? false) || settings.resendAfterCrash
            switch settings.retry.decision(after: error, attempt: m.attempts, random: random(), gatewayDeduplicates: dedup) {
            case let .retry(after):
                return .retry(id: m.id, due: now.addingTimeInterval(after), reason: error.description)
            case let .giveUp(reason):
                return .failed(id: m.id, reason: reason)
            case .awaitReport:
                return .unknown(id: m.id, gateway: gateway, reason: error.description)
            }
        }
    }

    /// Runs until nothing is due now (`untilIdle`), or forever, sleeping until the next message is due.
    /// Returns the totals. `shouldStop` is checked between rounds.
    public func run(untilIdle: Bool, pollSeconds: Double = 2, shouldStop: @Sendable () -> Bool = { false },
                    progress: (DispatchRound) -> Void = { _ in }) async throws -> DispatchRound {
        try await whileBusy { _ = try housekeeping() }
        var total = DispatchRound()
        var lastHousekeeping = clock.now()
        while !shouldStop() {
            // A closed circuit pumps continuously; an open or half-open one goes round by round (wait, then one probe).
            let r: DispatchRound
            if case .closed = circuit.state { r = try await pump(shouldStop: shouldStop) } else { r = try await round() }
            total = total + r
            progress(total)
            if let wait = r.circuitWait {
                if untilIdle, try database.nextDue(channels: gateways.channels).map({ $0 > clock.now() }) ?? true { return total }
                await clock.sleep(seconds: min(wait, pollSeconds * 5))
                continue
            }
            if r.claimed > 0 { continue }
            try await whileBusy { _ = try database.finishDrainedCampaigns(now: clock.now()) }
            let now = clock.now()
            if now.timeIntervalSince(lastHousekeeping) > 30 {
                try await whileBusy { _ = try housekeeping() }
                lastHousekeeping = now
            }
            let next = try database.nextDue(channels: gateways.channels)
            if untilIdle {
                if let next, next <= now { continue }
                return total
            }
            let wait = next.map { max(0.05, min($0.timeIntervalSince(now), pollSeconds)) } ?? pollSeconds
            await clock.sleep(seconds: wait)
        }
        return total
    }
}
