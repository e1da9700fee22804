import Foundation
import Testing
@testable import Messaging

private let script = "张大爷您好：您的基础养老金本月起每月增加20元。"

/// An Aliyun-like voice API (SingleCallByVoice): called number, the voice file's URL, our id, a callback.
private func aliyunLike(_ url: String = "http://127.0.0.1:9/call", audio: VoiceHTTPConfiguration.AudioDelivery = .url,
                        timeout: Double = 5) -> VoiceHTTPConfiguration {
    let body: JSONValue = audio == .url
        ? .object(["CalledNumber": .string("{{phone}}"), "VoiceUrl": .string("{{audioURL}}"), "OutId": .string("{{outboxID}}"),
                   "CallbackUrl": .string("{{reportURL}}"), "PlayTimes": .number(2)])
        : .object(["CalledNumber": .string("{{phoneE164}}"), "Audio": .object(["Format": .string("{{audioFormat}}"), "Data": .string("{{audioBase64}}")]),
                   "OutId": .string("{{outboxID}}")])
    return VoiceHTTPConfiguration(
        name: "aliyun-voice", url: URL(string: url)!, headers: ["Content-Type": "application/json; charset=utf-8", "X-Request-Id": "{{idempotencyKey}}"],
        body: body, audio: audio, publicURL: URL(string: "https://office.example.org/carnation/")!, audioLinkSeconds: 3600,
        answer: ProviderAnswer(messageIDPath: "CallId", resultCodePath: "Code", successCode: "OK", errorMessagePath: "Message",
                               retryableCodes: ["Throttling.User"]),
        report: VoiceReportFormat(outboxIDPath: "out_id", callIDPath: "call_id", statusPath: "status_code", delivered: ["200000"],
                                  progress: ["100000"], reply: #"{"code":0,"msg":"成功"}"#),
        reportSecret: "voice-report-secret-0123", timeoutSeconds: timeout)
}

private func call(_ id: String = "42") throws -> OutgoingSMS {
    try OutgoingSMS(outboxID: id, idempotencyKey: "c7-\(id)-voice", phone: "13800000001", text: script)
}

private struct FixedAudio: VoiceAudioSource {
    let bytes: Data
    func wav(for message: OutgoingSMS) async throws -> Data { bytes }
}

private struct NoSpeech: VoiceAudioSource {
    struct Broken: Error {}
    func wav(for message: OutgoingSMS) async throws -> Data { throw Broken() }
}

private func json(_ request: HTTPRequestSpec) throws -> [String: Any] {
    let body = try #require(request.body)
    return try #require(try JSONSerialization.jsonObject(with: body) as? [String: Any])
}

@Suite("Signed audio links")
struct AudioLinkTests {
    let link = AudioLink(secret: Array("audio-secret".utf8))
    let now = Date(timeIntervalSince1970: 1_795_990_000)

    @Test func signatureIsHMACOfIDAndExpiry() throws {
        // hmac.new(b"audio-secret", b"audio:42:1796000000", sha256).hexdigest() in Python.
        #expect(link.signature(outboxID: "42", expires: 1_796_000_000) == "33cc5d20a17f7f95d8feb692d8b93637d2dd1578d13eb0a8629713d4781d4412")
        #expect(try link.path(outboxID: "42", expires: 1_796_000_000)
                == "/audio/42?exp=1796000000&sig=33cc5d20a17f7f95d8feb692d8b93637d2dd1578d13eb0a8629713d4781d4412")
        #expect(try link.url(base: URL(string: "https://office.example.org/carnation/")!, outboxID: "42", expires: 1_796_000_000).absoluteString
                == "https://office.example.org/carnation/audio/42?exp=1796000000&sig=33cc5d20a17f7f95d8feb692d8b93637d2dd1578d13eb0a8629713d4781d4412")
        #expect(throws: MessagingError.self) { try link.path(outboxID: "../etc", expires: 1) }
    }

    @Test func checkAcceptsOnlyTheSignedLinkBeforeItExpires() {
        let sig = link.signature(outboxID: "42", expires: 1_796_000_000)
        #expect(link.check(outboxID: "42", expires: "1796000000", signature: sig, now: now) == .valid)
        #expect(link.check(outboxID: "42", expires: "1796000000", signature: sig.uppercased(), now: now) == .valid)
        #expect(link.check(outboxID: "42", expires: "1796000000", signature: sig, now: Date(timeIntervalSince1970: 1_796_000_000)) == .expired)
        // Another message, a later expiry, another secret, a changed or missing signature: all refused.
        #expect(link.check(outboxID: "43", expires: "1796000000", signature: sig, now: now) == .badSignature)
        #expect(link.check(outboxID: "42", expires: "1796999999", signature: sig, now: now) == .badSignature)
        #expect(AudioLink(secret: Array("other".utf8)).check(outboxID: "42", expires: "1796000000", signature: sig, now: now) == .badSignature)
        #expect(link.check(outboxID: "42", expires: "1796000000", signature: String(sig.dropLast()) + "0", now: now) == .badSignature)
        #expect(link.check(outboxID: "42", expires: "1796000000", signature: nil, now: now) == .badSignature)
        #expect(link.check(outboxID: "42", expires: nil, signature: sig, now: now) == .badSignature)
        // The same number written differently is not the signed text.
        #expect(link.check(outboxID: "42", expires: "01796000000", signature: sig, now: now) == .badSignature)
        #expect(link.check(outboxID: "42", expires: "+1796000000", signature: sig, now: now) == .badSignature)
    }
}

@Suite("voice-http requests, answers and reports")
struct VoiceHTTPRequestTests {
    let link = AudioLink(secret: Array("audio-secret".utf8))
    let now = Date(timeIntervalSince1970: 1_795_990_000)

    @Test func urlModeSendsASignedExpiringLinkAndAPerMessageReportURL() throws {
        let config = aliyunLike()
        try config.validate()
        let audioURL = try VoiceHTTPRequest.audioURL(config, link: link, outboxID: "42", now: now)
        #expect(audioURL.absoluteString == "https://office.example.org/carnation/audio/42?exp=1795993600&sig=" + link.signature(outboxID: "42", expires: 1_795_993_600))
        let request = try VoiceHTTPRequest.build(config, message: call(), audioURL: audioURL, audioBase64: nil)
        #expect(request.method == "POST")
        #expect(request.url.absoluteString == "http://127.0.0.1:9/call")
        #expect(request.headers.map(\.name) == ["Content-Type", "X-Request-Id"])
        #expect(request.headers[1].value == "c7-42-voice")
        let body = try json(request)
        #expect(body["CalledNumber"] as? String == "13800000001")
        #expect(body["VoiceUrl"] as? String == audioURL.absoluteString)
        #expect(body["OutId"] as? String == "42")
        #expect(body["PlayTimes"] as? Int == 2)
        let report = try #require(body["CallbackUrl"] as? String)
        #expect(report == "https://office.example.org/carnation/gateway/voice/report?outbox=42&key=" + MessageKey(secret: "voice-report-secret-0123").key(for: "42"))
        #expect(!String(decoding: request.body!, as: UTF8.self).contains("voice-report-secret-0123"), "the gateway's secret never travels")
    }

    @Test func inlineModeCarriesTheAudioAsBase64() throws {
        let config = aliyunLike(audio: .inline)
        try config.validate()
        let wav = Data("RIFF....WAVEfmt ".utf8) + Data((0..<300).map { UInt8($0 % 256) })
        let request = try VoiceHTTPRequest.build(config, message: call(), audioURL: nil, audioBase64: wav.base64EncodedString())
        let body = try json(request)
        #expect(body["CalledNumber"] as? String == "+8613800000001")
        let audio = try #require(body["Audio"] as? [String: Any])
        #expect(audio["Format"] as? String == "wav")
        #expect(Data(base64Encoded: try #require(audio["Data"] as? String)) == wav)
    }

    @Test func configurationMistakesAreFoundWhenRead() {
        var missingURL = aliyunLike()
        missingURL.publicURL = nil
        #expect(throws: MessagingError.self) { try missingURL.validate() }
        // {{audioURL}} means nothing when the audio travels in the request.
        var wrongMode = aliyunLike()
        wrongMode.audio = .inline
        #expect(throws: MessagingError.self) { try wrongMode.validate() }
        var unknown = aliyunLike()
        unknown.body = .object(["To": .string("{{telephone}}")])
        #expect(throws: MessagingError.self) { try unknown.validate() }
        var shortSecret = aliyunLike()
        shortSecret.reportSecret = "short"
        #expect(throws: MessagingError.self) { try shortSecret.validate() }
    }

    @Test func answersMapToTheSameOutcomesAsOtherGateways() {
        let config = aliyunLike()
        #expect(VoiceHTTPRequest.interpretAnswer(config, status: 200, body: Data(#"{"Code":"OK","CallId":"116012354148^10281378","RequestId":"x"}"#.utf8))
                == .accepted(gatewayMessageID: "116012354148^10281378", detail: "OK"))
        guard case let .failed(throttled) = VoiceHTTPRequest.interpretAnswer(config, status: 200, body: Data(#"{"Code":"Throttling.User","Message":"流控"}"#.utf8), retryAfter: 9) else {
            Issue.record("a throttling code must fail"); return
        }
        #expect(throttled.isRetryable && !throttled.mayHaveBeenSent && throttled.retryAfter == 9)
        guard case let .failed(tooMany) = VoiceHTTPRequest.interpretAnswer(config, status: 429, body: Data(), retryAfter: 30) else { return }
        #expect(tooMany.isRetryable && tooMany.retryAfter == 30)
        guard case let .failed(rejected) = VoiceHTTPRequest.interpretAnswer(config, status: 200, body: Data(#"{"Code":"isv.MOBILE_NUMBER_ILLEGAL","Message":"号码格式错误"}"#.utf8)) else { return }
        #expect(!rejected.isRetryable && !rejected.mayHaveBeenSent)
        guard case let .failed(garbage) = VoiceHTTPRequest.interpretAnswer(config, status: 200, body: Data("<html>gateway</html>".utf8)) else { return }
        #expect(garbage.mayHaveBeenSent, "a 200 we cannot read may hide a call")
        guard case let .failed(noID) = VoiceHTTPRequest.interpretAnswer(config, status: 200, body: Data(#"{"Code":"OK"}"#.utf8)) else { return }
        #expect(noID.mayHaveBeenSent)
    }

    @Test func callReportsAreReadFromListsObjectsAndFlatFields() throws {
        let format = aliyunLike().report
        // Aliyun's VoiceReport posts a list.
        let list = try #require(JSONValue.parse(Data(#"[{"call_id":"c1","out_id":"42","status_code":"200000","status_msg":"用户听完"},{"call_id":"c2","out_id":"43","status_code":"200005"},{"call_id":"c3","out_id":"44","status_code":"100000"}]"#.utf8)))
        #expect(try VoiceCallReport.parse(list, format: format) == [
            VoiceCallReport(outboxID: "42", callID: "c1", status: "200000", outcome: .delivered),
            VoiceCallReport(outboxID: "43", callID: "c2", status: "200005", outcome: .undelivered),
            VoiceCallReport(outboxID: "44", callID: "c3", status: "100000", outcome: .intermediate),
        ])
        // Tencent's callback nests one report.
        var tencent = format
        tencent.itemsPath = "voiceprompt_callback"
        tencent.outboxIDPath = "ext"
        tencent.statusPath = "result"
        tencent.delivered = ["0"]
        let nested = try #require(JSONValue.parse(Data(#"{"voiceprompt_callback":{"callid":"x","ext":"7","result":0,"mobile":"13800000001"}}"#.utf8)))
        #expect(try VoiceCallReport.parse(nested, format: tencent) == [VoiceCallReport(outboxID: "7", callID: nil, status: "0", outcome: .delivered)])
        // A report without our id uses the one of its per-message URL; without either it is refused.
        let bare = JSONValue.object(["status_code": .string("200000")])
        #expect(try VoiceCallReport.parse(bare, format: format, outboxID: "9").first?.outboxID == "9")
        #expect(throws: MessagingError.self) { try VoiceCallReport.parse(bare, format: format) }
        #expect(throws: MessagingError.self) { try VoiceCallReport.parse(.array([]), format: format) }
        #expect(throws: MessagingError.self) { try VoiceCallReport.parse(.object(["out_id": .string("42")]), format: format) }
        #expect(throws: MessagingError.self) { try VoiceCallReport.parse(.object(["out_id": .string("4 2"), "status_code": .string("1")]), format: format) }
    }
}

@Suite("voice-http over loopback HTTP", .serialized)
struct VoiceGatewayLoopbackTests {
    let link = AudioLink(secret: Array("audio-secret".utf8))

    @Test func acceptedCallCarriesTheSignedLink() async throws {
        let server = try LoopbackServer(replies: [.respond(status: 200, headers: [:], body: #"{"Code":"OK","CallId":"call-9"}"#)])
        defer { server.stop() }
        let now = Date(timeIntervalSince1970: 1_795_990_000)
        let gateway = try VoiceHTTPGateway(configuration: aliyunLike(server.baseURL + "/call"), transport: URLSessionTransport(),
                                           audioLink: link, audioSource: nil, now: { now })
        #expect(await gateway.send(try call()) == .accepted(gatewayMessageID: "call-9", detail: "OK"))
        let request = try #require(server.requests.first)
        #expect(request.hasPrefix("POST /call HTTP/1.1"))
        #expect(request.contains("/audio/42?exp=1795993600&sig=" + link.signature(outboxID: "42", expires: 1_795_993_600)))
    }

    @Test func urlModeMakesTheAudioBeforeCalling() async throws {
        let server = try LoopbackServer(replies: [.respond(status: 200, headers: [:], body: #"{"Code":"OK","CallId":"call-11"}"#)])
        defer { server.stop() }
        let broken = try VoiceHTTPGateway(configuration: aliyunLike(server.baseURL + "/call"), transport: URLSessionTransport(),
                                          audioLink: link, audioSource: NoSpeech())
        guard case let .failed(local) = await broken.send(try call()) else { Issue.record("no audio, no call"); return }
        #expect(local.isRetryable && !local.mayHaveBeenSent)
        #expect(server.requests.isEmpty, "nobody is called whose audio cannot be made")
        let ready = try VoiceHTTPGateway(configuration: aliyunLike(server.baseURL + "/call"), transport: URLSessionTransport(),
                                         audioLink: link, audioSource: FixedAudio(bytes: Data("RIFF".utf8)))
        #expect(await ready.send(try call()) == .accepted(gatewayMessageID: "call-11", detail: "OK"))
    }

    @Test func inlineCallCarriesTheSpokenAudio() async throws {
        let server = try LoopbackServer(replies: [.respond(status: 200, headers: [:], body: #"{"Code":"OK","CallId":"call-10"}"#)])
        defer { server.stop() }
        let wav = Data("RIFF".utf8) + Data(repeating: 7, count: 5000)
        let gateway = try VoiceHTTPGateway(configuration: aliyunLike(server.baseURL + "/call", audio: .inline), transport: URLSessionTransport(),
                                           audioLink: nil, audioSource: FixedAudio(bytes: wav))
        #expect(await gateway.send(try call()) == .accepted(gatewayMessageID: "call-10", detail: "OK"))
        #expect(try #require(server.requests.first).contains(wav.base64EncodedString()))
        // Speech that fails is a local, retryable failure: nothing was sent.
        let broken = try VoiceHTTPGateway(configuration: aliyunLike(server.baseURL + "/call", audio: .inline), transport: URLSessionTransport(),
                                          audioLink: nil, audioSource: NoSpeech())
        guard case let .failed(local) = await broken.send(try call()) else { Issue.record("no audio, no call"); return }
        #expect(local.isRetryable && !local.mayHaveBeenSent)
        #expect(server.requests.count == 1)
    }

    @Test func temporaryRefusalHonoursRetryAfter() async throws {
        let server = try LoopbackServer(replies: [.respond(status: 503, headers: ["Retry-After": "12"], body: "busy")])
        defer { server.stop() }
        let gateway = try VoiceHTTPGateway(configuration: aliyunLike(server.baseURL + "/call"), transport: URLSessionTransport(), audioLink: link, audioSource: nil)
        guard case let .failed(error) = await gateway.send(try call()) else { Issue.record("503 must fail"); return }
        #expect(error.isRetryable && error.retryAfter == 12 && !error.mayHaveBeenSent)
    }

    @Test func closedConnectionOrSilenceMayHaveCalled() async throws {
        let server = try LoopbackServer(replies: [.close, .hang(seconds: 2)])
        defer { server.stop() }
        let gateway = try VoiceHTTPGateway(configuration: aliyunLike(server.baseURL + "/call", timeout: 1), transport: URLSessionTransport(),
                                           audioLink: link, audioSource: nil)
        for _ in 0..<2 {
            guard case let .failed(error) = await gateway.send(try call()) else { Issue.record("must fail"); return }
            #expect(error.mayHaveBeenSent, "the call may have been placed: resolve it from call reports, do not call twice")
        }
    }

    @Test func aGatewayWithoutItsAudioIsRefusedAtStart() {
        #expect(throws: MessagingError.self) {
            try VoiceHTTPGateway(configuration: aliyunLike(), transport: URLSessionTransport(), audioLink: nil, audioSource: nil)
        }
        #expect(throws: MessagingError.self) {
            try VoiceHTTPGateway(configuration: aliyunLike(audio: .inline), transport: URLSessionTransport(), audioLink: link, audioSource: nil)
        }
    }
}
