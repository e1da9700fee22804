import Foundation
import Registry
import Store

/// Visiting teams for the demo county (pure: the same county and seed give the same teams).
///
/// One team per township, based at the township seat, on motorbikes. Most teams have a Yi speaker; some a Bai
/// speaker; one has a sign-language interpreter. Residents whose needs no covering team can meet show up in the
/// plan's report of what could not be planned, as they would in a real county.
public enum DemoTeams {
    static let givenNames = ["海燕", "建国", "丽华", "志强", "春梅", "文斌", "小芳", "正平", "秀兰", "云龙", "玉梅", "永刚"]
    static let surnames = ["李", "杨", "普", "者", "段", "赵", "罗", "张"]

    /// One team per township (`count` nil), or `count` teams: several townships to a team when there are fewer
    /// teams than townships, a township's villages shared out when there are more.
    public static func make(for county: DemoCounty, seed: UInt64 = 1, count: Int? = nil) -> [Team] {
        var rng = SeededRandom(seed: seed &+ 0x7EA5)
        let townships = county.townships
        let n = max(1, count ?? townships.count)
        // Each team: the township it is based in, and the area prefixes it covers.
        var plans: [(base: DemoCounty.Area, areas: [String], suffix: String)] = []
        if n <= townships.count {
            for i in 0..<n {
                let mine = townships.indices.filter { $0 % n == i }.map { townships[$0] }
                plans.append((mine[0], mine.map { String($0.code.prefix(9)) }, ""))
            }
        } else {
            for (ti, t) in townships.enumerated() {
                let k = n / townships.count + (ti < n % townships.count ? 1 : 0)
                let villages = county.villages.filter { $0.code.hasPrefix(String(t.code.prefix(9))) }.map(\.code).sorted()
                for j in 0..<k {
                    let share = villages.indices.filter { $0 % k == j }.map { villages[$0] }
                    if share.isEmpty { continue }
                    plans.append((t, share, k > 1 ? ["一", "二", "三", "四", "五", "六", "七", "八"][j % 8] : ""))
                }
            }
        }
        var teams: [Team] = []
        for (i, p) in plans.enumerated() {
            let t = p.base
            var members: [TeamMember] = []
            let size = rng.int(2...3)
            for m in 0..<size {
                var skills: [String] = []
                if m == 0 { skills.append("急救") }
                if m == 1 && (i % 4 != 3 || t.name.contains("彝族")) { skills.append("彝语") }
                if m == size - 1 && i % 2 == 0 { skills.append("白语") }
                if m == 0 && i == 0 { skills.append("手语") }
                let phone = "1" + rng.pick(["3", "5", "8"]) + String(rng.int(100_000_000...999_999_999))
                members.append(TeamMember(name: rng.pick(surnames) + rng.pick(givenNames), phone: phone, skills: skills))
            }
            teams.append(Team(name: t.name.replacingOccurrences(of: "彝族", with: "") + p.suffix + "队", areas: p.areas, members: members,
                              baseName: t.name + "社保所", baseLatitude: t.latitude, baseLongitude: t.longitude, baseArea: t.code,
                              workingDays: [1, 2, 3, 4, 5], dayStart: 8 * 60 + 30, dayEnd: 17 * 60 + 30,
                              breakOpen: 12 * 60, breakClose: 13 * 60 + 30, breakMinutes: 60, mode: .motorbike, maxVisits: 8))
        }
        return teams
    }
}
