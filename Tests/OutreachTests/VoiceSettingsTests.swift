import Foundation
import Messaging
@testable import Outreach
import Testing

@Suite struct VoiceSettingsTests {
    static let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The commented `gateway:` example in ops/carnation.example.yaml, uncommented, is a valid configuration.
    @Test func theExampleConfigurationReads() throws {
        let text = try String(contentsOf: Self.repo.appendingPathComponent("ops/carnation.example.yaml"), encoding: .utf8)
        let lines = text.components(separatedBy: "\n")
        let start = try #require(lines.firstIndex(of: "# gateway:"))
        let yaml = lines[start...].map { $0.hasPrefix("# ") ? String($0.dropFirst(2)) : $0 }.joined(separator: "\n")
        let s = try CampaignSettings.parse(yaml, file: "carnation.example.yaml")
        guard case let .kannel(kannel) = s.gateway, case let .voiceHTTP(voice) = s.voiceGateway else {
            Issue.record("the example names kannel and voice-http"); return
        }
        #expect(kannel.dlrSecret == "a-long-random-string")
        #expect(voice.name == "aliyun-voice" && voice.audio == .url && voice.audioLinkSeconds == 360 * 60)
        #expect(voice.publicURL?.absoluteString == "https://carnation.office.example")
        #expect(voice.headers["Authorization"] == "Bearer change-me" && voice.headers["Content-Type"] != nil)
        #expect(voice.body == .object(["CalledNumber": .string("{{phone}}"), "VoiceUrl": .string("{{audioURL}}"), "OutId": .string("{{outboxID}}"),
                                       "PlayTimes": .number(2)]))
        #expect(voice.answer == ProviderAnswer(messageIDPath: "CallId", resultCodePath: "Code", successCode: "OK", errorMessagePath: "Message",
                                               retryableCodes: ["Throttling.User"]))
        #expect(voice.report == VoiceReportFormat(outboxIDPath: "out_id", callIDPath: "call_id", statusPath: "status_code",
                                                  delivered: ["200000"], progress: [], reply: #"{"code":0,"msg":"成功"}"#))
        #expect(voice.reportSecret == "another-long-random-string" && voice.timeoutSeconds == 15 && !voice.deduplicates)
    }

    @Test func voiceGatewayDefaultsAndMistakes() throws {
        #expect(try CampaignSettings.parse("gateway:\n  sms: spool\n", file: "c.yaml").voiceGateway == .spool)
        let kannelOnly = """
            gateway:
              sms: kannel
              kannel: {sendsms-url: "http://127.0.0.1:13013/cgi-bin/sendsms", username: u, password: p}
            """
        #expect(try CampaignSettings.parse(kannelOnly, file: "c.yaml").voiceGateway == .disabled, "voice waits unless a voice gateway is named")
        #expect(throws: CampaignError.self) { try CampaignSettings.parse("gateway:\n  voice: voice-http\n", file: "c.yaml") }
        #expect(throws: CampaignError.self) { try CampaignSettings.parse("gateway:\n  voice: phone\n", file: "c.yaml") }
        let inlineWithLink = """
            gateway:
              voice: voice-http
              voice-http:
                url: https://voice.example.cn/call
                audio: inline
                body: {To: "{{phone}}", Voice: "{{audioURL}}"}
                report-secret: 0123456789abcdef
            """
        #expect(throws: CampaignError.self) { try CampaignSettings.parse(inlineWithLink, file: "c.yaml") }
        let inline = inlineWithLink.replacingOccurrences(of: "{{audioURL}}", with: "{{audioBase64}}")
        guard case let .voiceHTTP(config) = try CampaignSettings.parse(inline, file: "c.yaml").voiceGateway else { Issue.record("voice-http"); return }
        #expect(config.audio == .inline && config.publicURL == nil)
    }
}
