/// Words a voice says wrongly, respelled so that it says them right (pure).
///
/// espeak-ng 1.51's `cmn-latn-pinyin` reads many polyphonic characters with their most common reading:
/// 银行 as yín xíng, 还款 as hái kuǎn, 重新 as zhòng xīn. Those words are replaced by tone-numbered pinyin,
/// which the voice reads as Mandarin. Every entry was checked against the voice's phonemes; the tests pin them.
public struct PronunciationFixes: Sendable {
    /// Word → pinyin with tone digits, as the voice reads it.
    public let respellings: [String: String]
    private let longestFirst: [(String, String)]

    public init(respellings: [String: String]) {
        self.respellings = respellings
        self.longestFirst = respellings.sorted { $0.key.count != $1.key.count ? $0.key.count > $1.key.count : $0.key < $1.key }
    }

    /// The fixes for a voice name; none for a voice that needs none.
    public static func forVoice(_ voice: String) -> PronunciationFixes {
        voice.lowercased() == "cmn-latn-pinyin" ? cmnLatnPinyin : PronunciationFixes(respellings: [:])
    }

    /// Replaces every listed word, longest first, by its respelling set off by spaces.
    public func apply(to text: String) -> String {
        if longestFirst.isEmpty { return text }
        var out = ""
        var rest = Substring(text)
        outer: while !rest.isEmpty {
            for (word, pinyin) in longestFirst where rest.hasPrefix(word) {
                if let last = out.last, last != " " { out += " " }
                out += pinyin + " "
                rest = rest.dropFirst(word.count)
                continue outer
            }
            out.append(rest.removeFirst())
        }
        return out
    }

    /// Words of explainers and service notices that espeak-ng 1.51 `cmn-latn-pinyin` misreads.
    public static let cmnLatnPinyin = PronunciationFixes(respellings: [
        "银行": "yin2hang2", "行业": "hang2ye4", "农行": "nong2hang2", "工行": "gong1hang2", "建行": "jian4hang2",
        "还款": "huan2kuan3", "归还": "gui1huan2", "退还": "tui4huan2", "偿还": "chang2huan2", "返还": "fan3huan2",
        "还给": "huan2gei3", "还本": "huan2ben3",
        "重新": "chong2xin1", "重复": "chong2fu4", "重办": "chong2ban4", "重申": "chong2shen1",
        "了解": "liao3jie3", "得到": "de2dao4", "获得": "huo4de2", "取得": "qu3de2",
        "作为": "zuo4wei2", "成为": "cheng2wei2", "认为": "ren4wei2", "视为": "shi4wei2",
        "调整": "tiao2zheng3", "差额": "cha1e2", "差别": "cha1bie2", "给付": "ji3fu4", "供给": "gong1ji3", "给予": "ji3yu3",
        "地方": "di4fang1", "当地": "dang1di4", "会计": "kuai4ji4", "长辈": "zhang3bei4", "家长": "jia1zhang3",
        "睡觉": "shui4jiao4", "着急": "zhao2ji2", "音乐": "yin1yue4", "尽快": "jin3kuai4",
    ])
}
