import Benefits
import Foundation
import Messaging
@testable import Outreach
import Registry

/// The project's real content and templates, a fixed day, and a demo county, loaded once.
enum ExplainerFixtures {
    static let root: URL = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath()
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static let today = CalendarDate(year: 2026, month: 6, day: 15)!

    static let book: PolicyBook = {
        do { return try PolicyLoader.load(directory: root.appendingPathComponent("content/policy")) } catch { fatalError("content/policy: \(error)") }
    }()

    static let rules: RegistryRules = {
        let url = root.appendingPathComponent("content/registry.yaml")
        return try! RegistryRules.parse(try! String(contentsOf: url, encoding: .utf8), file: url.path)
    }()

    static let catalog: ExplainerCatalog = {
        do {
            return try ExplainerCatalog.load(explainers: root.appendingPathComponent("content/explainers"),
                                             templates: root.appendingPathComponent("Templates"))
        } catch { fatalError("explainers: \(error)") }
    }()

    static let signature = try! SMSSignature("示范县社保")

    static let calculator = FigureCalculator(book: book, today: today)

    static let renderer = ExplainerRenderer(catalog: catalog, calculator: calculator, rules: rules, signature: signature)

    /// 2,000 residents of the demo county; every seventh has a visit planned in three days.
    static let county: [Resident] = DemoCounty(residents: 2000, seed: 2026, today: today).residents
        .map { Resident(id: $0.id, fields: $0.values) }

    static let visits: [ResidentID: CalendarDate] = {
        var v: [ResidentID: CalendarDate] = [:]
        for (i, r) in county.enumerated() where i % 7 == 0 { v[r.id] = today.adding(days: 3) }
        return v
    }()

    /// Every resident of the county with what each explainer gives them: computed once, on all cores, as it is
    /// the slow part of these tests (the comparison tables take ~25 ms a person in a debug build).
    static let countyOutcomes: [(resident: Resident, outcomes: [ExplainerOutcome])] = {
        let results = OutcomeSlots(count: county.count)
        DispatchQueue.concurrentPerform(iterations: county.count) { i in
            results.set(i, renderer.outcomes(for: county[i], visit: visits[county[i].id]))
        }
        return zip(county, results.values).map { ($0, $1) }
    }()

    /// A resident of the demo county's first village, built from fields.
    static func resident(_ fields: [ResidentField: String], birth: CalendarDate = CalendarDate(year: 1980, month: 3, day: 5)!,
                         sequence: Int = 101) -> Resident {
        var f = fields
        f[.name] = f[.name] ?? "李秀英"
        f[.areaCode] = f[.areaCode] ?? "532999001201"
        f[.birthDate] = birth.description
        return Resident(id: ResidentID(area: "532999", birth: birth, sequence: sequence), fields: f)
    }
}

/// Results written by concurrent workers, each to its own slot.
final class OutcomeSlots: @unchecked Sendable {
    private var slots: [[ExplainerOutcome]]
    private let lock = NSLock()
    init(count: Int) { slots = Array(repeating: [], count: count) }
    func set(_ i: Int, _ v: [ExplainerOutcome]) { lock.lock(); slots[i] = v; lock.unlock() }
    var values: [[ExplainerOutcome]] { lock.lock(); defer { lock.unlock() }; return slots }
}
