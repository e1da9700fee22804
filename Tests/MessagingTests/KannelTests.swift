import Foundation
import Testing
@testable import Messaging

private func config(dlr: Bool = true) -> KannelConfiguration {
    KannelConfiguration(
        sendsmsURL: URL(string: "http://127.0.0.1:13013/cgi-bin/sendsms")!,
        username: "coord", password: "se cret+&", sender: "10690000",
        dlrCallbackURL: dlr ? URL(string: "http://127.0.0.1:8080/gateways/kannel/dlr")! : nil,
        dlrSecret: dlr ? "k3y_x" : nil)
}

/// The decoded query items of a sendsms URL, in order.
private func items(_ url: URL) -> [(String, String)] {
    let query = url.absoluteString.split(separator: "?", maxSplits: 1)[1]
    return query.split(separator: "&").map { pair in
        let kv = pair.split(separator: "=", maxSplits: 1)
        return (String(kv[0]).removingPercentEncoding!, String(kv[1]).removingPercentEncoding!)
    }
}

private func value(_ url: URL, _ key: String) -> String? { items(url).first { $0.0 == key }?.1 }

@Suite("Kannel sendsms and delivery reports")
struct KannelTests {
    let chinese = "【昆明民政】张大爷您好：您的基础养老金本月起每月增加20元。"

    @Test func chineseIsSentAsUCS2WithUTF8Charset() throws {
        let sms = try OutgoingSMS(outboxID: "42", idempotencyKey: "c1:r1:sms", phone: "13800000001", text: chinese)
        let url = try KannelURL.sendURL(config(), message: sms)
        #expect(value(url, "coding") == "2")
        #expect(value(url, "charset") == "UTF-8")
        #expect(value(url, "text") == chinese)
        #expect(value(url, "to") == "13800000001")
        #expect(value(url, "from") == "10690000")
        #expect(value(url, "username") == "coord")
        #expect(value(url, "dlr-mask") == "31")
        #expect(url.absoluteString.hasPrefix("http://127.0.0.1:13013/cgi-bin/sendsms?username=coord&"))
    }

    @Test func gsm7TextIsSentAsSevenBit() throws {
        let sms = try OutgoingSMS(outboxID: "7", idempotencyKey: "k", phone: "13800000001", text: "Pension +20 {CNY} 100%")
        let url = try KannelURL.sendURL(config(), message: sms)
        #expect(value(url, "coding") == "0")
        #expect(value(url, "text") == "Pension +20 {CNY} 100%")
    }

    @Test func plusSpaceAndAmpersandNeverTravelBare() throws {
        let sms = try OutgoingSMS(outboxID: "7", idempotencyKey: "k", phone: "13800000001", text: "a+b c&d=e")
        let raw = try KannelURL.sendURL(config(), message: sms).absoluteString
        #expect(raw.contains("text=a%2Bb%20c%26d%3De"))
        #expect(raw.contains("password=se%20cret%2B%26"))
        // The only bare '&' and '=' are the separators of our own parameters.
        #expect(raw.split(separator: "&").count == items(URL(string: raw)!).count)
    }

    @Test func dlrURLIsEncodedOnceAndCarriesTheOutboxIDAndKannelEscapes() throws {
        let sms = try OutgoingSMS(outboxID: "camp-3.r_17", idempotencyKey: "k", phone: "13800000001", text: chinese)
        let url = try KannelURL.sendURL(config(), message: sms)
        let dlr = try #require(value(url, "dlr-url"))
        // The key is this message's own: base64url(HMAC-SHA256("k3y_x", "report:camp-3.r_17")), computed with Python's hmac.
        let key = "Y70rYYZeYoah5pYajo3BOo5ZPvLlaljLXqZTWUAG4qo"
        #expect(dlr == "http://127.0.0.1:8080/gateways/kannel/dlr?outbox=camp-3.r_17&key=\(key)&type=%d&ts=%T&to=%p&from=%P&smsc=%i&reply=%A&fid=%F")
        #expect(!dlr.contains("k3y_x"), "the gateway's secret never travels")
        // In the sendsms URL itself the dlr-url's '%', '&', '?' and ':' are escaped.
        #expect(url.absoluteString.contains("dlr-url=http%3A%2F%2F127.0.0.1%3A8080%2Fgateways%2Fkannel%2Fdlr%3Foutbox%3Dcamp-3.r_17%26key%3D\(key)%26type%3D%25d"))
    }

    /// The gateway's prepared form gives, byte for byte, the URL of encoding every field on its own (the way
    /// `sendURL` built it before the form existed), with and without sender, smsc, reports and a key.
    @Test func preparedFormMatchesFieldByFieldEncoding() throws {
        func fieldByField(_ c: KannelConfiguration, _ m: OutgoingSMS) throws -> String {
            var items: [(String, String)] = [("username", c.username), ("password", c.password)]
            if let sender = c.sender { items.append(("from", sender)) }
            items.append(("to", m.phone))
            if let smsc = c.smscID { items.append(("smsc", smsc)) }
            items.append(("coding", String(KannelURL.coding(for: m.text))))
            items.append(("charset", "UTF-8"))
            if let dlr = try KannelURL.deliveryReportURL(c, outboxID: m.outboxID) {
                items.append(("dlr-mask", String(c.dlrMask)))
                items.append(("dlr-url", dlr))
            }
            items.append(("text", m.text))
            return c.sendsmsURL.absoluteString + "?" + items.map { KannelURL.percentEncode($0.0) + "=" + KannelURL.percentEncode($0.1) }.joined(separator: "&")
        }
        var plain = config(dlr: false)
        plain.sender = nil
        var routed = config()
        routed.smscID = "fake smsc"
        routed.dlrMask = 7
        var keyless = config()
        keyless.dlrSecret = nil
        for c in [config(), plain, routed, keyless] {
            let form = try KannelURL.SendForm(c)
            for (id, text) in [("42", chinese), ("camp-3.r_17", "Pension +20 {CNY} 100% a&b=c"), ("9", "𠀋先生 emoji 👍")] {
                let sms = try OutgoingSMS(outboxID: id, idempotencyKey: "k", phone: "13800000001", text: text)
                #expect(try form.url(for: sms).absoluteString == fieldByField(c, sms))
                #expect(try KannelURL.sendURL(c, message: sms) == form.url(for: sms))
            }
        }
    }

    @Test func messageKeysBelongToOneMessage() {
        let keys = MessageKey(secret: "k3y_x")
        #expect(keys.key(for: "camp-3.r_17") == "Y70rYYZeYoah5pYajo3BOo5ZPvLlaljLXqZTWUAG4qo")
        #expect(keys.verify("Y70rYYZeYoah5pYajo3BOo5ZPvLlaljLXqZTWUAG4qo", for: "camp-3.r_17"))
        #expect(!keys.verify("Y70rYYZeYoah5pYajo3BOo5ZPvLlaljLXqZTWUAG4qo", for: "camp-3.r_18"), "another message's key")
        #expect(!keys.verify("k3y_x", for: "camp-3.r_17"), "the secret itself")
        #expect(!keys.verify(nil, for: "camp-3.r_17"))
        #expect(!MessageKey(secret: "other").verify(keys.key(for: "1"), for: "1"), "another gateway's key")
    }

    @Test func noDLRWithoutACallback() throws {
        let sms = try OutgoingSMS(outboxID: "1", idempotencyKey: "k", phone: "13800000001", text: "hi")
        let url = try KannelURL.sendURL(config(dlr: false), message: sms)
        #expect(value(url, "dlr-url") == nil)
        #expect(value(url, "dlr-mask") == nil)
    }

    @Test func refusesWhatKannelWouldMisread() throws {
        #expect(throws: MessagingError.invalidPhone("13800000001 13800000002")) {
            try OutgoingSMS(outboxID: "1", idempotencyKey: "k", phone: "13800000001 13800000002", text: "x")
        }
        #expect(throws: MessagingError.self) { try OutgoingSMS(outboxID: "1", idempotencyKey: "k", phone: "+8613800000001", text: "x") }
        #expect(throws: MessagingError.self) { try OutgoingSMS(outboxID: "1", idempotencyKey: "k", phone: "1380000000", text: "x") }
        let badID = try OutgoingSMS(outboxID: "42%d", idempotencyKey: "k", phone: "13800000001", text: "x")
        #expect(throws: MessagingError.invalidOutboxID("42%d")) { try KannelURL.sendURL(config(), message: badID) }
        let long = try OutgoingSMS(outboxID: "1", idempotencyKey: "k", phone: "13800000001", text: String(repeating: "养", count: 336))
        #expect(throws: MessagingError.textTooLong(segments: 6, maximum: 5)) { try KannelURL.sendURL(config(), message: long) }
        var badSecret = config()
        badSecret.dlrSecret = "a%b"
        let ok = try OutgoingSMS(outboxID: "1", idempotencyKey: "k", phone: "13800000001", text: "x")
        #expect(throws: MessagingError.self) { try KannelURL.sendURL(badSecret, message: ok) }
        var badCallback = config()
        badCallback.dlrCallbackURL = URL(string: "http://127.0.0.1:8080/dlr?x=1")
        #expect(throws: MessagingError.self) { try KannelURL.sendURL(badCallback, message: ok) }
    }

    @Test func fiveSegmentsAreAllowedWithMaxMessagesFive() throws {
        let sms = try OutgoingSMS(outboxID: "1", idempotencyKey: "k", phone: "13800000001", text: String(repeating: "养", count: 335))
        #expect(throws: Never.self) { try KannelURL.sendURL(config(), message: sms) }
    }

    @Test func answersAreReadAsKannelDocumentsThem() {
        #expect(KannelURL.interpretAnswer(gateway: "k", status: 202, body: "0: Accepted for delivery")
                == .accepted(gatewayMessageID: nil, detail: "0: Accepted for delivery"))
        #expect(KannelURL.interpretAnswer(gateway: "k", status: 202, body: "3: Queued for later delivery\n")
                == .accepted(gatewayMessageID: nil, detail: "3: Queued for later delivery"))
        guard case let .failed(refused) = KannelURL.interpretAnswer(gateway: "k", status: 503, body: "Temporal failure, try again later.") else {
            Issue.record("503 must fail"); return
        }
        #expect(refused.isRetryable)
        #expect(!refused.mayHaveBeenSent)
        guard case let .failed(auth) = KannelURL.interpretAnswer(gateway: "k", status: 403, body: "Authorization failed for sendsms") else {
            Issue.record("403 must fail"); return
        }
        #expect(!auth.isRetryable)
        guard case let .failed(limited) = KannelURL.interpretAnswer(gateway: "k", status: 429, body: "", retryAfter: 30) else {
            Issue.record("429 must fail"); return
        }
        #expect(limited.isRetryable)
        #expect(limited.retryAfter == 30)
        guard case let .failed(garbage) = KannelURL.interpretAnswer(gateway: "k", status: 202, body: "<html>proxy</html>") else {
            Issue.record("garbage must fail"); return
        }
        #expect(!garbage.isRetryable)
        #expect(garbage.mayHaveBeenSent)
    }

    @Test func deliveryReportsMapKannelTypes() throws {
        let query = "outbox=visit-0042&key=k3y_x&type=8&ts=1764450000&to=13800000001&from=10690000&smsc=FAKE&reply=ACK%2F&fid="
        let accepted = try KannelDeliveryReport(query: query)
        #expect(accepted.outboxID == "visit-0042")
        #expect(accepted.key == "k3y_x")
        #expect(accepted.status == .acceptedBySMSC)
        #expect(!accepted.status.isFinal)
        #expect(accepted.smscReply == "ACK/")
        #expect(accepted.foreignID == nil)
        #expect(accepted.time == Date(timeIntervalSince1970: 1_764_450_000))
        #expect(accepted.phone == "13800000001")
        let expected: [Int: DeliveryStatus] = [1: .delivered, 2: .undelivered, 4: .buffered, 8: .acceptedBySMSC,
                                               16: .rejectedBySMSC, 32: .intermediate]
        for (type, status) in expected {
            #expect(try KannelDeliveryReport(parameters: ["outbox": "1", "type": String(type)]).status == status)
        }
    }

    @Test func badDeliveryReportsAreRefusedWithTheField() {
        #expect(throws: MessagingError.invalidDeliveryReport(field: "outbox", value: nil, reason: "is required")) {
            try KannelDeliveryReport(query: "type=1")
        }
        #expect(throws: MessagingError.self) { try KannelDeliveryReport(query: "outbox=1&type=3") }
        #expect(throws: MessagingError.self) { try KannelDeliveryReport(query: "outbox=1&type=%d") }
        #expect(throws: MessagingError.self) { try KannelDeliveryReport(query: "outbox=1&type=1&ts=yesterday") }
        #expect(throws: MessagingError.self) { try KannelDeliveryReport(query: "outbox=..%2F..%2Fetc&type=1") }
    }

    @Test func aReportTwiceOrLateChangesNothingOnceFinal() {
        #expect(DeliveryStatus.merging(nil, with: .acceptedBySMSC) == .acceptedBySMSC)
        #expect(DeliveryStatus.merging(.acceptedBySMSC, with: .delivered) == .delivered)
        #expect(DeliveryStatus.merging(.delivered, with: .delivered) == .delivered)
        #expect(DeliveryStatus.merging(.delivered, with: .acceptedBySMSC) == .delivered)
        #expect(DeliveryStatus.merging(.undelivered, with: .delivered) == .undelivered)
        #expect(DeliveryStatus.merging(.buffered, with: .acceptedBySMSC) == .buffered)
        #expect(DeliveryStatus.merging(.buffered, with: .rejectedBySMSC) == .rejectedBySMSC)
    }
}

@Suite("Opt-out replies")
struct OptOutTests {
    @Test func recognisesTheUsualReplies() {
        let optOut = OptOutKeywords.standard
        for reply in ["退订", "TD", "td", "Ｔ", "ＴＤ", " T ", "STOP!", "stop。", "我要退订", "退订，谢谢", "【拒收】"] {
            #expect(optOut.matches(reply), "\(reply) should opt out")
        }
        for reply in ["好的", "谢谢", "TODAY", "Stopped by", "TT", "", "  ", "收到养老金了"] {
            #expect(!optOut.matches(reply), "\(reply) should not opt out")
        }
    }

    @Test func customKeywords() {
        let optOut = OptOutKeywords(["不要再发", "n"])
        #expect(optOut.matches("请不要再发了"))
        #expect(optOut.matches("N"))
        #expect(!optOut.matches("退订"))
    }
}
