import Registry
import Store

/// A team's day for the door: stops in order, each resident with what to do and explain (IDs and phones masked).
public struct DailyList: Sendable, Encodable {
    public struct Task: Sendable, Encodable {
        public var visit: Int64
        public var title: String
        public var task: String
        public var reason: String
        public var explainer: String?
        /// What to explain: the explainer's key figures for this person, and whether their audio is ready.
        public var explain: Explanation?
        public var due: String?
        public var status: String
    }

    /// The explainer as the team uses it at the door.
    public struct Explanation: Sendable, Encodable {
        public var question: String
        /// "label：value" lines, e.g. "示例档缴满最低年限，每月养老金（元）：242".
        public var figures: [String]
        /// A figure rests on an unverified parameter: say the local office confirms the amount.
        public var confirmLocally: Bool
        /// The audio explainer to play, if it has been made (`carnation visits list --prepare-audio`).
        public var audioFile: String?
        public var audioReady: Bool { audioFile != nil }

        public init(question: String, figures: [String], confirmLocally: Bool, audioFile: String?) {
            self.question = question; self.figures = figures; self.confirmLocally = confirmLocally; self.audioFile = audioFile
        }

        enum CodingKeys: String, CodingKey { case question, figures, confirmLocally, audioFile, audioReady }
        public func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(question, forKey: .question)
            try c.encode(figures, forKey: .figures)
            try c.encode(confirmLocally, forKey: .confirmLocally)
            try c.encodeIfPresent(audioFile, forKey: .audioFile)
            try c.encode(audioReady, forKey: .audioReady)
        }
    }

    public struct Person: Sendable, Encodable {
        public var name: String
        public var maskedID: String
        public var sex: String
        public var age: Int
        public var categories: [String]
        public var phone: String?
        public var guardian: String?
        public var guardianPhone: String?
        public var languages: [String]
        public var notes: [String]
        public var tasks: [Task]
    }

    public struct Stop: Sendable, Encodable {
        public var number: Int
        public var arrival: String
        public var start: String
        public var end: String
        public var village: String
        public var address: String
        /// WGS-84, as stored; map apps in China need GCJ-02.
        public var latitude: Double?
        public var longitude: Double?
        /// Amap navigation to the door, in GCJ-02 (only the village name goes to the map site, not the address).
        public var navigation: String?
        public var people: [Person]
    }

    public var team: String
    public var date: String
    public var base: String
    public var members: [String]
    public var stops: [Stop]

    /// Builds the list from saved visits and the residents they concern (pure).
    public static func make(team: Team, date: CalendarDate, visits: [VisitRecord], residents: [String: StoredResident],
                            areaNames: [String: String], book: VisitRuleBook, registryRules: RegistryRules,
                            availability: [String: Availability] = [:], explanations: [Int64: Explanation] = [:]) -> DailyList {
        var stops: [Stop] = []
        for stopNumber in Array(Set(visits.map(\.stop))).sorted() {
            let here = visits.filter { $0.stop == stopNumber }
            guard let first = here.first else { continue }
            var people: [Person] = []
            var order: [String] = []
            for v in here where !order.contains(v.residentID) { order.append(v.residentID) }
            var village = "", address = "", lat: Double?, lon: Double?
            for rid in order {
                let tasks = here.filter { $0.residentID == rid }.map { v in
                    let rule = book.rule(v.rule)
                    return Task(visit: v.id, title: rule?.title ?? v.kind, task: rule?.task ?? "", reason: v.reason, explainer: rule?.explainer,
                                explain: explanations[v.id], due: v.due?.description, status: v.status.chinese)
                }
                guard let stored = residents[rid] else {
                    people.append(Person(name: "（登记册中已无此人）", maskedID: String(rid.prefix(4)) + "**********" + String(rid.suffix(4)), sex: "", age: 0,
                                         categories: [], phone: nil, guardian: nil, guardianPhone: nil, languages: [], notes: [], tasks: tasks))
                    continue
                }
                let r = Resident(id: stored.id, fields: stored.values)
                let cats = r.categories(on: date, rules: registryRules)
                if village.isEmpty, let code = r[.areaCode] { village = areaNames[code] ?? code }
                if address.isEmpty { address = r[.address] ?? "" }
                if lat == nil { lat = r[.latitude].flatMap(Double.init); lon = r[.longitude].flatMap(Double.init) }
                var guardian: String?
                if let g = r[.guardianName] { guardian = g + (r[.guardianRelation].map { "（\($0)）" } ?? "") }
                people.append(Person(name: r.name, maskedID: r.id.masked, sex: r.sex.chinese, age: r.age(on: date), categories: cats.map(\.chinese),
                                     phone: r.phone?.masked, guardian: guardian, guardianPhone: r.guardianPhone?.masked, languages: r.languages,
                                     notes: notes(r, categories: cats, book: book, availability: availability[rid]), tasks: tasks))
            }
            stops.append(Stop(number: stopNumber, arrival: TeamsFile.clock(first.arrival), start: TeamsFile.clock(here.map(\.start).min() ?? first.start),
                              end: TeamsFile.clock(here.map(\.end).max() ?? first.end), village: village, address: address,
                              latitude: lat, longitude: lon,
                              navigation: lat.flatMap { la in lon.map { MapCoordinates.amapLink(latitude: la, longitude: $0, name: village) } },
                              people: people))
        }
        return DailyList(team: team.name, date: date.description, base: team.baseName,
                         members: team.members.map { m in m.name + (m.skills.isEmpty ? "" : "（" + m.skills.joined(separator: "、") + "）") }, stops: stops)
    }

    /// Things to know before knocking.
    static func notes(_ r: Resident, categories: [Category], book: VisitRuleBook, availability: Availability? = nil) -> [String] {
        var out: [String] = []
        if let a = availability {
            out.append("只在\(TeamsFile.clock(a.start))–\(TeamsFile.clock(a.end))有人在家" + (a.note.map { "（\($0)）" } ?? ""))
        }
        if let d = r.disabilityType, let skill = book.disabilitySkills[d.rawValue] { out.append("需要\(skill)") }
        if r.disabilityType == .visual { out.append("视力残疾：读给他/她听") }
        if !r.languages.isEmpty && !r.languages.contains(where: book.commonLanguages.contains) { out.append("只会" + r.languages.joined(separator: "、")) }
        if r[.livingArrangement] == "alone" { out.append("独居") }
        if categories.contains(.bedridden) { out.append("长期卧床") }
        if r.canRead == false { out.append("不识字") }
        if r.guardianPhone != nil { out.append("先给监护人打电话") }
        return out
    }

    /// Print-friendly text: one block per stop.
    public func text() -> String {
        var s = "\(team)  \(date) 上门名单\n出发地：\(base)\n队员：\(members.joined(separator: "，"))\n"
        if stops.isEmpty { return s + "\n今天没有安排上门。\n" }
        for stop in stops {
            s += "\n【第\(stop.number)站】\(stop.arrival) 到达（\(stop.start)–\(stop.end)）  \(stop.village)  \(stop.address)\n"
            if let la = stop.latitude, let lo = stop.longitude {
                s += "  位置：北纬\(format(la)) 东经\(format(lo))（GPS坐标）\n"
            }
            if let nav = stop.navigation { s += "  导航：\(nav)\n" }
            for p in stop.people {
                s += "  ● \(p.name)  \(p.sex)  \(p.age)岁  身份证 \(p.maskedID)"
                if !p.categories.isEmpty { s += "  [" + p.categories.joined(separator: "、") + "]" }
                s += "\n"
                if let g = p.guardian { s += "    监护人：\(g)  \(p.guardianPhone ?? "无电话")\n" }
                if let phone = p.phone { s += "    本人电话：\(phone)\n" }
                if !p.notes.isEmpty { s += "    注意：" + p.notes.joined(separator: "；") + "\n" }
                for t in p.tasks {
                    s += "    □ \(t.title)（编号 \(t.visit)，\(t.status)）：\(t.task)\n"
                    s += "      原因：\(t.reason)\n"
                    if let x = t.explain {
                        s += "      讲解：\(x.question)\n"
                        for f in x.figures { s += "        · \(f)\n" }
                        if x.confirmLocally { s += "        （具体金额以当地经办机构核定为准）\n" }
                        s += "        语音：" + (x.audioFile.map { "已备好 \($0)" } ?? "未生成（carnation visits list --prepare-audio）") + "\n"
                    } else if let e = t.explainer { s += "      讲解：\(e)（此人不适用或算不出数字）\n" }
                }
            }
        }
        s += "\n结果记录：carnation visits record 编号 --outcome done|not-home|refused|moved|deceased|enrolled|certified|claimed\n"
        return s
    }

    private func format(_ x: Double) -> String {
        let scaled = Int((x * 100_000).rounded())
        let frac = String(scaled % 100_000)
        return String(scaled / 100_000) + "." + String(repeating: "0", count: 5 - frac.count) + frac
    }
}
