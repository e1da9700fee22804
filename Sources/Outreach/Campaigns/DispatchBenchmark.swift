import Foundation
import Messaging
import Store
#if canImport(Glibc)
import Glibc
#endif

/// The dispatch benchmark: N messages written into a fresh outbox, dispatched through a Kannel-style
/// sendsms endpoint with durable state for every message, against the same requests sent by a bare
/// HTTP client with nothing persisted (the reference), in the same run.
public struct DispatchBenchmark: Sendable {
    public struct Result: Sendable, Codable, Equatable {
        public var messages: Int
        public var seconds: Double
        public var messagesPerSecond: Double
        public var referenceRequestsPerSecond: Double
        /// Dispatch rate as a share of the reference.
        public var ratioToReference: Double
        public var peakMemoryBytes: Int
        /// Messages the endpoint never received (from its own count when it is the sink, else rows not accepted).
        public var lost: Int
        /// Messages the endpoint received more than once; nil when it cannot tell (a real Kannel).
        public var duplicated: Int?
        public var gateway: String
    }

    public var messages: Int
    public var concurrency: Int
    /// The sendsms endpoint; nil: a local `HTTPSink`.
    public var kannel: KannelConfiguration?

    public init(messages: Int, concurrency: Int, kannel: KannelConfiguration? = nil) {
        self.messages = messages
        self.concurrency = concurrency
        self.kannel = kannel
    }

    public func run(workDirectory: URL) async throws -> Result {
        let sink = kannel == nil ? try HTTPSink() : nil
        defer { sink?.stop() }
        let config = kannel ?? KannelConfiguration(name: "sink", sendsmsURL: sink!.sendsmsURL, username: "bench", password: "bench",
                                                   dlrCallbackURL: URL(string: "http://127.0.0.1:9/dlr"), dlrSecret: "bench")
        let phones = (0..<messages).map { String(13_000_000_000 + $0) }
        let text: @Sendable (Int) -> String = { i in "【示范县社保】居民\(i)您好：您的基础养老金本月起每月增加20元。" }

        // Reference: the same requests, nothing persisted. Each URL is made when its request goes out, from the
        // same message fields and with the same code as the gateway's (`KannelURL.SendForm`): a client sending
        // messages has to form its requests, so that work is inside both clocks and the ratio measures what the
        // durable outbox and the dispatcher add.
        let transport = URLSessionTransport(maxConnectionsPerHost: concurrency)
        let form = try KannelURL.SendForm(config)
        let refStart = Date()
        try await withThrowingTaskGroup(of: Void.self) { group in
            var inFlight = 0
            for (i, phone) in phones.enumerated() {
                if inFlight >= concurrency { try await group.next(); inFlight -= 1 }
                inFlight += 1
                group.addTask {
                    let url = try form.url(for: OutgoingSMS(outboxID: String(i + 1), idempotencyKey: "ref-\(i)", phone: phone, text: text(i)))
                    _ = await transport.perform(HTTPRequestSpec(method: "GET", url: url), timeoutSeconds: config.timeoutSeconds)
                }
            }
            try await group.waitForAll()
        }
        let refSeconds = Date().timeIntervalSince(refStart)
        sink?.reset()

        // Dispatch: a campaign with every message durable.
        try FileManager.default.createDirectory(at: workDirectory, withIntermediateDirectories: true)
        let db = try CarnationDatabase(path: workDirectory.appendingPathComponent("bench.sqlite").path)
        let now = Date()
        let campaign = try db.createCampaign(CampaignRecord(name: "bench", explainer: "bench", audienceJSON: "{}", channels: [.sms],
                                                            notBefore: nil, notAfter: nil, createdBy: "bench", createdAt: now))
        try db.setCampaignState(campaign.id, to: .sending, now: now)
        _ = try db.enqueue(campaignID: campaign.id, phones.enumerated().map { i, p in
            NewOutboxMessage(residentID: "R\(i)", members: ["R\(i)"], channel: .sms, phone: p, areaCode: nil, body: text(i), segments: 1)
        }, due: now, notAfter: nil, now: now)
        var settings = CampaignSettings()
        settings.smsQuietHours = QuietHoursPolicy(standard: try QuietHours(""))
        settings.phoneCap = nil
        settings.concurrency = concurrency
        settings.ratePerSecond = 1_000_000
        settings.burst = Double(concurrency * 2)
        let gateway = try KannelGateway(configuration: config, transport: URLSessionTransport(maxConnectionsPerHost: concurrency))
        let dispatcher = try Dispatcher(database: db, settings: settings, gateways: DispatchGateways(sms: gateway))
        let start = Date()
        _ = try await dispatcher.run(untilIdle: true)
        let seconds = Date().timeIntervalSince(start)

        let counts = try db.campaignCounts(campaign.id, now: Date())
        var lost = messages - counts.count(.accepted)
        var duplicated: Int? = nil
        if let sink {
            let seen = sink.snapshot().perNumber
            lost = phones.filter { seen[$0] == nil }.count
            duplicated = seen.values.filter { $0 > 1 }.count
        }
        var usage = rusage()
        #if canImport(Glibc)
        getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
        #else
        getrusage(RUSAGE_SELF, &usage)
        #endif
        let rate = Double(messages) / seconds
        let refRate = Double(messages) / refSeconds
        return Result(messages: messages, seconds: (seconds * 100).rounded() / 100, messagesPerSecond: rate.rounded(),
                      referenceRequestsPerSecond: refRate.rounded(), ratioToReference: (rate / refRate * 1000).rounded() / 1000,
                      peakMemoryBytes: Int(usage.ru_maxrss) * 1024, lost: lost, duplicated: duplicated,
                      gateway: kannel == nil ? "sink" : "kannel")
    }
}
