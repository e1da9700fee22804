@testable import Outreach
import Registry
import Testing

@Suite("Choosing recipient and channel")
struct ExplainerChannelTests {
    typealias F = ExplainerFixtures
    static let guardian: [ResidentField: String] = [.guardianName: "王建华", .guardianRelation: "儿子", .guardianPhone: "13912345678"]

    static func with(_ a: [ResidentField: String], _ b: [ResidentField: String]) -> [ResidentField: String] { a.merging(b) { $1 } }

    @Test("each kind of resident gets the channel and recipient the rules say", arguments: [
        ("reads, own mobile", [.phone: "13812345678", .literacy: "reads"], Recipient.Role.resident, [ExplainerChannel.sms]),
        ("literacy unknown, own mobile", [.phone: "13812345678"], .resident, [.sms]),
        ("cannot read, own mobile", [.phone: "13812345678", .literacy: "cannot_read"], .resident, [.voice]),
        ("reads, only a landline", [.phone: "0872-5123456", .literacy: "reads"], .resident, [.voice]),
        ("blind, reads, own mobile", [.phone: "13812345678", .literacy: "reads", .disabilityType: "1"], .resident, [.voice]),
        ("deaf, reads, own mobile", [.phone: "13812345678", .literacy: "reads", .disabilityType: "2"], .resident, [.sms]),
        ("deaf, cannot read, guardian", with([.phone: "13812345678", .literacy: "cannot_read", .disabilityType: "2"], guardian), .guardian, [.sms]),
        ("bedridden, reads, own mobile, guardian", with([.phone: "13812345678", .literacy: "reads", .bedridden: "1"], guardian), .guardian, [.sms]),
        ("incapacitated, guardian", with([.phone: "13812345678", .incapacityLevel: "2"], guardian), .guardian, [.sms]),
        ("intellectual disability, guardian", with([.phone: "13812345678", .disabilityType: "5"], guardian), .guardian, [.sms]),
        ("bedridden, guardian with a landline", [.bedridden: "1", .guardianName: "王建华", .guardianPhone: "0872-5123456"], .guardian, [.voice]),
        ("no phone of their own, guardian", with([.literacy: "reads"], guardian), .guardian, [.sms]),
    ] as [(String, [ResidentField: String], Recipient.Role, [ExplainerChannel])])
    func channel(kind: String, fields: [ResidentField: String], role: Recipient.Role, channels: [ExplainerChannel]) {
        let choice = ChannelChooser.choose(for: F.resident(fields))
        #expect(choice.recipient?.role == role, "\(kind): \(choice.reason)")
        #expect(choice.channels == channels, "\(kind): \(choice.reason)")
        if role == .guardian { #expect(choice.recipient?.name == "王建华") }
    }

    @Test("nothing is sent by phone to these", arguments: [
        ("deceased", [.phone: "13812345678", .deathDate: "2026-05-01"], "已故"),
        ("moved out", [.phone: "13812345678", .moveOutDate: "2026-05-01"], "已迁出"),
        ("deaf and cannot read, no guardian", [.phone: "13812345678", .literacy: "cannot_read", .disabilityType: "2"], "听力残疾"),
        ("bedridden, no guardian phone", [.phone: "13812345678", .bedridden: "1"], "没有监护人电话"),
        ("no phone at all", [.literacy: "reads"], "没有电话"),
    ] as [(String, [ResidentField: String], String)])
    func nothing(kind: String, fields: [ResidentField: String], reason: String) {
        let choice = ChannelChooser.choose(for: F.resident(fields))
        #expect(choice.sendsNothing, "\(kind)")
        #expect(choice.reason.contains(reason), "\(kind): \(choice.reason)")
    }

    @Test("deceased and moved-out residents are offered no explainer at all")
    func deceasedGetNothing() {
        for extra in [[ResidentField.deathDate: "2026-05-01"], [.moveOutDate: "2026-05-01"]] {
            let r = F.resident(Self.with([.phone: "13812345678", .pensionScheme: "none"], extra))
            let outcomes = F.renderer.outcomes(for: r, visit: F.today.adding(days: 2))
            #expect(outcomes.count == F.catalog.definitions.count)
            #expect(outcomes.allSatisfy { $0.message == nil })
        }
    }

    @Test("a message for the guardian is addressed to them and names whom it is about")
    func guardianMessage() throws {
        let r = F.resident(Self.with([.phone: "13812345678", .bedridden: "1", .pensionScheme: "none", .name: "李秀英"], Self.guardian))
        let m = try #require(F.renderer.outcome(try F.catalog.definition(named: "why-insure"), for: r).message)
        let sms = try #require(m.sms)
        #expect(sms.body.hasPrefix("王建华："))
        #expect(sms.body.contains("李秀英"))
        #expect(m.delivers(.sms) && !m.delivers(.voice))
        let preview = try #require(F.renderer.outcome(try F.catalog.definition(named: "why-insure"), for: r, preview: [.voice]).message?.voice)
        #expect(preview.script.contains("王建华您好") && preview.script.contains("李秀英"))
    }

    @Test("in the demo county: deaf residents never get voice, deceased and moved-out get nothing, voice for those who cannot read or are blind")
    func county() {
        var checked = (deaf: 0, gone: 0, voice: 0)
        for (r, outcomes) in F.countyOutcomes {
            let messages = outcomes.compactMap(\.message)
            if r.lifeStatus != .alive {
                #expect(messages.isEmpty)
                checked.gone += 1
                continue
            }
            let choice = ChannelChooser.choose(for: r)
            if r.disabilityType == .hearing {
                #expect(!choice.channels.contains(.voice) || choice.recipient?.role == .guardian)
                for m in messages where m.choice.recipient?.role != .guardian { #expect(m.voice == nil) }
                checked.deaf += 1
            }
            if choice.recipient?.role == .resident, r.canRead == false || r.disabilityType == .visual {
                #expect(choice.channels == [.voice])
                checked.voice += 1
            }
            if ChannelChooser.guardianHandlesAffairs(r) != nil { #expect(choice.recipient?.role != .resident) }
        }
        #expect(checked.deaf > 0 && checked.gone > 0 && checked.voice > 0)
    }
}
