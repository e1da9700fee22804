import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Hummingbird
import HummingbirdTesting
import Messaging
@testable import Outreach
import Testing
@testable import Store
@testable import Web
#if canImport(Glibc)
import Glibc
#endif

/// A voice provider on a loopback port that behaves like Aliyun's voice notifications: it takes a call request
/// (answering with a call id), fetches the audio from the request's `VoiceUrl`, "plays" it, and posts the call
/// result to the request's `CallbackUrl`.
final class FakeVoiceProvider: @unchecked Sendable {
    let port: UInt16
    private let listener: Int32
    private let lock = NSLock()
    private var requestBodies: [[String: String]] = []
    private var fetches: [(status: Int, contentType: String?, contentLength: String?, bytes: Data)] = []
    private var reportStatuses: [Int] = []

    var baseURL: String { "http://127.0.0.1:\(port)" }
    /// The call requests' JSON fields, as text.
    var requests: [[String: String]] { lock.lock(); defer { lock.unlock() }; return requestBodies }
    var audioFetches: [(status: Int, contentType: String?, contentLength: String?, bytes: Data)] { lock.lock(); defer { lock.unlock() }; return fetches }
    var reportAnswers: [Int] { lock.lock(); defer { lock.unlock() }; return reportStatuses }

    init() throws {
        (listener, port) = try LoopbackListener.open(backlog: 8)
        Thread { [self] in serve() }.start()
    }

    func stop() { shutdown(listener, Int32(SHUT_RDWR)) }

    private func serve() {
        while true {
            let client = accept(listener, nil, nil)
            if client < 0 { close(listener); return }
            let body = readRequestBody(client)
            let json = (try? JSONSerialization.jsonObject(with: body)) as? [String: Any] ?? [:]
            let callID = "call-\(json["OutId"] as? String ?? "?")"
            let answer = Array(#"{"Code":"OK","CallId":"\#(callID)","RequestId":"r1"}"#.utf8)
            let head = Array("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: \(answer.count)\r\nConnection: close\r\n\r\n".utf8)
            _ = (head + answer).withUnsafeBytes { write(client, $0.baseAddress!, $0.count) }
            close(client)
            let fields = json.mapValues { "\($0)" }
            lock.lock(); requestBodies.append(fields); lock.unlock()
            // The call: fetch the audio, then report the result, as the provider does after the resident hung up.
            let (voiceURL, callbackURL, outID) = (json["VoiceUrl"] as? String, json["CallbackUrl"] as? String, json["OutId"] as? String ?? "")
            Thread { [self] in placeCall(voiceURL: voiceURL, callbackURL: callbackURL, outID: outID, callID: callID) }.start()
        }
    }

    private func placeCall(voiceURL: String?, callbackURL: String?, outID: String, callID: String) {
        guard let audio = voiceURL.flatMap(URL.init(string:)), let callback = callbackURL.flatMap(URL.init(string:)) else { return }
        let (data, response) = Self.fetch(URLRequest(url: audio))
        lock.lock()
        fetches.append((response?.statusCode ?? 0, response?.value(forHTTPHeaderField: "Content-Type"),
                        response?.value(forHTTPHeaderField: "Content-Length"), data ?? Data()))
        lock.unlock()
        guard response?.statusCode == 200 else { return }
        var report = URLRequest(url: callback)
        report.httpMethod = "POST"
        report.setValue("application/json", forHTTPHeaderField: "Content-Type")
        report.httpBody = Data(#"[{"call_id":"\#(callID)","out_id":"\#(outID)","status_code":"200000","status_msg":"用户听完","duration":"35"}]"#.utf8)
        let (_, reported) = Self.fetch(report)
        lock.lock(); reportStatuses.append(reported?.statusCode ?? 0); lock.unlock()
    }

    private static func fetch(_ request: URLRequest) -> (Data?, HTTPURLResponse?) {
        let done = DispatchSemaphore(value: 0)
        nonisolated(unsafe) var result: (Data?, HTTPURLResponse?) = (nil, nil)
        URLSession.shared.dataTask(with: request) { data, response, _ in
            result = (data, response as? HTTPURLResponse)
            done.signal()
        }.resume()
        _ = done.wait(timeout: .now() + 10)
        return result
    }

    private func readRequestBody(_ client: Int32) -> Data {
        var data = [UInt8]()
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = read(client, &buffer, buffer.count)
            if n <= 0 { return Data() }
            data.append(contentsOf: buffer[0..<n])
            guard let end = data.firstRange(of: Array("\r\n\r\n".utf8)) else { continue }
            let head = String(decoding: data[..<end.lowerBound], as: UTF8.self).lowercased()
            let length = head.split(separator: "\r\n").first { $0.hasPrefix("content-length:") }
                .flatMap { Int($0.dropFirst("content-length:".count).trimmingCharacters(in: .whitespaces)) } ?? 0
            if data.count >= end.upperBound + length { return Data(data[end.upperBound..<(end.upperBound + length)]) }
        }
    }
}

/// The fixture's clock for the dispatcher (the server and the audio links read the same one).
struct FixtureClock: DispatchClock {
    let fixture: WebFixture
    func now() -> Date { fixture.currentNow() }
    func sleep(seconds: Double) async { try? await Task.sleep(nanoseconds: UInt64(min(seconds, 0.2) * 1_000_000_000)) }
}

@Suite struct VoiceIntegrationTests {
    /// The whole loop: the dispatcher asks the provider to call, the provider fetches the resident's audio through
    /// the signed link from the running server and posts the call result, and the row ends delivered.
    @Test func aVoiceCallFetchesItsAudioAndIsReportedDelivered() async throws {
        let f = try WebFixture()
        let provider = try FakeVoiceProvider()
        defer { provider.stop() }
        // The server knows the gateway by its report secret and format; the dispatcher's copy also knows where the server is.
        f.voiceHTTP = voiceGateway(url: provider.baseURL + "/call")
        let id = try voiceMessage(f, accepted: false)
        let app = Application(router: try await f.web().router())
        try await app.test(.live) { client in
            let port = try #require(client.port)
            let gateway = try VoiceHTTPGateway(configuration: voiceGateway(url: provider.baseURL + "/call", publicURL: "http://localhost:\(port)"),
                                               transport: URLSessionTransport(), audioLink: try f.database.audioLink(), audioSource: nil,
                                               now: { f.currentNow() })
            let spool = FileManager.default.temporaryDirectory.appendingPathComponent("carnation-voice-\(UUID().uuidString)")
            defer { try? FileManager.default.removeItem(at: spool) }
            let dispatcher = try Dispatcher(database: f.database, settings: CampaignSettings(),
                                            gateways: DispatchGateways(sms: SpoolGateway(directory: spool), voice: gateway), clock: FixtureClock(fixture: f))
            let round = try await dispatcher.run(untilIdle: true)
            #expect(round.accepted == 1)
            let state = try f.database.outboxMessage(id)?.state
            #expect(state == .accepted || state == .delivered)
            // The provider got the call request with a signed link and our id.
            let request = try #require(provider.requests.first)
            #expect(request["CalledNumber"] == "13800000001")
            #expect(request["OutId"] == String(id))
            #expect(request["VoiceUrl"]?.hasPrefix("http://localhost:\(port)/audio/\(id)?exp=") == true)
            // Wait for the call to finish: the audio fetched, the report posted and applied.
            let deadline = Date().addingTimeInterval(15)
            while try f.database.outboxMessage(id)?.state != .delivered && Date() < deadline { try await Task.sleep(nanoseconds: 50_000_000) }
            #expect(try f.database.outboxMessage(id)?.state == .delivered)
        }
        let fetch = try #require(provider.audioFetches.first)
        let expected = try await FakeVoice().audio(script: voiceScript)
        #expect(fetch.status == 200)
        #expect(fetch.contentType == "audio/wav")
        #expect(fetch.contentLength == String(expected.count))
        #expect(fetch.bytes == expected)
        #expect(provider.reportAnswers == [200])
        let message = try #require(try f.database.outboxMessage(id))
        #expect(message.gatewayMessageID == "call-\(id)")
        #expect(try f.database.outboxHistory(id).map(\.to).suffix(2) == [.accepted, .delivered])
    }
}
