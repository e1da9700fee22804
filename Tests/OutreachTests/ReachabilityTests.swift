import Testing
@testable import Outreach
@testable import Registry

@Suite struct ReachabilityTests {
    func resident(_ v: [ResidentField: String]) -> Resident { Resident(id: try! ResidentID("11010519491231002X"), fields: v) }

    @Test func followsTheChannelRules() {
        #expect(ChannelChooser.reachability(for: resident([.phone: "13812345678", .literacy: "reads"])) == .sms)
        #expect(ChannelChooser.reachability(for: resident([.phone: "13812345678", .literacy: "cannot_read"])) == .voice)
        #expect(ChannelChooser.reachability(for: resident([.phone: "13812345678", .disabilityType: "1"])) == .voice)
        #expect(ChannelChooser.reachability(for: resident([.landline: "0872-5123456"])) == .voice)
        #expect(ChannelChooser.reachability(for: resident([.guardianName: "李四", .guardianPhone: "13912345678", .bedridden: "1"])) == .sms)
        #expect(ChannelChooser.reachability(for: resident([.phone: "13812345678", .deathDate: "2026-01-01"])) == .inPerson)
        #expect(ChannelChooser.reachability(for: resident([.phone: "13812345678", .disabilityType: "2", .literacy: "cannot_read"])) == .inPerson)
        #expect(ChannelChooser.reachability(for: resident([:])) == .inPerson)
    }
}
