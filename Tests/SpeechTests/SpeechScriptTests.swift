import Testing
@testable import Speech

@Suite("Speech scripts: pauses, closing repeat, respellings")
struct SpeechScriptTests {
    @Test("a pause follows every sentence")
    func pauses() {
        let script = SpeechScript(text: "您好。养老金已发放！有问题吗？", voice: "cmn-latn-pinyin")
        #expect(script.ssml.hasPrefix("<speak>") && script.ssml.hasSuffix("</speak>"))
        #expect(script.ssml.components(separatedBy: "<break time=\"900ms\"/>").count == 3)
    }

    @Test("the closing repeat says the key sentence again after a longer pause")
    func closingRepeat() {
        let script = SpeechScript(text: "您每月领1234元。", closingRepeat: "每月1234元。", voice: "cmn-latn-pinyin")
        #expect(script.spokenText == "您每月领一千二百三十四元。\n我再说一遍。每月一千二百三十四元。")
        #expect(script.ssml.contains("<break time=\"1500ms\"/>我再说一遍。"))
    }

    @Test("numbers are normalised and polyphones respelled for cmn-latn-pinyin only")
    func respelling() {
        let pinyin = SpeechScript(text: "请到银行还款2次。", voice: "cmn-latn-pinyin")
        #expect(pinyin.ssml.contains("yin2hang2"))
        #expect(pinyin.ssml.contains("huan2kuan3"))
        #expect(pinyin.ssml.contains("两次"))
        #expect(pinyin.spokenText == "请到银行还款两次。")
        let other = SpeechScript(text: "请到银行还款。", voice: "cmn")
        #expect(!other.ssml.contains("yin2hang2"))
    }

    @Test("markup characters in the text are escaped")
    func escaping() {
        let script = SpeechScript(text: "A<B & C>D", voice: "cmn-latn-pinyin")
        #expect(script.ssml == "<speak>A&lt;B &amp; C&gt;D</speak>")
    }

    @Test("longest respelling wins and the rest of the text is kept")
    func longestFirst() {
        let fixes = PronunciationFixes(respellings: ["银行": "yin2hang2", "行": "xing2", "银行业": "yin2hang2ye4"])
        #expect(fixes.apply(to: "银行业和银行") == "yin2hang2ye4 和 yin2hang2 ")
    }

    @Test("sentence splitting keeps punctuation and drops empty pieces")
    func sentences() {
        #expect(SpeechScript.sentences("一。二！\n\n三") == ["一。", "二！", "三"])
    }
}
