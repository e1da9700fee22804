import Foundation
import Testing
@testable import Messaging

@Suite("HTTP template provider requests")
struct HTTPTemplateTests {
    private func sms(template: Bool = true) throws -> OutgoingSMS {
        let content = try SMSTemplateContent(signature: SMSSignature("【昆明民政】"), templateCode: "1234567",
                                             parameters: [TemplateParameter("name", "张大爷"), TemplateParameter("amount", "143")])
        return try OutgoingSMS(outboxID: "77", idempotencyKey: "c:r:sms", phone: "13800000001",
                               text: "【昆明民政】张大爷您好：您的基础养老金为143元。", template: template ? content : nil)
    }

    private let tencentLike = HTTPTemplateConfiguration(
        name: "tencent-like", url: URL(string: "https://sms.example.invalid/")!,
        headers: ["Content-Type": "application/json; charset=utf-8", "X-Request-Id": "carnation-{{outboxID}}"],
        body: .object([
            "PhoneNumberSet": .array([.string("{{phoneE164}}")]),
            "SmsSdkAppId": .string("1400000000"),
            "SignName": .string("{{signName}}"),
            "TemplateId": .string("{{templateCode}}"),
            "TemplateParamSet": .string("{{paramsList}}"),
            "SessionContext": .string("outbox-{{outboxID}}"),
            "ExtendCode": .null,
            "Retry": .number(0),
        ]),
        messageIDPath: "Response.SendStatusSet.0.SerialNo", resultCodePath: "Response.SendStatusSet.0.Code",
        successCode: "Ok", errorMessagePath: "Response.SendStatusSet.0.Message",
        retryableCodes: ["LimitExceeded.PhoneNumberThirtySecondLimit"])

    @Test func bodyAndHeadersAreFilled() throws {
        let request = try HTTPTemplateRequest.build(tencentLike, message: sms())
        #expect(request.method == "POST")
        #expect(request.headers.map(\.name) == ["Content-Type", "X-Request-Id"])
        #expect(request.headers[1].value == "carnation-77")
        let body = String(decoding: try #require(request.body), as: UTF8.self)
        #expect(body == #"{"ExtendCode":null,"PhoneNumberSet":["+8613800000001"],"Retry":0,"SessionContext":"outbox-77","SignName":"昆明民政","SmsSdkAppId":"1400000000","TemplateId":"1234567","TemplateParamSet":["张大爷","143"]}"#)
    }

    @Test func templateMistakesAreNamed() throws {
        var unknown = tencentLike
        unknown.body = .object(["To": .string("{{mobile}}")])
        #expect(throws: MessagingError.self) { try HTTPTemplateRequest.build(unknown, message: sms()) }
        var listInText = tencentLike
        listInText.body = .object(["Text": .string("params: {{paramsList}}")])
        #expect(throws: MessagingError.self) { try HTTPTemplateRequest.build(listInText, message: sms()) }
        var unclosed = tencentLike
        unclosed.body = .object(["To": .string("{{phone")])
        #expect(throws: MessagingError.self) { try HTTPTemplateRequest.build(unclosed, message: sms()) }
        #expect(throws: MessagingError.self) { try HTTPTemplateRequest.build(tencentLike, message: sms(template: false)) }
        #expect(throws: MessagingError.self) {
            try SMSTemplateContent(signature: SMSSignature("x"), templateCode: "1", parameters: [TemplateParameter("a", "1"), TemplateParameter("a", "2")])
        }
    }

    @Test func answersAreRead() {
        let ok = #"{"Response":{"SendStatusSet":[{"SerialNo":"2028:123","Code":"Ok","Message":"send success"}],"RequestId":"a"}}"#
        #expect(HTTPTemplateRequest.interpretAnswer(tencentLike, status: 200, body: Data(ok.utf8))
                == .accepted(gatewayMessageID: "2028:123", detail: "Ok"))
        let limited = #"{"Response":{"SendStatusSet":[{"SerialNo":"","Code":"LimitExceeded.PhoneNumberThirtySecondLimit","Message":"30秒内"}]}}"#
        guard case let .failed(e1) = HTTPTemplateRequest.interpretAnswer(tencentLike, status: 200, body: Data(limited.utf8)) else {
            Issue.record("must fail"); return
        }
        #expect(e1.isRetryable)
        guard case let .failed(e2) = HTTPTemplateRequest.interpretAnswer(tencentLike, status: 200, body: Data("<html>".utf8)) else {
            Issue.record("must fail"); return
        }
        #expect(e2.mayHaveBeenSent)
        #expect(!e2.isRetryable)
        guard case let .failed(e3) = HTTPTemplateRequest.interpretAnswer(tencentLike, status: 502, body: Data()) else {
            Issue.record("must fail"); return
        }
        #expect(e3.isRetryable)
        guard case let .failed(e4) = HTTPTemplateRequest.interpretAnswer(tencentLike, status: 200, body: Data(#"{"Response":{}}"#.utf8)) else {
            Issue.record("must fail"); return
        }
        #expect(e4.mayHaveBeenSent)
    }

    @Test func jsonValuePathsAndSerialisation() {
        let value = JSONValue.parse(Data(#"{"a":[{"b":true,"c":1.5,"d":"x\"y\n"}],"n":null}"#.utf8))
        #expect(value?.value(at: "a.0.b") == .bool(true))
        #expect(value?.value(at: "a.0.c")?.scalarText == "1.5")
        #expect(value?.value(at: "a.1") == nil)
        #expect(value?.serialized == #"{"a":[{"b":true,"c":1.5,"d":"x\"y\n"}],"n":null}"#)
        #expect(JSONValue.parse(Data("not json".utf8)) == nil)
    }
}
