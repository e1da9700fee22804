import Foundation
@testable import Outreach
import Registry
import Testing

@Suite("Explainer definitions and templates")
struct ExplainerLoaderTests {
    @Test("the content defines the four core questions and the four service notices")
    func contentLoads() throws {
        let c = ExplainerFixtures.catalog
        #expect(Set(c.definitions.filter { $0.kind == .core }.map(\.name)) == ["why-insure", "why-employee", "why-higher-tier", "why-longer"])
        #expect(Set(c.definitions.filter { $0.kind == .notice }.map(\.name)) == ["certification-due", "claim-at-60", "visit-coming", "government-pays"])
        for d in c.definitions {
            #expect(d.templates.smsShort != nil, "\(d.name) has a shorter SMS")
            #expect(d.provider?.parameters.isEmpty == false, "\(d.name) renders as a provider template")
        }
        #expect(c.contacts.hotline == "12333")
    }

    static let valid = """
    name: test-one
    question: 为什么？
    kind: core
    audience:
      age: {min: 16, max: 59}
      pension: [none]
      categories_any: [低保, tekun]
      areas: ["532999"]
      conditions: {government_pays: true, claim_age_within_months: 6}
    figures: [lowest_tier, lowest_tier_pension]
    templates: {sms: a, sms_short: b, voice: c}
    provider: {template_code: SMS_1, parameters: [addressee, lowest_tier]}
    """

    @Test("a full definition parses into its rules")
    func parsesAll() throws {
        let d = try ExplainerLoader.parse(Self.valid, file: "t.yaml")
        #expect(d.name == "test-one")
        #expect(d.audience.minAge == 16 && d.audience.maxAge == 59)
        #expect(d.audience.pension == [PensionScheme.none])
        #expect(d.audience.categoriesAny == [.minimumLiving, .extremePoverty])
        #expect(d.audience.areas == ["532999"])
        #expect(d.audience.conditions.contains(.governmentPays) && d.audience.conditions.contains(.claimAgeWithinMonths(6)))
        #expect(d.figures == [.lowestTier, .lowestTierPension])
        #expect(d.templates == ExplainerTemplateNames(sms: "a", smsShort: "b", voice: "c"))
        #expect(d.provider == ProviderTemplate(code: "SMS_1", parameters: ["addressee", "lowest_tier"]))
    }

    @Test("errors name the file and the line", arguments: [
        ("figures: [lowest_tier, lowest_tier_pension]", "figures: [lowest_tier, pension_guess]", "t.yaml:10:", "pension_guess"),
        ("kind: core", "kind: sometimes", "t.yaml:3:", "core or notice"),
        ("  age: {min: 16, max: 59}", "  age: {min: 60, max: 59}", "t.yaml:5:", "min not above max"),
        ("  pension: [none]", "  pension: [none, maybe]", "t.yaml:6:", "maybe"),
        ("  areas: [\"532999\"]", "  areas: [\"53x\"]", "t.yaml:8:", "area-code prefix"),
        ("question: 为什么？", "question: 为什么？\ncolour: red", "t.yaml:3:", "unknown field 'colour'"),
        ("provider: {template_code: SMS_1, parameters: [addressee, lowest_tier]}", "provider: {template_code: SMS_1, parameters: [addressee, tier]}", "t.yaml:12:", "'tier'"),
        ("  conditions: {government_pays: true, claim_age_within_months: 6}", "  conditions: {government_pays: maybe}", "t.yaml:9:", "true or false"),
    ])
    func errorsNamePlace(original: String, replacement: String, place: String, mention: String) {
        let text = Self.valid.replacingOccurrences(of: original, with: replacement)
        #expect(text != Self.valid)
        do {
            _ = try ExplainerLoader.parse(text, file: "t.yaml")
            Issue.record("expected an error")
        } catch {
            #expect(error.description.hasPrefix(place), "\(error.description)")
            #expect(error.description.contains(mention), "\(error.description)")
        }
    }

    @Test("a missing field and malformed YAML are reported with a line")
    func missingAndMalformed() {
        let noFigures = Self.valid.replacingOccurrences(of: "figures: [lowest_tier, lowest_tier_pension]\n", with: "")
        #expect(throws: ExplainerError.self) { try ExplainerLoader.parse(noFigures, file: "t.yaml") }
        do { _ = try ExplainerLoader.parse(noFigures, file: "t.yaml") } catch { #expect(error.description.contains("has no 'figures'")) }
        do { _ = try ExplainerLoader.parse("name: [unclosed\n", file: "bad.yaml"); Issue.record("expected an error") } catch {
            #expect(error.description.hasPrefix("bad.yaml:"), "\(error.description)")
        }
    }

    func catalog(sms: String, voice: String = "{{name}}您好。") throws(ExplainerError) -> ExplainerCatalog {
        let d = try ExplainerLoader.parse(Self.valid, file: "t.yaml")
        var t = ExplainerTemplates()
        try t.add(channel: .sms, name: "a", text: sms, path: "sms/a.mustache")
        try t.add(channel: .sms, name: "b", text: "{{addressee}}", path: "sms/b.mustache")
        try t.add(channel: .voice, name: "c", text: voice, path: "voice/c.mustache")
        return try ExplainerCatalog(definitions: [d], templates: t)
    }

    @Test("a template using a value the explainer does not provide is an error with its line")
    func unknownKey() throws {
        _ = try catalog(sms: "{{addressee}}：{{#confirm}}以当地经办机构核定为准{{/confirm}}{{lowest_tier}}")
        do {
            _ = try catalog(sms: "{{addressee}}：\n每年{{lowest_tier}}元，\n约{{example_tier_pension}}元")
            Issue.record("expected an error")
        } catch {
            let allowed = try ExplainerLoader.parse(Self.valid, file: "t.yaml").availableKeys
            #expect(error == .unknownTemplateKey(template: "sms/a.mustache", line: 3, key: "example_tier_pension", explainer: "test-one", allowed: allowed))
        }
    }

    @Test("a Mustache syntax error names the template and line; a missing template names the directory")
    func syntaxAndMissing() throws {
        do { _ = try catalog(sms: "{{addressee}}\n{{#confirm}}核定", voice: "x"); Issue.record("expected an error") } catch {
            guard case let .templateSyntax(template, line, _, _) = error else { Issue.record("wrong error \(error)"); return }
            #expect(template == "sms/a.mustache")
            #expect(line >= 2)
        }
        let d = try ExplainerLoader.parse(Self.valid, file: "t.yaml")
        #expect(throws: ExplainerError.self) { try ExplainerCatalog(definitions: [d], templates: ExplainerTemplates()) }
    }

    @Test("contacts: longest area prefix wins, else the hotline")
    func contacts() throws {
        let book = try ContactBook.parse("""
        hotline: "12333"
        contacts:
          - {area: "532999", text: 县社保局 0872-0000000}
          - {area: "532999001201", text: 村委会李主任}
        """, file: "_contacts.yaml")
        #expect(book.contact(for: ExplainerFixtures.resident([:])) == "村委会李主任")
        #expect(book.contact(for: ExplainerFixtures.resident([.areaCode: "532999002201"])) == "县社保局 0872-0000000")
        #expect(book.contact(for: ExplainerFixtures.resident([.areaCode: "530102001001"])) == "12333")
        #expect(throws: ExplainerError.self) { try ContactBook.parse("contacts:\n  - {area: x1, text: a}\n", file: "c.yaml") }
    }

    @Test("the signature comes from the configuration, with a default")
    func signature() throws {
        #expect(try ExplainerSettings.signature(configuration: nil, file: "-").bracketed == "【示范县社保】")
        #expect(try ExplainerSettings.signature(configuration: "sms:\n  signature: 昆明民政\n", file: "c.yaml").bracketed == "【昆明民政】")
        #expect(throws: ExplainerError.self) { try ExplainerSettings.signature(configuration: "sms:\n  signature: \"a【b\"\n", file: "c.yaml") }
    }
}
