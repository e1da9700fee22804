import Foundation
import Messaging
@testable import Outreach
import Registry
import Store
import Testing

/// Gateway faults through the whole dispatcher and a real HTTP client against a loopback server: no message
/// is lost or sent twice, and each ends with a state and a reason a coordinator can read.
@Suite(.serialized) struct DispatchFaultTests {
    typealias F = CampaignFixture

    func kannel(_ sink: HTTPSink, timeout: Double = 2) throws -> KannelGateway {
        try KannelGateway(configuration: KannelConfiguration(
            sendsmsURL: sink.sendsmsURL, username: "u", password: "p",
            dlrCallbackURL: URL(string: "http://127.0.0.1:8080/gateway/kannel/dlr")!, dlrSecret: "s3", timeoutSeconds: timeout),
            transport: URLSessionTransport())
    }

    func people(_ n: Int) -> [StoredResident] { (1...n).map { F.resident($0, "居民\($0)", phone: String(13_800_000_000 + $0)) } }

    /// A gateway that answers 200 with an HTML page (a proxy's error page), with bytes that are not HTTP at all, or
    /// closes the connection without answering: the gateway may have taken the message, so it becomes `unknown`
    /// with the answer as its reason – never resent.
    @Test(arguments: [
        (Array("HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 25\r\n\r\n<html>proxy error</html>\n".utf8), "not understood"),
        (Array("SSH-2.0-OpenSSH_9.6\r\n\u{00}\u{ff}garbage".utf8), "may have been sent"),
        ([], "may have been sent"),  // reads the request, closes without a byte of answer
    ])
    func aGatewayAnsweringGarbageLeavesEachMessageUnknownAndNeverResends(answer: [UInt8], reasonContains: String) async throws {
        let sink = try HTTPSink(answer: answer, closeAfterAnswer: true)
        defer { sink.stop() }
        let db = try F.database(people(4))
        let clock = TestClock(F.at(10))
        let s = F.settings()
        let c = try F.sendingCampaign(db, s, now: clock.now())
        let d = try Dispatcher(database: db, settings: s, gateways: DispatchGateways(sms: try kannel(sink)), clock: clock, owner: "d", random: { 0.5 })
        _ = try await d.run(untilIdle: true)
        clock.advance(3600)
        _ = try await d.run(untilIdle: true)  // an hour later: nothing is sent again
        let rows = try db.outboxMessages(campaignID: c.id)
        #expect(rows.count == 4)
        let seen = sink.snapshot()
        #expect(seen.requests == 4, "each message reached the gateway once: \(seen.perNumber)")
        #expect(seen.perNumber.values.allSatisfy { $0 == 1 })
        for r in rows {
            #expect(r.state == .unknown, "message \(r.id): \(r.state.rawValue): \(r.reason ?? "")")
            #expect(r.attempts == 1)
            #expect(r.reason?.isEmpty == false)
            if !reasonContains.isEmpty { #expect(r.reason?.contains(reasonContains) == true, "\(r.reason ?? "")") }
        }
        let status = try F.service(db, s).status(c.name, now: clock.now())
        #expect(status.counts.count(.unknown) == 4)
        #expect(status.counts.failuresByReason.values.reduce(0, +) == 4)
    }

    /// A gateway that answers 429 (or 503) with Retry-After: nothing was sent, so each message is tried again no
    /// sooner than asked, and goes out once when the gateway takes it again.
    @Test(arguments: [429, 503])
    func refusedForNowIsRetriedAfterTheAskedWaitAndSentOnce(status: Int) async throws {
        let refuse = Array("HTTP/1.1 \(status) Busy\r\nRetry-After: 120\r\nContent-Length: 5\r\n\r\nbusy\n".utf8)
        let sink = try HTTPSink(answer: refuse)
        defer { sink.stop() }
        let n = 3
        let db = try F.database(people(n))
        let clock = TestClock(F.at(10))
        let s = F.settings()
        let c = try F.sendingCampaign(db, s, now: clock.now())
        let d = try Dispatcher(database: db, settings: s, gateways: DispatchGateways(sms: try kannel(sink)), clock: clock, owner: "d", random: { 0.5 })
        let start = clock.now()
        _ = try await d.run(untilIdle: true)
        let refused = try db.outboxMessages(campaignID: c.id)
        #expect(refused.allSatisfy { $0.state == .queued && $0.attempts == 1 && $0.dueAt >= start.addingTimeInterval(120) }, "\(refused.map(\.state))")
        #expect(refused.allSatisfy { ($0.reason ?? "").contains("HTTP \(status)") && ($0.reason ?? "").contains("asked to wait 120 s") })
        #expect(sink.snapshot().requests == n)
        sink.answer(with: nil)
        clock.advance(121)
        _ = try await d.run(untilIdle: true)
        let rows = try db.outboxMessages(campaignID: c.id)
        #expect(rows.allSatisfy { $0.state == .accepted && $0.attempts == 2 })
        // Each number: the refused request and the one that was taken.
        #expect(sink.snapshot().perNumber.values.allSatisfy { $0 == 2 })
    }

    /// Kannel is down when the campaign starts (its port refuses connections) and comes up five minutes later:
    /// while down, the messages wait (retry or circuit hold, with the reason); once up, each is sent exactly once.
    @Test func kannelDownAtTheStartAndUpLaterSendsEverythingExactlyOnce() async throws {
        let sink = try HTTPSink(listening: false)
        defer { sink.stop() }
        let n = 12
        let db = try F.database(people(n))
        let clock = TestClock(F.at(10))
        var s = F.settings()
        s.retry.maxAttempts = 30
        let c = try F.sendingCampaign(db, s, now: clock.now())
        let d = try Dispatcher(database: db, settings: s, gateways: DispatchGateways(sms: try kannel(sink)), clock: clock, owner: "d", random: { 0.5 })
        let start = clock.now()
        _ = try await d.run(untilIdle: false, shouldStop: { [clock] in clock.now().timeIntervalSince(start) > 300 })
        // Down: nothing arrived, nothing was given up, and the status says why they wait.
        #expect(sink.snapshot().requests == 0)
        let down = try db.outboxMessages(campaignID: c.id)
        #expect(down.allSatisfy { $0.state == .queued || $0.state == .held }, "\(down.map(\.state))")
        #expect(down.allSatisfy { ($0.reason ?? "").contains("unreachable") || ($0.reason ?? "").contains("circuit open") || $0.attempts == 0 })
        #expect(down.contains { ($0.reason ?? "").contains("unreachable") })
        let waiting = try F.service(db, s).status(c.name, now: clock.now())
        #expect(waiting.counts.count(.queued) + waiting.counts.count(.held) == n)
        // The circuit kept the attempts down: far fewer than one per message per retry.
        #expect(down.map(\.attempts).reduce(0, +) < 3 * n)

        sink.listen()
        _ = try await d.run(untilIdle: false, shouldStop: { [clock, db] in
            (try? db.outboxMessages(campaignID: c.id).allSatisfy { $0.state == .accepted }) == true || clock.now().timeIntervalSince(start) > 4 * 3600
        })
        let rows = try db.outboxMessages(campaignID: c.id)
        #expect(rows.allSatisfy { $0.state == .accepted }, "\(rows.map(\.state))")
        let seen = sink.snapshot()
        #expect(seen.requests == n)
        #expect(Set(rows.map(\.phone)) == Set(seen.perNumber.keys))
        #expect(seen.perNumber.values.allSatisfy { $0 == 1 })
        // Every message's history shows the outage and the send.
        let history = try db.outboxHistory(rows[0].id)
        #expect(history.last?.to == .accepted)
    }

    /// A campaign whose explainer was removed after its messages were written: a new `send` is refused with
    /// a clear error (nothing written), the written messages are still dispatched, each once.
    @Test func aCampaignWhoseExplainerIsGoneStillSendsWhatWasWrittenAndRefusesNewWrites() async throws {
        let db = try F.database(people(3))
        let clock = TestClock(F.at(10))
        let s = F.settings()
        let c = try F.sendingCampaign(db, s, now: clock.now())
        let svc = F.service(db, s)
        let error = try svc.explainerGone(c, known: ["why-insure"], now: clock.now())
        #expect(error == .explainerGone(campaign: c.name, explainer: "notice", known: ["why-insure"], inOutbox: 3, waiting: 3))
        #expect(error.description.contains("content/explainers/notice.yaml"))
        #expect(error.description.contains("3 still waiting are sent by `carnation dispatch`"))
        let g = RecordingGateway()
        _ = try await Dispatcher(database: db, settings: s, gateways: DispatchGateways(sms: g), clock: clock, owner: "d").run(untilIdle: true)
        #expect(g.receivedKeys.count == 3 && Set(g.receivedKeys).count == 3)
        #expect(try svc.status(c.name, now: clock.now()).counts.count(.accepted) == 3)
        #expect(try svc.explainerGone(c, known: [], now: clock.now()).description.contains("are all sent or settled"))
    }
}
