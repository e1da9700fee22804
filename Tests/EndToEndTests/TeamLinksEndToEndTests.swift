import Foundation
import Testing

/// The morning job with the built binary: plan a day, send every working team its link by SMS through the outbox
/// and the spool gateway, run it again (nothing more is sent), revoke one team's link and send it a new one.
@Suite(.serialized) struct TeamLinksEndToEndTests {
    /// Today in China (the dispatcher runs on the real clock), and the first working day from today.
    static func days() -> (today: String, workday: String) {
        let calendar: Calendar = {
            var c = Calendar(identifier: .gregorian)
            c.timeZone = TimeZone(identifier: "Asia/Shanghai")!
            return c
        }()
        let f = DateFormatter()
        f.calendar = calendar
        f.timeZone = calendar.timeZone
        f.dateFormat = "yyyy-MM-dd"
        var day = Date()
        let today = f.string(from: day)
        while [1, 7].contains(calendar.component(.weekday, from: day)) { day = day.addingTimeInterval(86400) }
        return (today, f.string(from: day))
    }

    /// Spooled SMS texts by file name.
    func spooled(_ c: CarnationBinary) throws -> [String: String] {
        let dir = c.home.appendingPathComponent("var/spool/sms")
        var out: [String: String] = [:]
        for name in (try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? [] where name.hasSuffix(".json") {
            let object = try JSONSerialization.jsonObject(with: Data(contentsOf: dir.appendingPathComponent(name))) as! [String: Any]
            out[name] = object["text"] as? String
        }
        return out
    }

    /// Whether `text` holds a whole token after `/team/` (43 base64url characters).
    func holdsToken(_ text: String) -> Bool {
        text.range(of: "/team/[A-Za-z0-9_-]{43}", options: .regularExpression) != nil
    }

    @Test func theDailyJobSendsEachWorkingTeamOneLinkAndARevokedLinkIsReplaced() throws {
        var c = try CarnationBinary()
        let (today, day) = Self.days()
        c.today = today
        #expect(try c.run(["demo", "seed", "--residents", "500", "--seed", "3"]).status == 0)
        let plan = try c.json(["visits", "plan", "--date", day, "--days", "1", "--time-limit", "1"]) as! [String: Any]
        let working = Set((plan["days"] as! [[String: Any]]).filter { ($0["visits"] as! Int) > 0 }.map { $0["team"] as! String })
        #expect(!working.isEmpty)
        try """
        web:
          public-url: https://c.example.cn
        dispatch:
          quiet-hours: {sms: none}
        """.write(to: c.home.appendingPathComponent("carnation.yaml"), atomically: true, encoding: .utf8)

        #expect(try c.run(["serve", "links", "--date", day]).status == 64)  // --send is required
        let rows = try c.json(["serve", "links", "--date", day, "--send"]) as! [[String: Any]]
        let sent = rows.filter { $0["result"] as? String == "queued" }
        #expect(Set(sent.map { $0["team"] as! String }) == working)
        #expect(sent.allSatisfy { $0["state"] as? String == "accepted" && ($0["phone"] as! String).contains("****") })
        #expect(rows.filter { $0["result"] as? String == "no-visits" }.count == rows.count - working.count)
        var files = try spooled(c)
        #expect(files.count == working.count)
        for text in files.values {
            #expect(text.hasPrefix("【示范县社保】") && text.contains("上门名单") && text.contains("https://c.example.cn/team/"))
            #expect(text.contains("…") && !holdsToken(text), "the spool must not hold a usable link: \(text)")
        }

        // The timer fires twice: nothing more is sent.
        let again = try c.json(["serve", "links", "--date", day, "--send"]) as! [[String: Any]]
        #expect(again.filter { $0["result"] as? String == "already-sent" }.count == working.count)
        #expect(try spooled(c).count == working.count)
        let team = try #require(working.sorted().first)
        let one = try c.json(["serve", "link", team, "--date", day, "--send"]) as! [[String: Any]]
        #expect(one.first?["result"] as? String == "already-sent")

        // Revoked (a lost phone), then a new link goes out.
        let revoked = try c.json(["serve", "link", team, "--date", day, "--revoke"]) as! [String: String]
        #expect(revoked["revoked"] == "1")
        let renewed = try c.json(["serve", "link", team, "--date", day, "--send"]) as! [[String: Any]]
        #expect(renewed.first?["result"] as? String == "queued" && renewed.first?["state"] as? String == "accepted")
        files = try spooled(c)
        #expect(files.count == working.count + 1)

        // The campaign shows the day's link messages; no file under var/ but the key holds what makes a token.
        let status = try c.json(["campaign", "status", "team-links-\(day)"]) as! [String: Any]
        #expect("\(status)".contains("accepted"))
        let key = c.home.appendingPathComponent("var/team-link.key")
        let mode = try FileManager.default.attributesOfItem(atPath: key.path)[.posixPermissions] as? Int
        #expect(mode == 0o600)
        for name in ["carnation.sqlite", "carnation.sqlite-wal"] {
            let url = c.home.appendingPathComponent("var/\(name)")
            guard let data = try? Data(contentsOf: url) else { continue }
            #expect(!holdsToken(String(decoding: data, as: UTF8.self)), "\(name) holds a link token")
        }

        // A clerk whose area holds none of the teams may not send or revoke their links.
        try """
        web:
          public-url: https://c.example.cn
        users:
          - {name: clerk, areas: ["532999999"]}
        """.write(to: c.home.appendingPathComponent("carnation.yaml"), atomically: true, encoding: .utf8)
        #expect(try c.run(["serve", "link", team, "--date", day, "--revoke"], user: "clerk").status == 77)
        let clerks = try c.json(["serve", "links", "--date", day, "--send"], user: "clerk") as! [[String: Any]]
        #expect(clerks.isEmpty)
    }
}
