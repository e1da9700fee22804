import Foundation
import Outreach
import Registry
import Store

/// The team day page's content, as the `team` template reads it (pure: values in, a dictionary tree out).
public enum TeamPage {
    /// What the page needs beyond the day's list.
    public struct Inputs {
        public var list: DailyList
        /// The day's saved visits, by id (the list's tasks name them).
        public var visits: [Int64: VisitRecord]
        /// Unmasked phones by resident ID, for the call buttons (shown masked).
        public var phones: [String: (own: PhoneNumber?, guardian: PhoneNumber?)]
        /// The spoken explainer per visit id, when there is one (the page plays its audio).
        public var scripts: [Int64: String]
        public var token: String
        public var csrf: String
        /// A fresh idempotency key per form (the script replaces it when a form changes).
        public var newKey: () -> String

        public init(list: DailyList, visits: [Int64: VisitRecord], phones: [String: (own: PhoneNumber?, guardian: PhoneNumber?)],
                    scripts: [Int64: String], token: String, csrf: String, newKey: @escaping () -> String) {
            self.list = list; self.visits = visits; self.phones = phones; self.scripts = scripts
            self.token = token; self.csrf = csrf; self.newKey = newKey
        }
    }

    /// The outcomes a team may record (all but "planned"), in the CLI's words.
    public static let outcomes: [VisitStatus] = VisitStatus.allCases.filter { $0 != .planned }

    public static func model(_ i: Inputs) -> [String: Any] {
        let base = "/team/" + i.token
        var stops: [[String: Any]] = []
        for stop in i.list.stops {
            var s: [String: Any] = [
                "number": stop.number, "arrival": stop.arrival, "window": "\(stop.start)–\(stop.end)",
                "village": stop.village, "address": stop.address,
            ]
            if let la = stop.latitude, let lo = stop.longitude {
                let c = GCJ02.Coordinate(latitude: la, longitude: lo)
                let place = stop.village.isEmpty ? "第\(stop.number)站" : stop.village
                s["map"] = ["amap": MapLinks.amap(c, name: place), "baidu": MapLinks.baidu(c, name: place), "geo": MapLinks.geo(c)]
            }
            var people: [[String: Any]] = []
            for p in stop.people {
                let residentID = p.tasks.first.flatMap { i.visits[$0.visit]?.residentID }
                var calls: [[String: String]] = []
                if let id = residentID, let phones = i.phones[id] {
                    if let own = phones.own { calls.append(["label": "打给本人", "href": "tel:" + own.value, "shown": own.masked]) }
                    if let g = phones.guardian { calls.append(["label": "打给监护人", "href": "tel:" + g.value, "shown": g.masked]) }
                }
                var tasks: [[String: Any]] = []
                for t in p.tasks {
                    let recorded = i.visits[t.visit].map { $0.status != .planned } ?? false
                    var task: [String: Any] = [
                        "visit": String(t.visit), "title": t.title, "task": t.task, "reason": t.reason, "status": t.status,
                        "recorded": recorded, "action": base + "/outcome", "key": i.newKey(), "csrf": i.csrf,
                        "outcomes": outcomes.map { ["value": $0.rawValue, "label": $0.chinese] },
                    ]
                    if let due = t.due { task["due"] = due }
                    if let script = i.scripts[t.visit] {
                        task["audio"] = base + "/audio/" + String(t.visit)
                        task["script"] = script
                    }
                    tasks.append(task)
                }
                var person: [String: Any] = [
                    "name": p.name, "maskedID": p.maskedID, "sex": p.sex, "age": p.age, "calls": calls, "tasks": tasks,
                    "notes": p.notes, "hasNotes": !p.notes.isEmpty,
                ]
                if !p.categories.isEmpty { person["categories"] = p.categories.joined(separator: "、") }
                if let g = p.guardian { person["guardian"] = g }
                if !p.languages.isEmpty { person["languages"] = p.languages.joined(separator: "、") }
                people.append(person)
            }
            s["people"] = people
            stops.append(s)
        }
        return [
            "team": i.list.team, "date": i.list.date, "base": i.list.base, "members": i.list.members.joined(separator: "，"),
            "stops": stops, "empty": stops.isEmpty, "stopCount": stops.count,
        ]
    }
}
