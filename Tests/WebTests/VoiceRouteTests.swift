import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import Messaging
import Outreach
import Testing
@testable import Store
@testable import Web

/// A voice gateway configured like Aliyun's voice notifications (one report list per callback).
func voiceGateway(url: String = "http://127.0.0.1:9/call", publicURL: String = "https://office.example.org") -> VoiceHTTPConfiguration {
    VoiceHTTPConfiguration(
        name: "voice", url: URL(string: url)!,
        body: .object(["CalledNumber": .string("{{phone}}"), "VoiceUrl": .string("{{audioURL}}"), "OutId": .string("{{outboxID}}"),
                       "CallbackUrl": .string("{{reportURL}}")]),
        audio: .url, publicURL: URL(string: publicURL)!, audioLinkSeconds: 3600,
        answer: ProviderAnswer(messageIDPath: "CallId", resultCodePath: "Code", successCode: "OK"),
        report: VoiceReportFormat(outboxIDPath: "out_id", callIDPath: "call_id", statusPath: "status_code", delivered: ["200000"],
                                  reply: #"{"code":0,"msg":"成功"}"#),
        reportSecret: "voice-report-secret-0123", timeoutSeconds: 5)
}

let voiceScript = "张大爷您好：您的基础养老金本月起每月增加20元。"

/// A voice message of a sending campaign, queued (or, with `accepted`, taken by the gateway); returns its outbox id.
func voiceMessage(_ f: WebFixture, accepted: Bool) throws -> Int64 {
    let db = f.database
    let c = try db.createCampaign(CampaignRecord(name: "v1", explainer: "why-insure", audienceJSON: "{}", channels: [.voice],
                                                 notBefore: nil, notAfter: nil, createdBy: "a", createdAt: f.now))
    try db.setCampaignState(c.id, to: .sending, now: f.now)
    _ = try db.enqueue(campaignID: c.id, [NewOutboxMessage(residentID: f.zhang.id.value, members: [f.zhang.id.value], channel: .voice,
                                                           phone: "13800000001", areaCode: "532999001201", body: voiceScript, segments: 1)],
                       due: f.now, notAfter: nil, now: f.now)
    let id = try #require(try db.outboxMessages(campaignID: c.id).first?.id)
    if accepted {
        _ = try db.claimDue(now: f.now, limit: 1, leaseSeconds: 60, owner: "t")
        _ = try db.record([.accepted(id: id, gateway: "voice", gatewayMessageID: "call-1")], owner: "t", now: f.now)
    }
    return id
}

/// Collects log lines (message and metadata) so a test can check what reaches the log.
final class LogCapture: @unchecked Sendable {
    private let lock = NSLock()
    private var lines: [String] = []
    var all: [String] { lock.lock(); defer { lock.unlock() }; return lines }
    func add(_ line: String) { lock.lock(); lines.append(line); lock.unlock() }
    var logger: Logger { Logger(label: "carnation.web.test") { _ in CapturingHandler(capture: self) } }

    struct CapturingHandler: LogHandler {
        let capture: LogCapture
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace
        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }
        func log(level: Logger.Level, message: Logger.Message, metadata: Logger.Metadata?, source: String, file: String, function: String, line: UInt) {
            capture.add("\(message) \((metadata ?? [:]).merging(self.metadata) { a, _ in a })")
        }
    }
}

@Suite struct VoiceRouteTests {
    @Test func audioLinkServesTheWAVOnlyWhenSignedAndFresh() async throws {
        let f = try WebFixture()
        let id = try voiceMessage(f, accepted: true)
        let link = try f.database.audioLink()
        let expires = Int64(f.now.timeIntervalSince1970) + 600
        let good = try link.path(outboxID: String(id), expires: expires)
        let sig = link.signature(outboxID: String(id), expires: expires)
        let logs = LogCapture()
        let app = Application(router: try await f.web(logger: logs.logger).router())
        let expected = try await FakeVoice().audio(script: voiceScript)
        try await app.test(.router) { client in
            try await client.execute(uri: good, method: .get) { r in
                #expect(r.status == .ok)
                #expect(r.headers[.contentType] == "audio/wav")
                #expect(r.headers[.contentLength] == String(expected.count))
                #expect(Data(buffer: r.body) == expected)
            }
            try await client.execute(uri: good, method: .head) { r in
                #expect(r.status == .ok)
                #expect(r.headers[.contentLength] == String(expected.count))
                #expect(r.body.readableBytes == 0)
            }
            // Expired: the same link after its time.
            f.setNow(f.now.addingTimeInterval(601))
            try await client.execute(uri: good, method: .get) { r in
                #expect(r.status == .forbidden)
                #expect(r.text == "forbidden\n", "no detail on why")
            }
            f.setNow(WebFixture.morning)
            // Tampered: another expiry, another message, a changed signature, none at all.
            try await client.execute(uri: "/audio/\(id)?exp=\(expires + 3600)&sig=\(sig)", method: .get) { r in #expect(r.status == .forbidden) }
            try await client.execute(uri: "/audio/\(id + 1)?exp=\(expires)&sig=\(sig)", method: .get) { r in #expect(r.status == .forbidden) }
            try await client.execute(uri: "/audio/\(id)?exp=\(expires)&sig=\(String(sig.reversed()))", method: .get) { r in #expect(r.status == .forbidden) }
        }
        // A fresh limiter (three bad signatures used up the burst): unknown messages, rightly signed, are 404.
        let app2 = Application(router: try await f.web(logger: logs.logger).router())
        try await app2.test(.router) { client in
            try await client.execute(uri: try link.path(outboxID: "999999", expires: expires), method: .get) { r in #expect(r.status == .notFound) }
            try await client.execute(uri: "/audio/\(id)", method: .get) { r in #expect(r.status == .forbidden) }
        }
        // The log has ids and outcomes, never a signature or a phone.
        #expect(!logs.all.isEmpty)
        for line in logs.all {
            #expect(!line.contains(sig) && !line.contains("exp=") && !line.contains("13800000001"), "leaked: \(line)")
        }
    }

    @Test func audioLinksToSMSMessagesAreNotServed() async throws {
        let f = try WebFixture()
        let db = f.database
        let c = try db.createCampaign(CampaignRecord(name: "s1", explainer: "why-insure", audienceJSON: "{}", channels: [.sms],
                                                     notBefore: nil, notAfter: nil, createdBy: "a", createdAt: f.now))
        _ = try db.enqueue(campaignID: c.id, [NewOutboxMessage(residentID: f.zhang.id.value, members: [f.zhang.id.value], channel: .sms,
                                                               phone: "13800000001", areaCode: "532999001201", body: "【示范县社保】您好", segments: 1)],
                           due: f.now, notAfter: nil, now: f.now)
        let id = try #require(try db.outboxMessages(campaignID: c.id).first?.id)
        let path = try f.database.audioLink().path(outboxID: String(id), expires: Int64(f.now.timeIntervalSince1970) + 600)
        try await f.app().test(.router) { client in
            try await client.execute(uri: path, method: .get) { r in #expect(r.status == .notFound) }
        }
    }

    @Test func callReportsNeedTheKeyAndAreSafeTwice() async throws {
        let f = try WebFixture()
        f.voiceHTTP = voiceGateway()
        f.settings.guessBurst = 10
        let id = try voiceMessage(f, accepted: true)
        let other = id + 1000
        let key = MessageKey(secret: "voice-report-secret-0123")
        let logs = LogCapture()
        let app = Application(router: try await f.web(logger: logs.logger).router())
        let json: HTTPFields = [.contentType: "application/json"]
        let answered = ByteBuffer(string: #"[{"call_id":"call-1","out_id":"\#(id)","status_code":"200000","status_msg":"用户听完"}]"#)
        try await app.test(.router) { client in
            // Wrong key, no key, another message's key, the per-message key used as the gateway's secret: refused.
            try await client.execute(uri: "/gateway/voice/report?key=guess", method: .post, headers: json, body: answered) { r in #expect(r.status == .forbidden) }
            try await client.execute(uri: "/gateway/voice/report", method: .post, headers: json, body: answered) { r in #expect(r.status == .forbidden) }
            try await client.execute(uri: "/gateway/voice/report?outbox=\(other)&key=\(key.key(for: String(other)))", method: .post, headers: json, body: answered) { r in
                #expect(r.status == .forbidden, "a key for one message cannot report another")
            }
            try await client.execute(uri: "/gateway/voice/report?key=\(key.key(for: String(id)))", method: .post, headers: json, body: answered) { r in #expect(r.status == .forbidden) }
            #expect(try f.database.outboxMessage(id)?.state == .accepted)
            // The gateway's secret (a callback URL set once at the provider): applied, and again: no change, same answer.
            for _ in 0..<2 {
                try await client.execute(uri: "/gateway/voice/report?key=voice-report-secret-0123", method: .post, headers: json, body: answered) { r in
                    #expect(r.status == .ok)
                    #expect(r.text == #"{"code":0,"msg":"成功"}"#)
                    #expect(r.headers[.contentType] == "application/json; charset=utf-8")
                }
                #expect(try f.database.outboxMessage(id)?.state == .delivered)
            }
            // A late "not answered" for the settled call changes nothing; a report for an unknown message is taken.
            try await client.execute(uri: "/gateway/voice/report?outbox=\(id)&key=\(key.key(for: String(id)))&status_code=200005", method: .get) { r in
                #expect(r.status == .ok)
            }
            #expect(try f.database.outboxMessage(id)?.state == .delivered)
            try await client.execute(uri: "/gateway/voice/report?key=voice-report-secret-0123", method: .post, headers: json,
                                     body: ByteBuffer(string: #"{"out_id":"999999","status_code":"200000"}"#)) { r in #expect(r.status == .ok) }
            // Not understood: 400.
            try await client.execute(uri: "/gateway/voice/report?key=voice-report-secret-0123", method: .post, headers: json, body: ByteBuffer(string: "{oops")) { r in
                #expect(r.status == .badRequest)
            }
            try await client.execute(uri: "/gateway/voice/report?key=voice-report-secret-0123", method: .post, headers: json,
                                     body: ByteBuffer(string: #"{"out_id":"\#(id)"}"#)) { r in #expect(r.status == .badRequest) }
        }
        let history = try f.database.outboxHistory(id)
        #expect(history.filter { $0.to == .delivered }.count == 1)
        for line in logs.all { #expect(!line.contains("voice-report-secret-0123") && !line.contains(key.key(for: String(id))), "leaked: \(line)") }
    }

    @Test func notAnsweredCallsFailAndFormFieldsWork() async throws {
        let f = try WebFixture()
        f.voiceHTTP = voiceGateway()
        let id = try voiceMessage(f, accepted: true)
        let key = MessageKey(secret: "voice-report-secret-0123").key(for: String(id))
        try await f.app().test(.router) { client in
            try await client.execute(uri: "/gateway/voice/report?outbox=\(id)&key=\(key)", method: .post, headers: formHeaders,
                                     body: form([("status_code", "200005"), ("call_id", "call-1")])) { r in #expect(r.status == .ok) }
        }
        #expect(try f.database.outboxMessage(id)?.state == .failed)
    }

    @Test func withoutAVoiceGatewayTheReportEndpointIsAbsent() async throws {
        let f = try WebFixture()
        try await f.app().test(.router) { client in
            try await client.execute(uri: "/gateway/voice/report?key=x", method: .get) { r in #expect(r.status == .notFound) }
        }
    }
}
