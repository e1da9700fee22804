import Benefits
import Foundation
import Messaging
@testable import Outreach
import Registry
import Testing

@Suite("Rendering explainers for the demo county")
struct ExplainerRenderTests {
    typealias F = ExplainerFixtures
    static let confirm = "以当地经办机构核定为准"

    func messages(_ name: String) -> [(Resident, ExplainerMessage)] {
        F.countyOutcomes.compactMap { r, outcomes in outcomes.first { $0.explainer == name }?.message.map { (r, $0) } }
    }

    @Test("every explainer fits someone, and every SMS fits one segment or falls back to its short variant that does")
    func budget() {
        let limit = SMSLimits.standard(.ucs2).single
        for d in F.catalog.definitions {
            let ms = messages(d.name)
            #expect(ms.count > 0, "\(d.name) fits nobody in the demo county")
            #expect(ms.contains { $0.1.delivers(.sms) }, "\(d.name) goes by SMS to nobody")
            for (r, m) in ms {
                guard let sms = m.sms else { continue }
                #expect(sms.withinBudget, "\(d.name) for \(r.id.masked): \(sms.units) units: \(sms.text)")
                #expect(sms.text == F.signature.bracketed + sms.body)
                #expect(sms.units == SMSSegmenter.measure(sms.text).units)
                if sms.variant == .short { #expect((sms.fullUnits ?? 0) > limit) } else { #expect(sms.fullUnits == nil) }
            }
        }
        let report = F.renderer.budgetReport(Array(F.county.prefix(300)), visits: F.visits)
        #expect(report.lines.allSatisfy { $0.overBudget == 0 })
        #expect(report.lines.map(\.explainer) == F.catalog.definitions.map(\.name))
    }

    @Test("when the full text needs two segments the short variant is used, and a text that still does not fit is reported")
    func fallback() throws {
        let def = ExplainerDefinition(name: "long", question: "？", kind: .notice, audience: ExplainerAudience(), figures: [],
                                      templates: ExplainerTemplateNames(sms: "long", smsShort: "short", voice: "v"))
        var t = ExplainerTemplates()
        try t.add(channel: .sms, name: "long", text: "{{addressee}}：" + String(repeating: "很", count: 60), path: "sms/long.mustache")
        try t.add(channel: .sms, name: "short", text: "{{addressee}}：短。", path: "sms/short.mustache")
        try t.add(channel: .voice, name: "v", text: "{{name}}您好。", path: "voice/v.mustache")
        let renderer = ExplainerRenderer(catalog: try ExplainerCatalog(definitions: [def], templates: t), calculator: F.calculator,
                                         rules: F.rules, signature: F.signature)
        // 【示范县社保】 7 + 李秀英： 4 + 60 = 71 units: two segments; the short text is 7 + 4 + 2 = 13.
        let r = F.resident([.phone: "13812345678", .literacy: "reads"])
        let sms = try #require(renderer.outcome(def, for: r).message?.sms)
        #expect(sms.variant == .short && sms.fullUnits == 71 && sms.units == 13 && sms.withinBudget)
        // A name with a character outside the BMP counts two units: 𠮷明 is 3 units, so 59 很 reach exactly 70 → one segment.
        var t2 = t
        try t2.add(channel: .sms, name: "long", text: "{{addressee}}：" + String(repeating: "很", count: 59), path: "sms/long.mustache")
        let r2 = ExplainerRenderer(catalog: try ExplainerCatalog(definitions: [def], templates: t2), calculator: F.calculator, rules: F.rules, signature: F.signature)
        let ext = F.resident([.phone: "13812345678", .literacy: "reads", .name: "𠮷明"])
        let s2 = try #require(r2.outcome(def, for: ext).message?.sms)
        #expect(s2.variant == .full && s2.units == 70 && s2.segments == 1)
        // Without a short variant, the over-long text stays and is reported.
        var noShort = def
        noShort.templates.smsShort = nil
        let r3 = ExplainerRenderer(catalog: try ExplainerCatalog(definitions: [noShort], templates: t), calculator: F.calculator, rules: F.rules, signature: F.signature)
        let s3 = try #require(r3.outcome(noShort, for: r).message?.sms)
        #expect(!s3.withinBudget && s3.segments == 2)
        let report = r3.budgetReport([r])
        #expect(report.lines.first?.overBudget == 1 && report.lines.first?.overBudgetResidents == [r.id.masked])
    }

    /// The figure's text as it must appear in the message.
    func yuan(_ m: Money) -> String { ChineseText.yuan(m) + "元" }

    func person(_ r: Resident) throws -> ComparisonPerson {
        ComparisonPerson(birth: try YearMonth(year: r.birthDate.year, month: r.birthDate.month), category: r.sex == .male ? .male : .female50,
                         region: try Region(parsing: r.areaCode!.county), status: .unknown, asOf: try YearMonth(year: F.today.year, month: F.today.month))
    }

    func row(_ report: ComparisonReport, _ table: String, scheme: String, years: Int, cost: Money?) throws -> ComparisonRow {
        try #require(report.tables.first { $0.id == table }?.rows.first { $0.scheme == scheme && $0.years == years && (cost == nil || $0.personalCost == cost!) })
    }

    @Test("figures in the texts equal what the Benefits module computes for that person")
    func figuresEqualBenefits() throws {
        let book = F.book
        let region = try Region(parsing: "532999")
        let scenarios = try book.comparisonScenarios(region: region, on: PolicyDate(year: 2026, month: 6, day: 1), projecting: true).value
        let tiers = try book.tiers(region: region, on: PolicyDate(year: 2026, month: 6, day: 1), projecting: true).value
        var checked: [String: Int] = [:]
        // Computed here, independently of the renderer's cache; one resident in eight for the comparison tables (slow in debug).
        var reports: [String: ComparisonReport] = [:]
        func comparison(_ r: Resident) throws -> ComparisonReport {
            let p = try person(r)
            let key = "\(p.birth)|\(p.category)"
            if let cached = reports[key] { return cached }
            let report = try Comparison.fourQuestions(for: p, book: book)
            reports[key] = report
            return report
        }
        for (i, (r, outcomes)) in F.countyOutcomes.enumerated() {
            for m in outcomes.compactMap(\.message) {
                if i % 8 != 0, ["why-insure", "why-longer", "why-employee"].contains(m.explainer) { continue }
                let texts = [m.sms?.body, m.voice?.script].compactMap { $0 }
                func expectIn(_ s: String) { for t in texts { #expect(t.contains(s), "\(m.explainer) for \(r.id.masked): '\(s)' not in \(t)") } }
                switch m.explainer {
                case "why-insure", "why-longer":
                    let report = try comparison(r)
                    let example = scenarios.residentTier
                    let fifteen = try row(report, "whyInsure", scheme: "resident", years: 15, cost: example * 15)
                    expectIn(yuan(fifteen.monthlyPension))
                    expectIn("\(ChineseText.yuan(example))元")
                    if m.explainer == "why-longer" {
                        let twenty = try row(report, "whyLonger", scheme: "resident", years: 20, cost: example * 20)
                        expectIn(yuan(twenty.monthlyPension))
                    } else if let voice = m.voice {
                        let lowest = try row(report, "whyInsure", scheme: "resident", years: 15, cost: tiers.first! * 15)
                        #expect(voice.script.contains(yuan(lowest.monthlyPension)))
                    }
                case "why-employee":
                    let report = try comparison(r)
                    let e = try #require(report.tables.first { $0.id == "whyEmployee" }?.rows.first { $0.scheme == "employee" })
                    let res = try row(report, "whyEmployee", scheme: "resident", years: e.years, cost: scenarios.residentTier * e.years)
                    expectIn(yuan(e.monthlyPension))
                    expectIn(yuan(res.monthlyPension))
                    expectIn("\(e.years)年")
                    if let voice = m.voice { #expect(voice.script.contains(yuan(Money(roundingYuan: e.personalCost.yuan / Decimal(e.years))))) }
                case "why-higher-tier":
                    let tier = Money(fen: Int(r[.pensionTierFen]!)!)
                    let plan = try F.calculator.residentPlan(tier: tier, years: 15, person: person(r))
                    let own = try ResidentPension.calculate(plan, book: book)
                    let higher = scenarios.residentTiers.first { $0 > tier }!
                    expectIn(yuan(own.total))
                    expectIn("\(ChineseText.yuan(tier))元")
                    if i % 8 == 0 {
                        let h = try row(try comparison(r), "whyHigherTier", scheme: "resident", years: 15, cost: higher * 15)
                        expectIn(yuan(h.monthlyPension))
                    }
                case "government-pays":
                    let group = try #require(F.calculator.hardshipGroup(for: r, rules: F.rules))
                    let plan = try F.calculator.residentPlan(tier: tiers.first!, years: 15, person: person(r), hardshipGroup: group.group)
                    let result = try ResidentPension.calculate(plan, book: book)
                    expectIn(yuan(result.total))
                    expectIn(yuan(min(group.paid, tiers.first!)))
                    #expect(!(m.sms?.body.contains(group.label) ?? false), "the SMS does not name the hardship group")
                case "claim-at-60":
                    let on = try YearMonth(year: r.birthDate.year, month: r.birthDate.month).adding(months: 60 * 12 + 1).firstDay
                    let basic = try book.amount(.residentMinimumBasicPension, region: region, on: on, projecting: true).value
                        + book.amount(.residentBasicTopUp, region: region, on: on, projecting: true).value
                    if m.sms?.variant == .full { #expect(m.sms!.body.contains(yuan(basic))) }
                    #expect(m.voice.map { $0.script.contains(yuan(basic)) } ?? true)
                default: break
                }
                checked[m.explainer, default: 0] += 1
            }
        }
        for name in ["why-insure", "why-longer", "why-employee", "why-higher-tier", "government-pays", "claim-at-60"] {
            #expect(checked[name, default: 0] > 0, "\(name) checked for nobody")
        }
    }

    @Test("the mirror of the comparison's plan gives the comparison's own rows")
    func mirrorMatchesComparison() throws {
        let scenarios = try F.book.comparisonScenarios(region: .national, on: PolicyDate(year: 2026, month: 6, day: 1), projecting: true).value
        var n = 0
        for (r, _) in F.countyOutcomes where r.lifeStatus == .alive && r.pensionScheme != .receiving && r.age(on: F.today) < 60 {
            n += 1
            guard n % 80 == 0 else { continue }
            let p = try person(r)
            let report = try Comparison.fourQuestions(for: p, book: F.book)
            for tier in scenarios.residentTiers {
                let expected = try row(report, "whyHigherTier", scheme: "resident", years: 15, cost: tier * 15)
                let mine = try ResidentPension.calculate(F.calculator.residentPlan(tier: tier, years: 15, person: p), book: F.book)
                #expect(mine.total == expected.monthlyPension, "\(r.id.masked) tier \(tier)")
            }
        }
        #expect(n > 80)
    }

    @Test("a text resting on an unverified figure says the local office confirms it; others do not")
    func confirmation() {
        var seen = (confirm: 0, plain: 0)
        for (_, outcomes) in F.countyOutcomes {
            for m in outcomes.compactMap(\.message) {
                let shown = m.figures.filter { f in [m.sms?.body, m.voice?.script].compactMap { $0 }.contains { $0.contains(f.text) && !f.text.isEmpty } }
                if m.confirmLocally {
                    seen.confirm += 1
                    #expect(m.voice?.script.contains(Self.confirm) ?? true, "\(m.explainer)")
                    if let sms = m.sms, shown.contains(where: \.needsLocalConfirmation), !(m.explainer == "claim-at-60" && sms.variant == .short) {
                        #expect(sms.body.contains(Self.confirm), "\(m.explainer): \(sms.body)")
                    }
                } else {
                    seen.plain += 1
                    #expect(!(m.sms?.body.contains(Self.confirm) ?? false) && !(m.voice?.script.contains(Self.confirm) ?? false))
                }
            }
        }
        #expect(seen.confirm > 0 && seen.plain > 0)
    }

    @Test("voice scripts: short sentences, the key figure said twice, a closing line with the contact")
    func voice() throws {
        let key: [String: ExplainerFigure] = [
            "why-insure": .exampleTierPension, "why-employee": .employeePension, "why-higher-tier": .higherTierPension,
            "why-longer": .longerYearsPension, "claim-at-60": .basicPension, "government-pays": .governmentPaid, "visit-coming": .visitDate,
        ]
        var n = 0
        for (r, outcomes) in F.countyOutcomes {
            for m in outcomes.compactMap(\.message) {
                guard let v = m.voice else { continue }
                n += 1
                let lines = v.sentences
                #expect(lines.last?.contains(F.catalog.contacts.contact(for: r)) ?? false, "\(m.explainer): \(lines.last ?? "")")
                #expect(lines.allSatisfy { $0.count <= 60 }, "\(m.explainer): a sentence is long")
                if let figure = key[m.explainer], let value = m.figures.first(where: { $0.figure == figure })?.text {
                    #expect(v.script.components(separatedBy: value).count - 1 >= 2, "\(m.explainer): \(value) said fewer than twice")
                }
            }
        }
        #expect(n > 100)
    }

    @Test("the provider template carries the same figures as the text")
    func provider() throws {
        for (_, m) in messages("why-insure").prefix(50) {
            let p = try #require(m.provider)
            #expect(p.templateCode == "CARNATION_WHY_INSURE")
            #expect(p.signature == F.signature)
            let byName = Dictionary(uniqueKeysWithValues: p.parameters.map { ($0.name, $0.value) })
            #expect(byName["example_tier_pension"] == m.figures.first { $0.figure == .exampleTierPension }?.text)
            #expect(byName["addressee"] == (m.choice.recipient?.name ?? m.residentName))
        }
    }

    @Test("samples for the demo show several kinds of resident, masked")
    func samples() {
        let samples = ExplainerSamples.pick(F.county, renderer: F.renderer, count: 8)
        #expect(samples.count >= 6)
        #expect(Set(samples.map(\.kind)).count == samples.count)
        let text = ExplainerSamples.text(samples, today: F.today)
        for s in samples {
            #expect(!text.contains(s.resident.id.value))
            if let phone = s.resident.phone?.value { #expect(!text.contains(phone)) }
        }
        #expect(text.contains("短信") && text.contains("语音稿"))
    }
}
