import Foundation
import Messaging
@testable import Outreach
import Registry
import Store

/// A clock the test moves; sleeping moves it forward at once.
final class TestClock: DispatchClock, @unchecked Sendable {
    private let lock = NSLock()
    private var current: Date
    init(_ start: Date) { current = start }
    func now() -> Date { lock.withLock { current } }
    func sleep(seconds: Double) async { lock.withLock { current = current.addingTimeInterval(max(0, seconds)) } }
    func set(_ d: Date) { lock.withLock { current = d } }
    func advance(_ s: Double) { lock.withLock { current = current.addingTimeInterval(s) } }
}

/// A gateway that records every message it is handed (as a handset would receive it) and answers
/// as `answer` says for the n-th call (1-based).
final class RecordingGateway: SMSGateway, @unchecked Sendable {
    let name: String
    let deduplicates: Bool
    private let lock = NSLock()
    private var calls = 0
    private(set) var received: [OutgoingSMS] = []
    let answer: @Sendable (Int, OutgoingSMS) -> SendResult
    /// Whether the failing answer still delivered the message (a timeout after the gateway took it).
    let deliversOnFailure: Bool

    init(name: String = "fake", deduplicates: Bool = false, deliversOnFailure: Bool = false,
         answer: @escaping @Sendable (Int, OutgoingSMS) -> SendResult = { n, _ in .accepted(gatewayMessageID: "gw-\(n)", detail: "ok") }) {
        self.name = name
        self.deduplicates = deduplicates
        self.deliversOnFailure = deliversOnFailure
        self.answer = answer
    }

    func send(_ message: OutgoingSMS) async -> SendResult {
        let n = lock.withLock { calls += 1; return calls }
        let result = answer(n, message)
        if case .accepted = result { lock.withLock { received.append(message) } }
        else if deliversOnFailure { lock.withLock { received.append(message) } }
        return result
    }

    var callCount: Int { lock.withLock { calls } }
    var receivedKeys: [String] { lock.withLock { received.map(\.idempotencyKey) } }
}

/// A message source for tests: greets each resident on their own mobile; no mobile, no message.
struct GreetingSource: CampaignMessageSource {
    var text: @Sendable (Resident) -> String = { "\($0.name)您好：本月起基础养老金有调整，详情请打12333。" }
    func drafts(for r: Resident, channels: [OutboxChannel]) -> ResidentDraftOutcome {
        guard let phone = r.phone, phone.canReceiveSMS else { return .leftOut(.noPhone("没有手机")) }
        guard channels.contains(.sms) else { return .leftOut(.channelNotInCampaign("只能收短信")) }
        return .drafts([MessageDraft(residentID: r.id, residentName: r.name, areaCode: r.areaCode?.value, channel: .sms,
                                     phone: phone.value, recipientName: r.name, toGuardian: false, body: text(r))])
    }
}

enum CampaignFixture {
    static let today = CalendarDate(year: 2026, month: 11, day: 30)!
    static let rules = RegistryRules(elderlyAge: 80)
    static let shanghai = TimeZone(identifier: "Asia/Shanghai")!

    /// A local (Shanghai) time on 2026-11-30.
    static func at(_ hour: Int, _ minute: Int = 0, day: Int = 30) -> Date {
        var c = DateComponents()
        c.year = 2026; c.month = 11; c.day = day; c.hour = hour; c.minute = minute
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = shanghai
        return cal.date(from: c)!
    }

    static func resident(_ seq: Int, _ name: String, phone: String?, extra: [ResidentField: String] = [:]) -> StoredResident {
        let id = ResidentID(area: "532999", birth: CalendarDate(year: 1945, month: 3, day: 1 + seq % 27)!, sequence: seq)
        var v: [ResidentField: String] = [.name: name, .areaCode: "532999001201"]
        if let phone { v[.phone] = phone }
        for (k, x) in extra { v[k] = x }
        return StoredResident(id: id, values: v, provenance: v.mapValues { _ in Provenance(source: "test", asOf: today) })
    }

    static func database(_ residents: [StoredResident], path: String? = nil) throws -> CarnationDatabase {
        let db = try path.map { try CarnationDatabase(path: $0) } ?? CarnationDatabase()
        _ = try db.importing(source: "test", file: "t.csv", user: "tester", asOf: today, now: Date(), dryRun: false) { (s: ImportSession) throws -> ((), ImportRecord) in
            for r in residents { try s.insert(r) }
            return ((), ImportRecord(source: "test", file: "t.csv", encoding: "UTF-8", asOf: today, user: "tester", counts: ImportCounts()))
        }
        return db
    }

    static func settings(threshold: Int = 1000, cap: PhoneCap? = nil) -> CampaignSettings {
        var s = CampaignSettings()
        s.signature = try! SMSSignature("示范县社保")
        s.approvalThreshold = threshold
        s.phoneCap = cap
        s.ratePerSecond = 1000
        s.burst = 1000
        s.retry = RetryPolicy(baseDelaySeconds: 1, multiplier: 2, maxDelaySeconds: 60, maxAttempts: 4)
        s.circuitFailures = 3
        s.circuitOpenSeconds = 30
        return s
    }

    static func service(_ db: CarnationDatabase, _ s: CampaignSettings, user: String = "alice") -> CampaignService {
        CampaignService(database: db, settings: s, user: user, scope: nil, rules: rules, today: today)
    }

    /// Creates and writes a campaign over everyone in `db`; returns it.
    static func sendingCampaign(_ db: CarnationDatabase, _ s: CampaignSettings, name: String = "notice", now: Date) throws -> CampaignRecord {
        let svc = service(db, s)
        _ = try svc.create(name: name, explainer: "notice", knownExplainers: ["notice"], audience: ResidentFilter(), channels: [.sms],
                           notBefore: nil, notAfter: nil, now: now)
        return try svc.send(name, source: GreetingSource(), now: now, dryRun: false).campaign
    }
}
