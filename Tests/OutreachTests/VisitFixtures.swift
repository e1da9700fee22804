import Foundation
@testable import Outreach
import Registry
import Store

/// Residents, rule books and teams for the visit tests.
enum VisitFixtures {
    static let today = CalendarDate(year: 2026, month: 11, day: 30)!
    static let registryRules = RegistryRules(elderlyAge: 80)

    /// The office's rules as shipped in content/visit-rules.yaml.
    static func shippedBook() throws -> VisitRuleBook {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("content/visit-rules.yaml")
        return try VisitRuleBook.parse(try String(contentsOf: url, encoding: .utf8), file: "visit-rules.yaml")
    }

    nonisolated(unsafe) static var sequence = 100
    static func resident(born: CalendarDate, _ v: [ResidentField: String]) -> StoredResident {
        sequence += 2
        var values = v
        values[.birthDate] = born.description
        if values[.areaCode] == nil { values[.areaCode] = "532999001201" }
        if values[.latitude] == nil { values[.latitude] = "25.80"; values[.longitude] = "100.40" }
        return StoredResident(id: ResidentID(area: "532999", birth: born, sequence: sequence % 1000), values: values, provenance: [:])
    }

    static func team(_ name: String = "测试队", skills: [String] = [], areas: [String] = ["532999001"], maxVisits: Int = 8) -> Team {
        Team(name: name, areas: areas, members: [TeamMember(name: "李海燕", phone: "13800000000", skills: skills)],
             baseName: "社保所", baseLatitude: 25.79, baseLongitude: 100.39, maxVisits: maxVisits)
    }
}
