/// How numbers are said in Mandarin, written as Hanzi for the ear (pure).
///
/// Works on digit strings, so that long numbers never overflow.
public enum MandarinNumbers {
    static let digitHanzi: [Character] = ["零", "一", "二", "三", "四", "五", "六", "七", "八", "九"]

    /// Cardinal reading: 10 → 十, 105 → 一百零五, 1010 → 一千零一十, 20000 → 两万, 2000 → 两千.
    ///
    /// `beforeMeasureWord`: a bare 2 before a measure word is 两 (两个, 两岁, 两元); elsewhere 二.
    /// Numbers longer than 16 digits are read digit by digit.
    public static func cardinal(_ digits: some StringProtocol, beforeMeasureWord: Bool = false) -> String {
        let all = digits.compactMap { $0.asciiDigitValue }
        let d = Array(all.drop(while: { $0 == 0 }))
        if d.isEmpty { return "零" }
        if d.count > 16 { return self.digits(digits, yao: false) }
        if d == [2] { return beforeMeasureWord ? "两" : "二" }

        var sections: [[Int]] = []   // groups of four digits, least significant first
        var end = d.count
        while end > 0 {
            let start = max(0, end - 4)
            sections.append(Array(repeating: 0, count: 4 - (end - start)) + Array(d[start..<end]))
            end = start
        }
        let sectionUnits = ["", "万", "亿", "万亿"]
        var out = ""
        var zeroPending = false
        for index in stride(from: sections.count - 1, through: 0, by: -1) {
            let section = sections[index]
            if section.allSatisfy({ $0 == 0 }) {
                if !out.isEmpty { zeroPending = true }
                continue
            }
            if !out.isEmpty && (zeroPending || section[0] == 0) { out += "零" }
            out += sectionReading(section, isHead: out.isEmpty, hasUnit: index > 0)
            out += sectionUnits[index]
            zeroPending = false
        }
        return out
    }

    /// One group of four digits (千百十个), with 零 for inner gaps and no trailing zeros.
    private static func sectionReading(_ s: [Int], isHead: Bool, hasUnit: Bool) -> String {
        let placeUnits = ["千", "百", "十", ""]
        var out = ""
        var started = false
        var gap = false
        for place in 0..<4 {
            let v = s[place]
            if v == 0 {
                if started { gap = true }
                continue
            }
            if gap { out += "零"; gap = false }
            let onlyDigit = s[(place + 1)...].allSatisfy { $0 == 0 } && !started
            if v == 1 && place == 2 && !started && isHead {
                // 十, 十五, 十万: no 一 before a leading 十.
            } else if v == 2 && (place == 0 || (place == 3 && onlyDigit && hasUnit)) {
                out += "两"   // 两千, 两万, 两亿
            } else {
                out.append(digitHanzi[v])
            }
            out += placeUnits[place]
            started = true
        }
        return out
    }

    /// Digit by digit: 2025 → 二零二五; with `yao`, 1 is 幺 as on the phone (12333 → 幺二三三三).
    public static func digits(_ digits: some StringProtocol, yao: Bool) -> String {
        var out = ""
        for c in digits {
            guard let v = c.asciiDigitValue else { continue }
            out += (yao && v == 1) ? "幺" : String(digitHanzi[v])
        }
        return out
    }

    /// A decimal number: 3.5 → 三点五, 0.05 → 零点零五. The fraction is read digit by digit.
    public static func decimal(integer: some StringProtocol, fraction: some StringProtocol) -> String {
        let head = cardinal(integer)
        if fraction.isEmpty { return head }
        return head + "点" + digits(fraction, yao: false)
    }

    /// A sum of money in yuan: 1234.56 → 一千二百三十四元五角六分, 0.5 → 五角, 2 → 两元, 1234.05 → 一千二百三十四元零五分.
    ///
    /// More than two decimals are read as a decimal number of yuan (一点二三四元), never rounded.
    public static func money(yuan: some StringProtocol, fraction: some StringProtocol) -> String {
        if fraction.count > 2 { return decimal(integer: yuan, fraction: fraction) + "元" }
        let f = fraction.compactMap { $0.asciiDigitValue }
        let jiao = f.count > 0 ? f[0] : 0
        let fen = f.count > 1 ? f[1] : 0
        let yuanIsZero = yuan.allSatisfy { $0 == "0" }
        if jiao == 0 && fen == 0 { return cardinal(yuan, beforeMeasureWord: true) + "元" }
        var out = yuanIsZero ? "" : cardinal(yuan, beforeMeasureWord: true) + "元"
        if jiao > 0 {
            out += (jiao == 2 ? "两" : String(digitHanzi[jiao])) + "角"
        } else if !yuanIsZero {
            out += "零"
        }
        if fen > 0 { out += (fen == 2 ? "两" : String(digitHanzi[fen])) + "分" }
        return out
    }

    /// A percentage: 8 → 百分之八, 12.5 → 百分之十二点五, 100 → 百分之百.
    public static func percent(integer: some StringProtocol, fraction: some StringProtocol) -> String {
        if fraction.isEmpty && integer.drop(while: { $0 == "0" }) == "100" { return "百分之百" }
        return "百分之" + decimal(integer: integer, fraction: fraction)
    }
}

extension Character {
    /// 0–9 for ASCII digits only; nil for anything else (including other scripts' digits).
    var asciiDigitValue: Int? {
        guard let a = asciiValue, a >= 48, a <= 57 else { return nil }
        return Int(a - 48)
    }
}
