import Testing
@testable import Speech

@Suite("Mandarin normalisation for the ear")
struct MandarinNormalizerTests {
    static let money: [(String, String)] = [
        ("1234.56元", "一千二百三十四元五角六分"),
        ("1234.50元", "一千二百三十四元五角"),
        ("1234.05元", "一千二百三十四元零五分"),
        ("1234.00元", "一千二百三十四元"),
        ("0.56元", "五角六分"),
        ("0.5元", "五角"),
        ("0.05元", "五分"),
        ("2元", "两元"),
        ("2.22元", "两元两角两分"),
        ("2000元", "两千元"),
        ("20000元", "两万元"),
        ("103元", "一百零三元"),
        ("1,234,567元", "一百二十三万四千五百六十七元"),
        ("¥1234.56", "一千二百三十四元五角六分"),
        ("￥88元", "八十八元"),
        ("2.5万元", "二点五万元"),
        ("2万元", "两万元"),
        ("每月发放1234元/月", "每月发放一千二百三十四元每月"),
        ("1.234元", "一点二三四元"),
    ]

    static let plainNumbers: [(String, String)] = [
        ("0", "零"), ("2", "二"), ("7", "七"), ("10", "十"), ("12", "十二"), ("20", "二十"), ("22", "二十二"),
        ("100", "一百"), ("105", "一百零五"), ("110", "一百一十"), ("200", "二百"), ("1000", "一千"),
        ("1001", "一千零一"), ("1010", "一千零一十"), ("1100", "一千一百"), ("2000", "两千"), ("9999", "九千九百九十九"),
        ("10000", "一万"), ("10001", "一万零一"), ("10010", "一万零一十"), ("10100", "一万零一百"),
        ("20000", "两万"), ("22000", "两万两千"), ("100000", "十万"), ("150000", "十五万"), ("120000", "十二万"),
        ("1000000", "一百万"), ("100000000", "一亿"), ("100000001", "一亿零一"), ("100010000", "一亿零一万"),
        ("200000000", "两亿"), ("3.5", "三点五"), ("0.05", "零点零五"),
    ]

    static let measured: [(String, String)] = [
        ("2个", "两个"), ("2人", "两人"), ("2次", "两次"), ("12个", "十二个"), ("第2次", "第二次"),
        ("2个月", "两个月"), ("2点", "两点"), ("2小时", "两小时"),
    ]

    static let yearsAndDates: [(String, String)] = [
        ("2025年", "二零二五年"),
        ("2011年", "二零一一年"),
        ("2000年", "二零零零年"),
        ("1958年出生", "一九五八年出生"),
        ("2025年3月5日", "二零二五年三月五日"),
        ("2025年12月31日", "二零二五年十二月三十一日"),
        ("2月2日", "二月二日"),
        ("10月1号", "十月一号"),
        ("2025-03-05", "二零二五年三月五日"),
        ("2025/3/5", "二零二五年三月五日"),
        ("2025.12.01", "二零二五年十二月一日"),
        ("2020-2025年", "二零二零到二零二五年"),
    ]

    static let times: [(String, String)] = [
        ("9:30", "九点三十分"), ("14:00", "十四点"), ("8:05", "八点零五分"), ("2:00", "两点"),
        ("9:00-17:00", "九点到十七点"), ("上午9：00", "上午九点"),
    ]

    static let percentages: [(String, String)] = [
        ("8%", "百分之八"), ("12.5%", "百分之十二点五"), ("100%", "百分之百"), ("50％", "百分之五十"),
        ("5%-10%", "百分之五到百分之十"), ("5-10%", "百分之五到百分之十"),
    ]

    static let phones: [(String, String)] = [
        ("12333", "幺二三三三"),
        ("拨打12345咨询", "拨打幺二三四五咨询"),
        ("95588", "九五五八八"),
        ("请拨打120", "请拨打幺二零"),
        ("电话：110", "电话：幺幺零"),
        ("13812345678", "幺三八，幺二三四，五六七八"),
        ("0871-12345678", "零八七幺，幺二三四五六七八"),
        ("400-123-4567", "四零零，幺二三，四五六七"),
        ("联系电话66123456", "联系电话六六幺二，三四五六"),
        ("１２３３３", "幺二三三三"),
    ]

    static let agesAndCounts: [(String, String)] = [
        ("65岁", "六十五岁"), ("2岁", "两岁"), ("60-65岁", "六十到六十五岁"), ("60周岁", "六十周岁"),
        ("缴费满15年", "缴费满十五年"), ("2年", "两年"), ("满1年", "满一年"), ("12000人", "一万两千人"),
    ]

    static let concealed: [(String, String)] = [
        ("身份证号：5301**********123X，已登记", "身份证号，已登记"),
        ("身份证530102195801011234已登记", "身份证已登记"),
        ("手机138****5678收到", "手机收到"),
        ("号码5301**********123x", "号码"),
    ]

    static let fractionsAndRanges: [(String, String)] = [
        ("2/3", "三分之二"), ("1/2的费用", "二分之一的费用"), ("3000-5000元", "三千到五千元"), ("2-3天", "两到三天"),
        ("2025年1-6月", "二零二五年一到六月"), ("50元/人", "五十元每人"), ("村/社区", "村、社区"), ("1.5倍", "一点五倍"),
        ("0.8%", "百分之零点八"), ("2,000元", "两千元"), ("第1步", "第一步"),
    ]

    static let mixed: [(String, String)] = [
        ("您2025年每月可领1234.56元，比去年多8%。如有疑问请拨打12333。",
         "您二零二五年每月可领一千二百三十四元五角六分，比去年多百分之八。如有疑问请拨打幺二三三三。"),
        ("王大爷，您今年78岁，已缴费15年，从2025年7月起每月增加20元。",
         "王大爷，您今年七十八岁，已缴费十五年，从二零二五年七月起每月增加二十元。"),
        ("请于2025年3月31日前带身份证5301**********123X到村委会办理，办公时间9:00-17:00。",
         "请于二零二五年三月三十一日前带身份证到村委会办理，办公时间九点到十七点。"),
        ("没有数字的句子不变。", "没有数字的句子不变。"),
        ("共有2000多户，约5000人。", "共有两千多户，约五千人。"),
    ]

    @Test("money", arguments: money)
    func moneyCases(_ c: (String, String)) { #expect(MandarinNormalizer.normalize(c.0) == c.1) }

    @Test("plain numbers with 零 and 两", arguments: plainNumbers)
    func plainNumberCases(_ c: (String, String)) { #expect(MandarinNormalizer.normalize(c.0) == c.1) }

    @Test("2 before measure words is 两; ordinals keep 二", arguments: measured)
    func measuredCases(_ c: (String, String)) { #expect(MandarinNormalizer.normalize(c.0) == c.1) }

    @Test("years digit by digit, dates", arguments: yearsAndDates)
    func yearCases(_ c: (String, String)) { #expect(MandarinNormalizer.normalize(c.0) == c.1) }

    @Test("clock times", arguments: times)
    func timeCases(_ c: (String, String)) { #expect(MandarinNormalizer.normalize(c.0) == c.1) }

    @Test("percentages", arguments: percentages)
    func percentCases(_ c: (String, String)) { #expect(MandarinNormalizer.normalize(c.0) == c.1) }

    @Test("phone numbers and hotlines digit by digit with 幺", arguments: phones)
    func phoneCases(_ c: (String, String)) { #expect(MandarinNormalizer.normalize(c.0) == c.1) }

    @Test("ages and year counts", arguments: agesAndCounts)
    func ageCases(_ c: (String, String)) { #expect(MandarinNormalizer.normalize(c.0) == c.1) }

    @Test("ID numbers and masked numbers are never read out", arguments: concealed)
    func concealedCases(_ c: (String, String)) {
        let spoken = MandarinNormalizer.normalize(c.0)
        #expect(spoken == c.1)
        #expect(!spoken.contains("*"))
        #expect(!spoken.contains(where: { $0.asciiDigitValue != nil }))
    }

    @Test("fractions, ranges, per-unit slashes", arguments: fractionsAndRanges)
    func fractionCases(_ c: (String, String)) { #expect(MandarinNormalizer.normalize(c.0) == c.1) }

    @Test("mixed explainer text", arguments: mixed)
    func mixedCases(_ c: (String, String)) { #expect(MandarinNormalizer.normalize(c.0) == c.1) }

    @Test("no ASCII digit survives normalisation")
    func noDigitsLeft() {
        let all = Self.money + Self.plainNumbers + Self.measured + Self.yearsAndDates + Self.times + Self.percentages
            + Self.phones + Self.agesAndCounts + Self.fractionsAndRanges + Self.mixed
        for (input, _) in all {
            let spoken = MandarinNormalizer.normalize(input)
            #expect(!spoken.contains(where: { $0.asciiDigitValue != nil }), "\(input) → \(spoken)")
        }
    }
}
