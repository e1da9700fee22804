import Foundation

/// A deterministic random source (SplitMix64): the same seed gives the same county.
public struct SeededRandom: RandomNumberGenerator, Sendable {
    private var state: UInt64
    public init(seed: UInt64) { state = seed &+ 0x9E37_79B9_7F4A_7C15 }
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    /// True with probability `p`.
    public mutating func chance(_ p: Double) -> Bool { Double(next() >> 11) / Double(1 << 53) < p }
    public mutating func pick<T>(_ items: [T]) -> T { items[Int(next() % UInt64(items.count))] }
    public mutating func int(_ range: ClosedRange<Int>) -> Int { range.lowerBound + Int(next() % UInt64(range.count)) }
    public mutating func unit() -> Double { Double(next() >> 11) / Double(1 << 53) }
}

/// A synthetic but realistic mountain county: townships, villages with coordinates, households
/// and residents with categories at plausible rates. Pure: the same seed gives the same county.
///
/// The county code 532999 is deliberately not a real county (Dali prefecture is 5329).
public struct DemoCounty: Sendable {
    public struct Area: Sendable { public var code: String; public var name: String; public var latitude: Double; public var longitude: Double }
    public var countyCode = "532999"
    public var countyName = "示范县"
    public var townships: [Area] = []
    public var villages: [Area] = []
    /// Full resident records, as the register should hold them after all imports.
    public var residents: [StoredResident] = []

    static let townshipNames = ["龙泉镇", "青山乡", "白云乡", "松林镇", "石门乡", "清水镇", "马鞍山乡", "团结彝族乡", "金河乡", "永安镇"]
    static let villageFirst = ["大", "小", "上", "下", "新", "老", "核桃", "羊街", "松坡", "石板", "清河", "红岩", "梨园", "麦地", "竹林", "水井", "凤凰", "龙潭", "白沙", "黑箐"]
    static let villageSecond = ["村", "营村", "箐村", "坪村", "寨", "沟村", "河村", "山村", "湾村", "厂村"]
    static let hanSurnames = ["李", "张", "王", "杨", "刘", "陈", "赵", "周", "黄", "段", "罗", "起", "字", "施", "鲁", "苏", "何", "郭"]
    static let yiSurnames = ["李", "罗", "字", "普", "者", "起", "毕", "茶", "鲁"]
    static let baiSurnames = ["杨", "段", "赵", "李", "张", "尹", "董"]
    static let huiSurnames = ["马", "纳", "沙", "马", "马"]
    static let maleGiven = ["国强", "建华", "志明", "文", "军", "明", "学文", "正华", "家福", "永昌", "德全", "富贵", "成", "发", "有才", "金华", "绍光", "春", "海", "林"]
    static let femaleGiven = ["秀英", "桂英", "玉兰", "桂兰", "秀珍", "丽", "芳", "春花", "美", "琼", "玉珍", "凤仙", "燕", "兰英", "秀芬", "梅", "桂芬", "艳"]
    static let relations = ["儿子", "女儿", "儿媳", "配偶", "侄子", "村干部"]

    public init(residents count: Int, seed: UInt64, today: CalendarDate) {
        var rng = SeededRandom(seed: seed)
        let townshipCount = max(3, min(10, count / 300 + 3))
        for t in 0..<townshipCount {
            let code = countyCode + pad3(t + 1)
            let lat = 25.55 + rng.unit() * 0.5, lon = 100.15 + rng.unit() * 0.5
            townships.append(Area(code: code + "000", name: DemoCounty.townshipNames[t], latitude: lat, longitude: lon))
            let n = max(3, min(12, count / (townshipCount * 60) + 3))
            var used = Set<String>()
            for v in 0..<n {
                var name: String
                repeat { name = rng.pick(DemoCounty.villageFirst) + rng.pick(DemoCounty.villageSecond) } while used.contains(name)
                used.insert(name)
                // Villages lie along valleys within about 10 km of the township seat.
                villages.append(Area(code: code + pad3(200 + v + 1), name: name,
                                     latitude: lat + (rng.unit() - 0.5) * 0.16, longitude: lon + (rng.unit() - 0.5) * 0.16))
            }
        }
        var sequences: [String: Int] = [:]
        var household = 0
        while residents.count < count {
            household += 1
            let village = rng.pick(villages)
            let township = townships.first { village.code.hasPrefix(String($0.code.prefix(9))) }!
            let ethnicity: String = {
                let r = rng.unit()
                return r < 0.55 ? "汉族" : r < 0.80 ? "彝族" : r < 0.90 ? "白族" : r < 0.95 ? "回族" : r < 0.98 ? "苗族" : "傈僳族"
            }()
            let surnames = ethnicity == "彝族" ? DemoCounty.yiSurnames : ethnicity == "白族" ? DemoCounty.baiSurnames
                : ethnicity == "回族" ? DemoCounty.huiSurnames : DemoCounty.hanSurnames
            let surname = rng.pick(surnames)
            // Household shape: an old person alone, an old couple, or a family with an elder.
            let shape = rng.unit()
            var ages: [Int] = []
            let elderAge: Int = {
                let r = rng.unit()
                return r < 0.78 ? rng.int(16...59) : r < 0.96 ? rng.int(60...79) : rng.int(80...99)
            }()
            ages.append(elderAge)
            var living = "with_family"
            if elderAge >= 60 && shape < 0.22 { living = "alone" }
            else if elderAge >= 60 && shape < 0.42 { living = "spouse_only"; ages.append(max(55, elderAge + rng.int(-5...3))) }
            else {
                for _ in 0..<rng.int(0...3) { ages.append(rng.int(18...55)) }
            }
            let householdID = "H" + countyCode + String(household)
            let address = "\(countyName)\(township.name)\(village.name)\(rng.int(1...120))号"
            let spot = (village.latitude + (rng.unit() - 0.5) * 0.01, village.longitude + (rng.unit() - 0.5) * 0.01)
            var guardianForHousehold: (String, String)? = nil
            for (i, age) in ages.enumerated() where residents.count < count {
                let male = i == 0 ? rng.chance(0.5) : (i == 1 && living == "spouse_only" ? !(residents.last.map { $0.id.sex == .male } ?? false) : rng.chance(0.5))
                var birthYear = today.year - age
                let bm = rng.int(1...12), bd = rng.int(1...CalendarDate.daysIn(month: bm, year: birthYear))
                if (bm, bd) > (today.month, today.day) { birthYear -= 1 }
                let birth = CalendarDate(year: birthYear, month: bm, day: bd)!
                let key = township.code.prefix(6) + birth.description
                var seq = (sequences[String(key)] ?? rng.int(0...40)) + 1
                if (seq % 2 == 1) != male { seq += 1 }
                sequences[String(key)] = seq
                let id = ResidentID(area: countyCode, birth: birth, sequence: seq % 1000)
                var given = rng.pick(male ? DemoCounty.maleGiven : DemoCounty.femaleGiven)
                if rng.chance(0.004) { given = "𠮷" + String(given.prefix(1)) }  // a rare (Ext-B) character
                var v: [ResidentField: String] = [:]
                v[.name] = (i > 0 && living != "spouse_only" ? surname : (i == 1 ? rng.pick(surnames) : surname)) + given
                v[.sex] = male ? "M" : "F"
                v[.birthDate] = birth.description
                v[.ethnicity] = ethnicity
                var languages = ["汉语"]
                if ethnicity == "彝族" { languages = age >= 65 && rng.chance(0.35) ? ["彝语"] : ["彝语", "汉语"] }
                if ethnicity == "白族" { languages = age >= 65 && rng.chance(0.25) ? ["白语"] : ["白语", "汉语"] }
                if ethnicity == "傈僳族" { languages = ["傈僳语", "汉语"] }
                v[.languages] = languages.joined(separator: ",")
                v[.address] = address
                v[.areaCode] = village.code
                v[.householdID] = householdID
                v[.latitude] = String(format: "%.6f", spot.0)
                v[.longitude] = String(format: "%.6f", spot.1)
                v[.livingArrangement] = living
                let readsP = age >= 75 ? (male ? 0.45 : 0.2) : age >= 60 ? (male ? 0.7 : 0.45) : 0.92
                v[.literacy] = rng.chance(readsP) ? "reads" : "cannot_read"
                let phoneP = age >= 80 ? 0.3 : age >= 65 ? 0.6 : 0.93
                if rng.chance(phoneP) {
                    let second = rng.pick(["3", "5", "8", "9", "7"])
                    v[.phone] = "1" + second + String(format: "%09d", Int(rng.next() % 1_000_000_000))
                } else if rng.chance(0.1) {
                    v[.landline] = "0872-" + String(rng.int(5_000_000...5_999_999))
                }
                if rng.chance(age >= 60 ? 0.08 : 0.03) {
                    v[.disabilityType] = String(rng.pick([4, 4, 4, 1, 1, 2, 2, 2, 3, 5, 5, 6, 6, 7, 7]))
                    v[.disabilityGrade] = String(rng.int(1...4))
                    v[.disabilityCertificate] = id.value + v[.disabilityType]! + v[.disabilityGrade]!
                }
                if age >= 70 && rng.chance(0.04) || age >= 16 && v[.disabilityGrade] == "1" && rng.chance(0.3) { v[.bedridden] = "1" }
                if age >= 75 && rng.chance(0.06) || v[.bedridden] == "1" { v[.incapacityLevel] = String(rng.int(v[.bedridden] == "1" ? 2...3 : 1...3)) }
                var assistance: [String] = []
                if rng.chance(0.05) { assistance.append(Category.minimumLiving.rawValue) }
                if age >= 60 && living == "alone" && rng.chance(0.06) { assistance.append(Category.extremePoverty.rawValue) }
                if rng.chance(0.03) { assistance.append(Category.povertyMonitoring.rawValue) }
                if !assistance.isEmpty { v[.assistance] = assistance.sorted().joined(separator: ",") }
                if age >= 60 {
                    if rng.chance(0.9) {
                        v[.pensionScheme] = PensionScheme.receiving.rawValue
                        v[.lastCertification] = today.adding(days: -rng.int(20...420)).description
                    } else { v[.pensionScheme] = PensionScheme.none.rawValue }
                } else {
                    let r = rng.unit()
                    if r < 0.15 { v[.pensionScheme] = PensionScheme.none.rawValue }
                    else if r < 0.85 {
                        v[.pensionScheme] = PensionScheme.resident.rawValue
                        v[.pensionTierFen] = String(rng.pick([200, 200, 200, 300, 400, 500, 1000, 2000]) * 100)
                        v[.pensionYears] = String(min(max(0, age - 16), rng.int(1...15)))
                    } else {
                        v[.pensionScheme] = PensionScheme.employee.rawValue
                        v[.pensionYears] = String(min(max(0, age - 18), rng.int(1...25)))
                    }
                }
                // A guardian for those who cannot manage their own affairs.
                let needsGuardian = v[.bedridden] == "1" || v[.incapacityLevel] == "3" || v[.disabilityType] == "5" || age >= 85
                if needsGuardian {
                    let g = guardianForHousehold ?? (rng.pick(DemoCounty.hanSurnames) + rng.pick(DemoCounty.maleGiven + DemoCounty.femaleGiven),
                                                     "1" + rng.pick(["3", "5", "8"]) + String(format: "%09d", Int(rng.next() % 1_000_000_000)))
                    guardianForHousehold = g
                    v[.guardianName] = g.0
                    v[.guardianRelation] = rng.pick(DemoCounty.relations)
                    v[.guardianPhone] = g.1
                }
                if rng.chance(age >= 80 ? 0.02 : 0.004) { v[.deathDate] = today.adding(days: -rng.int(5...200)).description }
                else if rng.chance(0.004) { v[.moveOutDate] = today.adding(days: -rng.int(5...300)).description }
                residents.append(StoredResident(id: id, values: v, provenance: [:]))
            }
        }
        // Sequence numbers could collide across households born the same day: keep the first.
        var seen = Set<String>()
        residents = residents.filter { seen.insert($0.id.value).inserted }
    }
}
