import Foundation
import Testing
@testable import Messaging

private let chinese = "【昆明民政】张大爷您好：您的基础养老金本月起每月增加20元。"

private func kannel(_ server: LoopbackServer, timeout: Double = 5) throws -> KannelGateway {
    try KannelGateway(configuration: KannelConfiguration(
        sendsmsURL: URL(string: server.baseURL + "/cgi-bin/sendsms")!, username: "coord", password: "secret",
        dlrCallbackURL: URL(string: "http://127.0.0.1:8080/gateways/kannel/dlr")!, dlrSecret: "s3",
        timeoutSeconds: timeout), transport: URLSessionTransport())
}

private func message(_ id: String = "42", text: String = chinese) throws -> OutgoingSMS {
    try OutgoingSMS(outboxID: id, idempotencyKey: "camp1:530102194501011234:sms", phone: "13800000001", text: text)
}

@Suite("Gateways over loopback HTTP", .serialized)
struct GatewayTests {
    @Test func kannelAcceptedAndRequestCarriesUCS2() async throws {
        let server = try LoopbackServer(replies: [.respond(status: 202, headers: [:], body: "0: Accepted for delivery")])
        defer { server.stop() }
        let result = try await kannel(server).send(message())
        #expect(result == .accepted(gatewayMessageID: nil, detail: "0: Accepted for delivery"))
        let request = try #require(server.requests.first)
        #expect(request.hasPrefix("GET /cgi-bin/sendsms?username=coord&password=secret&to=13800000001&coding=2&charset=UTF-8&dlr-mask=31&dlr-url="))
    }

    @Test func kannelTemporaryFailureHonoursRetryAfter() async throws {
        let server = try LoopbackServer(replies: [
            .respond(status: 503, headers: ["Retry-After": "7"], body: "Temporal failure, try again later."),
        ])
        defer { server.stop() }
        let result = try await kannel(server).send(message())
        guard case let .failed(error) = result else { Issue.record("503 must fail"); return }
        #expect(error.isRetryable)
        #expect(error.retryAfter == 7)
        #expect(!error.mayHaveBeenSent)
    }

    @Test func kannelRejectionIsFinal() async throws {
        let server = try LoopbackServer(replies: [.respond(status: 403, headers: [:], body: "Authorization failed for sendsms")])
        defer { server.stop() }
        let result = try await kannel(server).send(message())
        #expect(result == .failed(.rejected(gateway: "kannel", status: 403, code: nil, body: "Authorization failed for sendsms")))
    }

    @Test func connectionClosedMidRequestMayHaveBeenSent() async throws {
        let server = try LoopbackServer(replies: [.close])
        defer { server.stop() }
        let result = try await kannel(server).send(message())
        guard case let .failed(error) = result else { Issue.record("a closed connection must fail"); return }
        #expect(error.mayHaveBeenSent)
        #expect(RetryPolicy().decision(after: error, attempt: 1, random: 0) == .awaitReport)
    }

    @Test func noAnswerTimesOutAsMaybeSent() async throws {
        let server = try LoopbackServer(replies: [.hang(seconds: 5)])
        defer { server.stop() }
        let result = try await kannel(server, timeout: 0.5).send(message())
        guard case let .failed(error) = result else { Issue.record("a silent gateway must fail"); return }
        #expect(error.mayHaveBeenSent)
    }

    @Test func gatewayDownIsUnreachableAndRetryable() async throws {
        let server = try LoopbackServer(replies: [])
        let port = server.port
        server.stop()
        let gateway = try KannelGateway(configuration: KannelConfiguration(
            sendsmsURL: URL(string: "http://127.0.0.1:\(port)/cgi-bin/sendsms")!, username: "u", password: "p"),
            transport: URLSessionTransport())
        let result = await gateway.send(try message())
        guard case let .failed(error) = result else { Issue.record("a closed port must fail"); return }
        guard case .unreachable(gateway: "kannel", _) = error else { Issue.record("expected unreachable, got \(error)"); return }
        #expect(error.isRetryable)
        #expect(!error.mayHaveBeenSent)
    }

    @Test func invalidMessageNeverReachesTheGateway() async throws {
        let server = try LoopbackServer(replies: [])
        defer { server.stop() }
        let long = try message(text: String(repeating: "养", count: 400))
        let result = try await kannel(server).send(long)
        #expect(result == .failed(.invalidMessage(.textTooLong(segments: 6, maximum: 5))))
        #expect(server.requests.isEmpty)
    }

    @Test func templateProviderRoundTrip() async throws {
        let server = try LoopbackServer(replies: [
            .respond(status: 200, headers: [:], body: #"{"Code":"OK","Message":"OK","BizId":"900619746936498440^0","RequestId":"F655A8D5"}"#),
            .respond(status: 200, headers: [:], body: #"{"Code":"isv.BUSINESS_LIMIT_CONTROL","Message":"触发分钟级流控"}"#),
            .respond(status: 200, headers: [:], body: #"{"Code":"isv.MOBILE_NUMBER_ILLEGAL","Message":"非法手机号"}"#),
        ])
        defer { server.stop() }
        let config = HTTPTemplateConfiguration(
            name: "aliyun-like", url: URL(string: server.baseURL + "/sms")!,
            body: .object(["PhoneNumbers": .string("{{phone}}"), "SignName": .string("{{signName}}"),
                           "TemplateCode": .string("{{templateCode}}"), "TemplateParam": .string("{{paramsJSON}}"),
                           "OutId": .string("{{outboxID}}")]),
            messageIDPath: "BizId", resultCodePath: "Code", successCode: "OK", errorMessagePath: "Message",
            retryableCodes: ["isv.BUSINESS_LIMIT_CONTROL"])
        let gateway = HTTPTemplateSMSGateway(configuration: config, transport: URLSessionTransport())
        let content = try SMSTemplateContent(signature: SMSSignature("昆明民政"), templateCode: "SMS_1",
                                             parameters: [TemplateParameter("name", "张大爷"), TemplateParameter("amount", "20")])
        let sms = try OutgoingSMS(outboxID: "42", idempotencyKey: "k", phone: "13800000001", text: chinese, template: content)
        #expect(await gateway.send(sms) == .accepted(gatewayMessageID: "900619746936498440^0", detail: "OK"))
        let body = try #require(server.requests.first?.components(separatedBy: "\r\n\r\n").last)
        #expect(body == #"{"OutId":"42","PhoneNumbers":"13800000001","SignName":"昆明民政","TemplateCode":"SMS_1","TemplateParam":"{\"amount\":\"20\",\"name\":\"张大爷\"}"}"#)
        guard case let .failed(limited) = await gateway.send(sms) else { Issue.record("flow control must fail"); return }
        #expect(limited.isRetryable)
        #expect(await gateway.send(sms) == .failed(.rejected(gateway: "aliyun-like", status: 200, code: "isv.MOBILE_NUMBER_ILLEGAL",
                                                               body: "isv.MOBILE_NUMBER_ILLEGAL: 非法手机号")))
    }
}

@Suite("Spool gateway")
struct SpoolGatewayTests {
    private func temporaryDirectory() -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("carnation-spool-\(UUID().uuidString)")
    }

    @Test func writesOneFilePerKeyAndARerunDoesNotDuplicate() async throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let spool = SpoolGateway(directory: dir)
        let sms = try message()
        let first = await spool.send(sms)
        let again = await spool.send(sms)
        let name = SpoolGateway.fileName(forKey: sms.idempotencyKey)
        #expect(first == .accepted(gatewayMessageID: name, detail: "spooled"))
        #expect(again == .accepted(gatewayMessageID: name, detail: "already spooled"))
        let files = try FileManager.default.contentsOfDirectory(atPath: dir.path)
        #expect(files == [name])
        let stored = try JSONDecoder().decode(SpoolGateway.SpooledMessage.self, from: Data(contentsOf: dir.appendingPathComponent(name)))
        #expect(stored.text == chinese)
        #expect(stored.encoding == .ucs2)
        #expect(stored.segments == 1)
        #expect(stored.outboxID == "42")
    }

    @Test func concurrentSendsOfOneKeyLeaveOneFile() async throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let spool = SpoolGateway(directory: dir)
        let sms = try message()
        let results = await withTaskGroup(of: SendResult.self) { group in
            for _ in 0..<16 { group.addTask { await spool.send(sms) } }
            var all: [SendResult] = []
            for await r in group { all.append(r) }
            return all
        }
        let spooled = results.filter { if case .accepted(_, "spooled") = $0 { return true }; return false }
        #expect(spooled.count == 1)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).count == 1)
    }

    @Test func fileNamesAreSafeAndDistinct() {
        #expect(SpoolGateway.fileName(forKey: "camp1:530102194501011234:sms") == "camp1_3A530102194501011234_3Asms.json")
        #expect(SpoolGateway.fileName(forKey: "../etc/passwd") == "_2E._2Fetc_2Fpasswd.json")
        #expect(SpoolGateway.fileName(forKey: "a_3A") != SpoolGateway.fileName(forKey: "a:"))
        let long = SpoolGateway.fileName(forKey: String(repeating: "张", count: 100))
        #expect(long.utf8.count < 255)
        #expect(long != SpoolGateway.fileName(forKey: String(repeating: "张", count: 101)))
    }

    @Test func unwritableDirectoryIsALocalRetryableFailure() async throws {
        let spool = SpoolGateway(directory: URL(fileURLWithPath: "/proc/carnation-spool"))
        guard case let .failed(error) = await spool.send(try message()) else { Issue.record("must fail"); return }
        #expect(error.isRetryable)
        #expect(!error.mayHaveBeenSent)
    }
}
