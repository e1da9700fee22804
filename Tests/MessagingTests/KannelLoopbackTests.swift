import Foundation
import Testing
@testable import Messaging

/// Against a real Kannel started by `ops/kannel/start.sh`; skipped unless `CARNATION_KANNEL_RUN_DIR`
/// names its run directory (with `KANNEL_SENDSMS_PORT` and `KANNEL_DLR_PORT` if not the defaults).
/// Checks what the fake SMSC received and the delivery reports recorded by ops/kannel/dlr_receiver.py.
@Suite("Kannel on loopback", .serialized, .enabled(if: ProcessInfo.processInfo.environment["CARNATION_KANNEL_RUN_DIR"] != nil))
struct KannelLoopbackTests {
    let env = ProcessInfo.processInfo.environment
    var runDir: URL { URL(fileURLWithPath: env["CARNATION_KANNEL_RUN_DIR"] ?? "") }

    private func gateway() throws -> KannelGateway {
        let sendsms = env["KANNEL_SENDSMS_PORT"] ?? "13013"
        let dlr = env["KANNEL_DLR_PORT"] ?? "18080"
        return try KannelGateway(configuration: KannelConfiguration(
            sendsmsURL: URL(string: "http://127.0.0.1:\(sendsms)/cgi-bin/sendsms")!,
            username: env["KANNEL_USER"] ?? "coord", password: env["KANNEL_PASSWORD"] ?? "secret",
            dlrCallbackURL: URL(string: "http://127.0.0.1:\(dlr)/dlr")!, dlrSecret: "loopback-test"),
            transport: URLSessionTransport())
    }

    /// Waits for a line of `file` that satisfies `match`, up to 10 s.
    private func waitForLine(_ file: String, _ match: (String) -> Bool) async throws -> String? {
        for _ in 0..<100 {
            let text = (try? String(contentsOf: runDir.appendingPathComponent(file), encoding: .utf8)) ?? ""
            if let line = text.split(separator: "\n").map(String.init).first(where: match) { return line }
            try await Task.sleep(for: .milliseconds(100))
        }
        return nil
    }

    private func received(_ text: String, assembled: Bool) async throws -> [String: Any]? {
        let line = try await waitForLine("received.jsonl") { line in
            guard let obj = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else { return false }
            return obj["text"] as? String == text && (obj["assembled"] as? Bool ?? false) == assembled
        }
        return try line.flatMap { try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
    }

    @Test func chineseArrivesIntactAndIsDeliveredOnce() async throws {
        let id = "it-zh-\(UInt32.random(in: 0...UInt32.max))"
        let text = "【昆明民政】张\u{20BB7}华您好：您的基础养老金本月起每月增加20元。\(id.suffix(4))"
        let result = try await gateway().send(OutgoingSMS(outboxID: id, idempotencyKey: id, phone: "13800000001", text: text))
        #expect(result == .accepted(gatewayMessageID: nil, detail: "0: Accepted for delivery"))
        let got = try await received(text, assembled: false)
        #expect(got?["type"] as? String == "ucs-2")
        let final = try await waitForLine("dlr.log") { $0.contains("outbox=\(id)&") && $0.contains("type=1&") }
        let report = try KannelDeliveryReport(query: try #require(final))
        #expect(report.status == .delivered)
        #expect(report.key == MessageKey(secret: "loopback-test").key(for: id))
        #expect(report.phone == "13800000001")
    }

    @Test func multipartSplitsAsCountedAndGetsOneFinalReport() async throws {
        let id = "it-mp-\(UInt32.random(in: 0...UInt32.max))"
        let text = String(String(repeating: "一二三四五六七八九十", count: 10).prefix(90)) + id.suffix(8)
        #expect(SMSSegmenter.measure(text).partUnits == [67, 31])
        _ = try await gateway().send(OutgoingSMS(outboxID: id, idempotencyKey: id, phone: "13800000003", text: text))
        let whole = try await received(text, assembled: true)
        #expect(whole?["parts"] as? Int == 2)
        _ = try await waitForLine("dlr.log") { $0.contains("outbox=\(id)&") && $0.contains("type=1&") }
        try await Task.sleep(for: .milliseconds(500))
        let all = (try String(contentsOf: runDir.appendingPathComponent("dlr.log"), encoding: .utf8))
            .split(separator: "\n").filter { $0.contains("outbox=\(id)&") && $0.contains("type=1&") }
        #expect(all.count == 1)
    }

    @Test func gsm7TextWithEscapesArrivesIntact() async throws {
        let id = "it-gsm-\(UInt32.random(in: 0...UInt32.max))"
        let text = "Pension +20 {CNY} 100% [ok] ~ | ^ \\ € & bye \(id)"
        #expect(SMSSegmenter.measure(text).encoding == .gsm7)
        _ = try await gateway().send(OutgoingSMS(outboxID: id, idempotencyKey: id, phone: "13800000001", text: text))
        let got = try await received(text, assembled: false)
        #expect(got?["type"] as? String == "text")
    }
}
