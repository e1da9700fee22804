/// Choosing the espeak-ng voice that really speaks Mandarin, by the phonemes it produces (pure checks).
///
/// On espeak-ng 1.51 `cmn` turns most Hanzi into pinyin read by English rules (its phonemes carry an `(en)`
/// language switch); `cmn-latn-pinyin` speaks them as Mandarin, with tone numbers on every syllable.
public enum MandarinVoice {
    /// Voices tried in order.
    public static let candidates = ["cmn-latn-pinyin", "cmn", "zh"]

    /// Sentences of the kind the explainers say, used to test a voice.
    public static let probeSentences = [
        "您好，这是县社会保障局的通知。",
        "您每月的养老金已经发放到银行卡。",
        "长期重度残疾的老人，还可以申请护理补贴。",
        "如有疑问，请拨打幺二三三三。",
    ]

    /// True when espeak-ng phonemes read as Mandarin: no switch to another language, and a tone on
    /// (nearly) every Hanzi of `text`.
    public static func isMandarin(phonemes: String, for text: String) -> Bool {
        if phonemes.contains("(") { return false }   // "(en)…(cmn)": the voice switched language
        let hanzi = text.filter(\.isHan).count
        return toneCount(phonemes) * 10 >= hanzi * 9
    }

    /// Number of Mandarin tone marks (55, 35, 214, 51, and the neutral 11/21) in espeak-ng phonemes.
    static func toneCount(_ phonemes: String) -> Int {
        var count = 0
        var run = ""
        for c in phonemes + " " {
            if c.isNumber { run.append(c); continue }
            if ["55", "35", "214", "51", "11", "21"].contains(run) { count += 1 }
            run = ""
        }
        return count
    }
}
