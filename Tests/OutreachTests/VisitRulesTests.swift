import Foundation
import Testing
@testable import Outreach
import Registry
import Store

@Suite struct VisitRulesTests {
    let book: VisitRuleBook
    init() throws { book = try VisitFixtures.shippedBook() }

    func needs(_ r: StoredResident, on date: CalendarDate = VisitFixtures.today, facts: [VisitOutcomeFact] = [], followUps: [FollowUp] = []) -> [VisitNeed] {
        VisitNeedFinder(book: book, registryRules: VisitFixtures.registryRules, today: date, history: VisitHistory(facts), followUps: followUps).needs(of: r)
    }

    @Test func shippedRulesLoad() {
        #expect(book.rules.map(\.kind).contains(.certification))
        #expect(book.rules.count == 5)
        #expect(book.speed(.motorbike).kilometresPerHour == 25)
        #expect(book.disabilitySkills[2] == "手语")
    }

    @Test func unknownKeyIsAnErrorWithItsLine() {
        let text = "rules:\n  - id: x\n    kind: enrolment\n    title: t\n    do: d\n    whom: {}\n"
        #expect(throws: VisitError.file(file: "f.yaml", line: 6, detail: "unknown key 'whom' in rule 'x'")) { try VisitRuleBook.parse(text, file: "f.yaml") }
    }

    @Test func certificationDueAtTheAnniversaryWithinTheLeadDays() {
        // 85 years old, receiving, certified 2025-12-20: due 2026-12-20; lead 45 days opens on 2026-11-05.
        let r = VisitFixtures.resident(born: CalendarDate(year: 1941, month: 3, day: 3)!, [.pensionScheme: "receiving", .lastCertification: "2025-12-20"])
        let open = needs(r, on: CalendarDate(year: 2026, month: 11, day: 5)!).filter { $0.kind == .certification }
        #expect(open.count == 1)
        #expect(open.first?.due == CalendarDate(year: 2026, month: 12, day: 20)!)
        #expect(needs(r, on: CalendarDate(year: 2026, month: 11, day: 4)!).filter { $0.kind == .certification }.isEmpty)
        // Past the anniversary: overdue.
        let late = needs(r, on: CalendarDate(year: 2026, month: 12, day: 21)!).first { $0.kind == .certification }!
        #expect(late.isOverdue(on: CalendarDate(year: 2026, month: 12, day: 21)!))
    }

    @Test func certificationOnTwentyNinthFebruaryFallsDueOnTheTwentyEighth() {
        let r = VisitFixtures.resident(born: CalendarDate(year: 1940, month: 1, day: 1)!, [.pensionScheme: "receiving", .lastCertification: "2024-02-29"])
        let n = needs(r, on: CalendarDate(year: 2025, month: 2, day: 1)!).first { $0.kind == .certification }
        #expect(n?.due == CalendarDate(year: 2025, month: 2, day: 28)!)
    }

    @Test func certificationOnlyForTheBedriddenIncapacitatedOrOld() {
        let young = VisitFixtures.resident(born: CalendarDate(year: 1950, month: 6, day: 1)!, [.pensionScheme: "receiving"])
        #expect(needs(young).filter { $0.kind == .certification }.isEmpty)
        var bedridden = young
        bedridden.values[.bedridden] = "1"
        let n = needs(bedridden).first { $0.kind == .certification }
        #expect(n?.reason.contains("没有资格认证记录") == true)
        // Eighty on the day: the condition is age ≥ 80.
        let eighty = VisitFixtures.resident(born: CalendarDate(year: 1946, month: 11, day: 30)!, [.pensionScheme: "receiving"])
        #expect(needs(eighty).contains { $0.kind == .certification })
        #expect(needs(eighty, on: CalendarDate(year: 2026, month: 11, day: 29)!).filter { $0.kind == .certification }.isEmpty)
        var notReceiving = bedridden
        notReceiving.values[.pensionScheme] = "resident"
        #expect(needs(notReceiving).filter { $0.kind == .certification }.isEmpty)
    }

    @Test func pensionClaimWithinTheWindowBeforeTheSixtiethBirthday() {
        let r = VisitFixtures.resident(born: CalendarDate(year: 1967, month: 1, day: 29)!, [.pensionScheme: "resident"])
        // Birthday 2027-01-29; within 60 days from 2026-11-30.
        #expect(needs(r).first { $0.kind == .pensionClaim }?.due == CalendarDate(year: 2027, month: 1, day: 29)!)
        #expect(needs(r, on: CalendarDate(year: 2026, month: 11, day: 29)!).filter { $0.kind == .pensionClaim }.isEmpty)
        // Past sixty and still not claiming: overdue.
        let n = needs(r, on: CalendarDate(year: 2027, month: 3, day: 1)!).first { $0.kind == .pensionClaim }!
        #expect(n.isOverdue(on: CalendarDate(year: 2027, month: 3, day: 1)!))
        #expect(n.reason.contains("尚未申领"))
    }

    @Test func bornOnTwentyNinthFebruaryTurnsSixtyOnFirstMarchInCommonYears() {
        let born = CalendarDate(year: 1964, month: 2, day: 29)!
        #expect(born.birthday(turning: 62) == CalendarDate(year: 2026, month: 3, day: 1)!)
        #expect(born.birthday(turning: 60) == CalendarDate(year: 2024, month: 2, day: 29)!)
        #expect(born.age(on: born.birthday(turning: 62)) == 62)
        #expect(born.age(on: born.birthday(turning: 62).adding(days: -1)) == 61)
    }

    @Test func enrolmentForUninsuredWorkingAgeNotRepeatedWithinAYear() {
        let r = VisitFixtures.resident(born: CalendarDate(year: 1990, month: 5, day: 5)!, [.pensionScheme: "none"])
        let n = needs(r).first { $0.kind == .enrolment }!
        #expect(n.due == nil)
        #expect(n.priority < book.rule("certification")!.priority)
        let visited = VisitOutcomeFact(residentID: r.id.value, kind: "enrolment", status: .done, last: CalendarDate(year: 2026, month: 6, day: 1)!)
        #expect(needs(r, facts: [visited]).filter { $0.kind == .enrolment }.isEmpty)
        let notHome = VisitOutcomeFact(residentID: r.id.value, kind: "enrolment", status: .notHome, last: CalendarDate(year: 2026, month: 6, day: 1)!)
        #expect(needs(r, facts: [notHome]).contains { $0.kind == .enrolment })
        let old = VisitFixtures.resident(born: CalendarDate(year: 1960, month: 5, day: 5)!, [.pensionScheme: "none"])
        #expect(needs(old).filter { $0.kind == .enrolment }.isEmpty)
    }

    @Test func oneWelfareCheckAtTheMostUrgentFrequency() {
        let r = VisitFixtures.resident(born: CalendarDate(year: 1944, month: 1, day: 1)!, [.pensionScheme: "receiving", .lastCertification: "2026-10-01",
                                                                                          .bedridden: "1", .livingArrangement: "alone"])
        let welfare = needs(r).filter { $0.kind == .welfareCheck }
        #expect(welfare.count == 1)
        #expect(welfare.first?.rule == "welfare-bedridden")
        // Seen 10 days ago: next due in 20 days, outside the 7-day lead.
        let recent = VisitOutcomeFact(residentID: r.id.value, kind: "welfare-check", status: .done, last: VisitFixtures.today.adding(days: -10))
        #expect(needs(r, facts: [recent]).filter { $0.rule == "welfare-bedridden" }.isEmpty)
        let older = VisitOutcomeFact(residentID: r.id.value, kind: "welfare-check", status: .done, last: VisitFixtures.today.adding(days: -25))
        #expect(needs(r, facts: [older]).first { $0.kind == .welfareCheck }?.due == VisitFixtures.today.adding(days: 5))
    }

    @Test func refusedIsNotOfferedAgainBeforeThePause() {
        let r = VisitFixtures.resident(born: CalendarDate(year: 1990, month: 5, day: 5)!, [.pensionScheme: "none"])
        let refused = VisitOutcomeFact(residentID: r.id.value, kind: "enrolment", status: .refused, last: VisitFixtures.today.adding(days: -179))
        #expect(needs(r, facts: [refused]).isEmpty)
        let longAgo = VisitOutcomeFact(residentID: r.id.value, kind: "enrolment", status: .refused, last: VisitFixtures.today.adding(days: -400))
        #expect(!needs(r, facts: [longAgo]).isEmpty)
    }

    @Test func deceasedAndMovedOutHaveNoNeedsNotEvenFollowUps() {
        var r = VisitFixtures.resident(born: CalendarDate(year: 1936, month: 1, day: 1)!, [.pensionScheme: "receiving", .bedridden: "1"])
        let f = FollowUp(residentID: r.id.value, source: "sms", reason: "短信未送达", created: VisitFixtures.today, due: VisitFixtures.today.adding(days: 3))
        #expect(needs(r, followUps: [f]).count == 3)  // certification, welfare check, follow-up
        r.values[.deathDate] = "2026-11-01"
        #expect(needs(r, followUps: [f]).isEmpty)
        r.values[.deathDate] = nil
        r.values[.moveOutDate] = "2026-10-01"
        #expect(needs(r, followUps: [f]).isEmpty)
    }

    @Test func followUpsCarryTheirReasonAndWindowAndStartTheNextDay() {
        let r = VisitFixtures.resident(born: CalendarDate(year: 1970, month: 1, day: 1)!, [.pensionScheme: "resident"])
        let f = FollowUp(id: 7, residentID: r.id.value, source: "visit", reason: "无人在家，改在下午", created: VisitFixtures.today,
                         due: VisitFixtures.today.adding(days: 3), windowStart: 810, windowEnd: 1050)
        let n = needs(r, followUps: [f]).first { $0.kind == .followUp }!
        #expect(n.reason == "无人在家，改在下午")
        #expect(n.windowStart == 810 && n.windowEnd == 1050)
        #expect(n.earliest == VisitFixtures.today.adding(days: 1))
        #expect(n.followUp == 7)
    }

    @Test func languageAndDisabilitySkills() {
        let yiOnly = VisitFixtures.resident(born: CalendarDate(year: 1935, month: 1, day: 1)!, [.pensionScheme: "receiving", .languages: "彝语"])
        #expect(needs(yiOnly).allSatisfy { $0.skills == ["彝语"] })
        let bilingual = VisitFixtures.resident(born: CalendarDate(year: 1935, month: 1, day: 1)!, [.pensionScheme: "receiving", .languages: "彝语,汉语"])
        #expect(needs(bilingual).allSatisfy { $0.skills.isEmpty })
        let deaf = VisitFixtures.resident(born: CalendarDate(year: 1935, month: 1, day: 1)!, [.pensionScheme: "receiving", .disabilityType: "2", .disabilityGrade: "2"])
        #expect(needs(deaf).allSatisfy { $0.skills == ["手语"] })
    }

    @Test func outcomesChangeTheRegisterAndReschedule() {
        let v = VisitRecord(id: 3, date: VisitFixtures.today, team: "t", stop: 1, residentID: "x", household: nil, rule: "welfare-bedridden",
                            kind: "welfare-check", arrival: 540, start: 545, end: 565, due: nil, reason: "")
        let notHome = VisitOutcomes.effects(of: .notHome, for: v, book: book)
        #expect(notHome.findings.isEmpty)
        #expect(notHome.followUp?.due == VisitFixtures.today.adding(days: book.notHomeRetryDays))
        #expect(notHome.followUp?.windowStart == VisitOutcomes.afternoon.start)
        var afternoon = v
        afternoon.start = 15 * 60
        #expect(VisitOutcomes.effects(of: .notHome, for: afternoon, book: book).followUp?.windowEnd == VisitOutcomes.morning.end)
        #expect(VisitOutcomes.effects(of: .deceased, for: v, book: book).findings == [.deceased(on: VisitFixtures.today)])
        #expect(VisitOutcomes.effects(of: .moved, for: v, book: book).findings == [.movedOut(on: VisitFixtures.today)])
        #expect(VisitOutcomes.effects(of: .enrolled, for: v, book: book).findings == [.pension(.resident)])
        #expect(VisitOutcomes.effects(of: .claimed, for: v, book: book).findings == [.pension(.receiving)])
        #expect(VisitOutcomes.effects(of: .refused, for: v, book: book).findings.isEmpty)
        #expect(VisitOutcomes.effects(of: .done, for: v, book: book).findings.isEmpty)
        var cert = v
        cert.kind = "certification"
        #expect(VisitOutcomes.effects(of: .done, for: cert, book: book).findings == [.certified(on: VisitFixtures.today)])
    }
}

@Suite struct VisitRuleFiguresTests {
    /// A rule's own figures (cycle, pension age, frequency) are policy: leaving one out is an error, not a default.
    @Test func missingKindFigureIsAnError() throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("content/visit-rules.yaml")
        let shipped = try String(contentsOf: url, encoding: .utf8)
        #expect(throws: Never.self) { try VisitRuleBook.parse(shipped, file: "visit-rules.yaml") }
        let withoutFrequency = shipped.split(separator: "\n", omittingEmptySubsequences: false)
            .filter { !$0.trimmingCharacters(in: .whitespaces).hasPrefix("every_days:") }.joined(separator: "\n")
        #expect {
            try VisitRuleBook.parse(withoutFrequency, file: "visit-rules.yaml")
        } throws: { error in
            "\(error)".contains("every_days") && "\(error)".contains("visit-rules.yaml")
        }
    }
}
