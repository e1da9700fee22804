/// Rewrites text for the ear before synthesis (pure): numbers become the Hanzi people say.
///
/// Money (1234.56元 → 一千二百三十四元五角六分), plain numbers (10 → 十, 105 → 一百零五, 20000 → 两万),
/// years digit by digit (2025年 → 二零二五年), dates (2025-03-05 → 二零二五年三月五日), times (9:30 → 九点三十分),
/// percentages (8% → 百分之八), phone numbers and hotlines digit by digit with 幺 (12333 → 幺二三三三),
/// ages and counts with 两 (2岁 → 两岁), ranges (60-65岁 → 六十到六十五岁). Masked or full ID numbers and
/// masked phone numbers are never read out: they are dropped.
public enum MandarinNormalizer {
    public static func normalize(_ text: String) -> String {
        let chars = Array(widenedToASCII(text))
        var out = ""
        var i = 0
        while i < chars.count {
            let c = chars[i]
            if let end = concealedNumberEnd(chars, i) {
                while let last = out.last, last == " " || last == "：" || last == ":" { out.removeLast() }
                i = end
                while i < chars.count && chars[i] == " " { i += 1 }
                continue
            }
            let isCurrency = (c == "¥" || c == "￥") && i + 1 < chars.count && chars[i + 1].asciiDigitValue != nil
            if c.asciiDigitValue != nil || isCurrency {
                let (spoken, end) = readNumber(chars, i)
                out += spoken
                i = end
                continue
            }
            if c == "/" || c == "／" {
                let next = i + 1 < chars.count ? chars[i + 1] : " "
                if let last = out.last, last.isHan, perUnits.contains(next) {
                    out += "每"   // 元/月 → 元每月
                } else {
                    out += "、"   // 和/或, 村/社区: a short pause, never "slash"
                }
                i += 1
                continue
            }
            out.append(c)
            i += 1
        }
        return out
    }

    // MARK: - Number tokens

    /// Reads the number starting at `start` (a digit, or ¥ before a digit); returns the words and the index after it.
    static func readNumber(_ chars: [Character], _ start: Int) -> (String, Int) {
        var i = start
        var currency = false
        if chars[i] == "¥" || chars[i] == "￥" { currency = true; i += 1 }
        let first = digitRun(chars, i)
        var j = first.upperBound
        let lead = String(chars[first])
        let before = String(chars[max(0, start - 8)..<start])

        if !currency, let (spoken, end) = date(chars, first) { return (spoken, end) }
        if !currency, let (spoken, end) = time(chars, first) {
            let (range, after) = rangeWord(chars, end)
            return (spoken + range, after)
        }
        if !currency, let (spoken, end) = dashedPhone(chars, first) { return (spoken, end) }
        if !currency, let (spoken, end) = fraction(chars, first) { return (spoken, end) }

        // Integer part, with thousands separators (1,234,567) folded away.
        var integer = lead
        if first.count <= 3 {
            var k = j
            while k + 3 < chars.count, chars[k] == ",", digitRun(chars, k + 1).count == 3 {
                integer += String(chars[(k + 1)...(k + 3)])
                k += 4
            }
            j = k
        }
        var fraction = ""
        if j + 1 < chars.count, chars[j] == ".", chars[j + 1].asciiDigitValue != nil {
            let run = digitRun(chars, j + 1)
            fraction = String(chars[run])
            j = run.upperBound
        }
        let plainDigits = fraction.isEmpty && integer == lead
        let unit = unitAfter(chars, j)
        let next = j < chars.count ? chars[j] : " "
        let (range, afterRange) = rangeWord(chars, j)

        // Money.
        if currency {
            var end = j
            if end < chars.count && chars[end] == "元" { end += 1 }
            return (NumberReading.money(integer, fraction), end)
        }
        if next == "元" { return (NumberReading.money(integer, fraction), j + 1) }
        // Percentages.
        if next == "%" {
            let (range, after) = rangeWord(chars, j + 1)
            return (MandarinNumbers.percent(integer: integer, fraction: fraction) + range, after)
        }
        if unit.hasPrefix("%") && !range.isEmpty {
            return (MandarinNumbers.percent(integer: integer, fraction: fraction) + range, afterRange)
        }
        // Phone numbers and hotlines.
        if plainDigits && unit.first.map(isUnitStart) != true {
            if lead.count >= 3 && phoneWords.contains(where: { before.contains($0) }) {
                return (PhoneReading.read([lead]), j)
            }
            if lead.count == 11 && lead.hasPrefix("1") { return (PhoneReading.read([lead]), j) }
            if lead.count == 5 && hotlinePrefixes.contains(where: { lead.hasPrefix($0) }) && !lead.hasSuffix("00") {
                return (PhoneReading.read([lead]), j)
            }
        }
        // Years are read digit by digit, counts of years as cardinals.
        if unit.hasPrefix("年") && plainDigits && lead.count == 4, let y = Int(lead), (1000...2999).contains(y) {
            return (MandarinNumbers.digits(lead, yao: false) + range, afterRange)
        }
        // Codes with a leading zero and very long numbers: digit by digit.
        if plainDigits && lead.count > 1 && (lead.hasPrefix("0") || lead.count > 12) {
            return (MandarinNumbers.digits(lead, yao: true), j)
        }
        let ordinal = start > 0 && chars[start - 1] == "第"
        let measured = !ordinal && measureWords.contains(where: { unit.hasPrefix($0) })
        let spoken = fraction.isEmpty
            ? MandarinNumbers.cardinal(integer, beforeMeasureWord: measured)
            : MandarinNumbers.decimal(integer: integer, fraction: fraction)
        return (spoken + range, afterRange)
    }

    /// 2025-03-05, 2025/3/5, 2025.3.5 → 二零二五年三月五日.
    static func date(_ chars: [Character], _ year: Range<Int>) -> (String, Int)? {
        guard year.count == 4, year.upperBound < chars.count else { return nil }
        let sep = chars[year.upperBound]
        guard sep == "-" || sep == "/" || sep == "." else { return nil }
        let month = digitRun(chars, year.upperBound + 1)
        guard (1...2).contains(month.count), month.upperBound < chars.count, chars[month.upperBound] == sep else { return nil }
        let day = digitRun(chars, month.upperBound + 1)
        guard (1...2).contains(day.count) else { return nil }
        guard let m = Int(String(chars[month])), let d = Int(String(chars[day])), (1...12).contains(m), (1...31).contains(d)
        else { return nil }
        var end = day.upperBound
        if end < chars.count && (chars[end] == "日" || chars[end] == "号") { end += 1 }
        let spoken = MandarinNumbers.digits(String(chars[year]), yao: false) + "年"
            + MandarinNumbers.cardinal(String(m)) + "月" + MandarinNumbers.cardinal(String(d)) + "日"
        return (spoken, end)
    }

    /// 9:30 → 九点三十分, 14:00 → 十四点, 8:05 → 八点零五分, 2:00 → 两点.
    static func time(_ chars: [Character], _ hour: Range<Int>) -> (String, Int)? {
        guard hour.count <= 2, hour.upperBound < chars.count else { return nil }
        let colon = chars[hour.upperBound]
        guard colon == ":" || colon == "：" else { return nil }
        let minute = digitRun(chars, hour.upperBound + 1)
        guard minute.count == 2, let h = Int(String(chars[hour])), let m = Int(String(chars[minute])), h <= 24, m < 60
        else { return nil }
        var spoken = MandarinNumbers.cardinal(String(h), beforeMeasureWord: true) + "点"
        if m > 0 { spoken += (m < 10 ? "零" : "") + MandarinNumbers.cardinal(String(m)) + "分" }
        return (spoken, minute.upperBound)
    }

    /// 0871-12345678, 400-123-4567: digit by digit, groups separated by a short pause.
    static func dashedPhone(_ chars: [Character], _ first: Range<Int>) -> (String, Int)? {
        let lead = String(chars[first])
        guard (lead.hasPrefix("0") && (3...4).contains(lead.count)) || lead == "400" || lead == "800" else { return nil }
        var groups = [lead]
        var k = first.upperBound
        while k + 1 < chars.count, chars[k] == "-" {
            let run = digitRun(chars, k + 1)
            guard run.count >= 3 else { break }
            groups.append(String(chars[run]))
            k = run.upperBound
        }
        guard groups.count >= 2 else { return nil }
        return (PhoneReading.read(groups), k)
    }

    /// 2/3 → 三分之二, 1/2 → 二分之一 (not a date: a year comes first in dates, and they have three parts).
    static func fraction(_ chars: [Character], _ numerator: Range<Int>) -> (String, Int)? {
        guard numerator.count <= 3, numerator.upperBound + 1 < chars.count, chars[numerator.upperBound] == "/" else { return nil }
        if numerator.lowerBound > 0, chars[numerator.lowerBound - 1] == "/" { return nil }
        let denominator = digitRun(chars, numerator.upperBound + 1)
        guard (1...3).contains(denominator.count) else { return nil }
        if denominator.upperBound < chars.count, chars[denominator.upperBound] == "/" || chars[denominator.upperBound] == "." { return nil }
        let top = String(chars[numerator]), bottom = String(chars[denominator])
        guard Int(bottom) ?? 0 > 0 else { return nil }
        return (MandarinNumbers.cardinal(bottom) + "分之" + MandarinNumbers.cardinal(top), denominator.upperBound)
    }

    /// A range dash between two numbers (60-65岁, 9:00-17:00) is read 到.
    static func rangeWord(_ chars: [Character], _ j: Int) -> (String, Int) {
        guard j + 1 < chars.count, rangeDashes.contains(chars[j]), chars[j + 1].asciiDigitValue != nil else { return ("", j) }
        return ("到", j + 1)
    }

    /// What follows a number, looking past a range (the 岁 of 60-65岁) and one space.
    static func unitAfter(_ chars: [Character], _ j: Int) -> String {
        var k = j
        if k + 1 < chars.count, rangeDashes.contains(chars[k]), chars[k + 1].asciiDigitValue != nil {
            k += 1
            while k < chars.count, chars[k].asciiDigitValue != nil || chars[k] == "." || chars[k] == ":" { k += 1 }
        }
        if k < chars.count, chars[k] == " " { k += 1 }
        return String(chars[k..<min(chars.count, k + 3)])
    }

    static func digitRun(_ chars: [Character], _ start: Int) -> Range<Int> {
        var end = start
        while end < chars.count, chars[end].asciiDigitValue != nil { end += 1 }
        return start..<end
    }

    static func isUnitStart(_ c: Character) -> Bool {
        c == "%" || c == "元" || measureWords.contains(where: { $0.first == c }) || "年月日号万亿".contains(c)
    }

    // MARK: - Numbers that are never read out

    /// End of an ID number (full or masked) or a masked phone number starting at `i`, if there is one.
    static func concealedNumberEnd(_ chars: [Character], _ i: Int) -> Int? {
        let c = chars[i]
        guard c.asciiDigitValue != nil || c == "*" else { return nil }
        if i > 0, chars[i - 1].asciiDigitValue != nil || chars[i - 1] == "*" || chars[i - 1].isASCIILetter { return nil }
        var end = i
        var stars = 0
        var digits = 0
        while end < chars.count {
            let ch = chars[end]
            if ch.asciiDigitValue != nil { digits += 1 } else if ch == "*" { stars += 1 }
            else if (ch == "X" || ch == "x") && end > i { end += 1; break }
            else { break }
            end += 1
        }
        if end < chars.count, chars[end].asciiDigitValue != nil || chars[end].isASCIILetter { return nil }
        let length = end - i
        if stars >= 2 && digits >= 2 && length >= 7 { return end }
        let last = chars[end - 1]
        if stars == 0 && length == 18 && (digits == 18 || (digits == 17 && (last == "X" || last == "x"))) { return end }
        return nil
    }

    // MARK: - Tables

    /// Fullwidth digits and signs, as typed on Chinese keyboards, become ASCII.
    static func widenedToASCII(_ text: String) -> String {
        String(text.map { c -> Character in
            guard let s = c.unicodeScalars.first, c.unicodeScalars.count == 1 else { return c }
            switch s.value {
            case 0xFF10...0xFF19: return Character(Unicode.Scalar(s.value - 0xFF10 + 48)!)
            case 0xFF05: return "%"
            case 0xFF0A: return "*"
            case 0xFF38: return "X"
            default: return c
            }
        })
    }

    static let rangeDashes: Set<Character> = ["-", "~", "～", "—", "－", "–"]
    static let perUnits: Set<Character> = ["月", "年", "人", "天", "次", "户", "日", "周", "件", "份", "张", "个"]
    static let phoneWords = ["电话", "热线", "拨打", "致电", "手机", "号码", "联系", "咨询", "来电", "回拨", "传真", "打"]
    /// Service hotlines (12333 social security, 12345 government, 95xxx banks) read as phone numbers even without a cue word.
    static let hotlinePrefixes = ["123", "95", "96"]
    /// Measure words and units after which a bare 2 is read 两.
    static let measureWords = [
        "个", "人", "次", "位", "张", "件", "天", "周", "项", "种", "份", "名", "户", "本", "台", "间", "条", "层",
        "斤", "倍", "类", "批", "期", "句", "遍", "步", "趟", "家", "所", "辆", "袋", "盒", "瓶", "回", "点", "档",
        "级", "角", "分", "块", "套", "笔", "处", "只", "双", "对", "岁", "年", "公里", "公斤", "千克", "小时", "分钟",
        "万", "亿", "千", "百",
    ]
}

/// Money as said aloud: 元, 角, 分.
enum NumberReading {
    static func money(_ integer: String, _ fraction: String) -> String {
        MandarinNumbers.money(yuan: integer.isEmpty ? "0" : integer, fraction: fraction)
    }
}

/// Phone numbers digit by digit with 幺; a mobile number in groups 3-4-4, a local number 4-4.
enum PhoneReading {
    static func read(_ groups: [String]) -> String {
        var parts = groups
        if parts.count == 1 {
            let d = parts[0]
            if d.count == 11 { parts = [slice(d, 0, 3), slice(d, 3, 7), slice(d, 7, 11)] }
            else if d.count == 8 { parts = [slice(d, 0, 4), slice(d, 4, 8)] }
        }
        return parts.map { MandarinNumbers.digits($0, yao: true) }.joined(separator: "，")
    }

    private static func slice(_ s: String, _ from: Int, _ to: Int) -> String {
        let a = s.index(s.startIndex, offsetBy: from)
        let b = s.index(s.startIndex, offsetBy: to)
        return String(s[a..<b])
    }
}

extension Character {
    /// A CJK ideograph (Hanzi).
    var isHan: Bool {
        guard let v = unicodeScalars.first?.value else { return false }
        return (0x4E00...0x9FFF).contains(v) || (0x3400...0x4DBF).contains(v)
    }

    var isASCIILetter: Bool {
        guard let a = asciiValue else { return false }
        return (65...90).contains(a) || (97...122).contains(a)
    }
}
