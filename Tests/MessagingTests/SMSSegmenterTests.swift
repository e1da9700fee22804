import Foundation
import Testing
@testable import Messaging

/// `count` copies of a Hanzi: one UCS-2 unit each.
private func hanzi(_ count: Int) -> String { String(repeating: "养", count: count) }

/// U+20BB7 𠮷, a CJK Extension B character (seen in names): two UTF-16 units.
private let extB = "\u{20BB7}"
private let emoji = "😀"

@Suite("SMS encoding and segments")
struct SMSSegmenterTests {
    @Test func plainASCIIIsGSM7() {
        let m = SMSSegmenter.measure("Hello, your pension rises by 20 yuan.")
        #expect(m.encoding == .gsm7)
        #expect(m.units == 37)
        #expect(m.segments == 1)
    }

    @Test func gsm7SingleAndConcatenatedBoundaries() {
        #expect(SMSSegmenter.measure(String(repeating: "a", count: 160)).segments == 1)
        let m161 = SMSSegmenter.measure(String(repeating: "a", count: 161))
        #expect(m161.segments == 2)
        #expect(m161.partUnits == [153, 8])
        #expect(SMSSegmenter.measure(String(repeating: "a", count: 306)).segments == 2)
        #expect(SMSSegmenter.measure(String(repeating: "a", count: 307)).segments == 3)
    }

    @Test func gsm7EscapeCharactersCountTwo() {
        let m = SMSSegmenter.measure("{}[]~\\|^€")
        #expect(m.encoding == .gsm7)
        #expect(m.units == 18)
        // 159 plain + one escape = 161 septets: two segments although only 160 characters.
        let over = SMSSegmenter.measure(String(repeating: "a", count: 159) + "€")
        #expect(over.units == 161)
        #expect(over.segments == 2)
        let exact = SMSSegmenter.measure(String(repeating: "a", count: 158) + "€")
        #expect(exact.units == 160)
        #expect(exact.segments == 1)
    }

    @Test func gsm7EscapePairIsNeverSplitAcrossParts() {
        // 152 septets, then an escape pair that would straddle septets 153/154: it moves to part 2.
        let text = String(repeating: "a", count: 152) + "€" + String(repeating: "b", count: 10)
        let m = SMSSegmenter.measure(text)
        #expect(m.partUnits == [152, 12])
        #expect(m.parts[1].hasPrefix("€"))
        #expect(m.parts.joined() == text)
    }

    @Test func gsm7BasicTableExtrasStayGSM7() {
        let m = SMSSegmenter.measure("@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ¤¡ÄÖÑÜ§¿äöñüà")
        #expect(m.encoding == .gsm7)
        #expect(m.units == m.text.unicodeScalars.count)
    }

    @Test func oneNonGSMCharacterSwitchesTheWholeMessageToUCS2() {
        let latin = String(repeating: "a", count: 100)
        #expect(SMSSegmenter.measure(latin).segments == 1)
        let m = SMSSegmenter.measure(latin + "元")
        #expect(m.encoding == .ucs2)
        #expect(m.units == 101)
        #expect(m.segments == 2)
        // Full-width punctuation is not GSM-7 either.
        #expect(SMSSegmenter.measure("Hello，").encoding == .ucs2)
    }

    @Test func ucs2SeventyAndSeventyOneUnits() {
        let seventy = SMSSegmenter.measure(hanzi(70))
        #expect(seventy.encoding == .ucs2)
        #expect(seventy.units == 70)
        #expect(seventy.segments == 1)
        #expect(seventy.unitsLeft == 0)
        let seventyOne = SMSSegmenter.measure(hanzi(71))
        #expect(seventyOne.segments == 2)
        #expect(seventyOne.partUnits == [67, 4])
        #expect(SMSSegmenter.measure(hanzi(134)).segments == 2)
        #expect(SMSSegmenter.measure(hanzi(135)).segments == 3)
    }

    @Test func kannelObservedSplitOf98Hanzi() {
        // messaging.md §3.3: 98 Chinese characters → 67 + 31.
        #expect(SMSSegmenter.measure(hanzi(98)).partUnits == [67, 31])
    }

    @Test func nonBMPCharactersCountTwoUnits() {
        let name = "张" + extB + "华"
        let m = SMSSegmenter.measure(name)
        #expect(m.units == 4)
        // 69 Hanzi + one Ext-B = 71 units: two segments although 70 Characters.
        let over = SMSSegmenter.measure(hanzi(69) + extB)
        #expect(over.text.count == 70)
        #expect(over.units == 71)
        #expect(over.segments == 2)
        let fits = SMSSegmenter.measure(hanzi(68) + emoji)
        #expect(fits.units == 70)
        #expect(fits.segments == 1)
    }

    @Test func surrogatePairAtThePartBoundaryMovesWholeAndCanAddASegment() {
        // 66 Hanzi, then an emoji at units 67–68, then 66 Hanzi: 134 units, which naively is 2 × 67,
        // but the pair may not be split, so part 1 holds 66 units and part 2 would hold 68 → 3 parts.
        let text = hanzi(66) + emoji + hanzi(66)
        let m = SMSSegmenter.measure(text)
        #expect(m.units == 134)
        #expect(m.partUnits == [66, 67, 1])
        #expect(m.segments == 3)
        #expect(m.parts[1].hasPrefix(emoji))
        #expect(m.parts.joined() == text)
        for part in m.parts {
            // Every part is valid UTF-16 on its own: no lone surrogate.
            #expect(String(decoding: Array(part.utf16), as: UTF16.self) == part)
        }
    }

    @Test func extBJustBeforeTheBoundaryStaysInPartOne() {
        let text = hanzi(65) + extB + hanzi(10)   // Ext-B at units 66–67: fits part 1 exactly.
        let m = SMSSegmenter.measure(text)
        #expect(m.partUnits == [67, 10])
        #expect(m.parts[0].hasSuffix(extB))
    }

    @Test func signatureIsCountedWithItsBrackets() throws {
        let signature = try SMSSignature("昆明民政")
        #expect(signature.bracketed == "【昆明民政】")
        let body = hanzi(64)
        let signed = SMSSegmenter.measure(body, signature: signature)
        #expect(signed.units == 70)
        #expect(signed.segments == 1)
        #expect(signed.text.hasPrefix("【昆明民政】"))
        let longer = SMSSegmenter.measure(hanzi(65), signature: signature)
        #expect(longer.units == 71)
        #expect(longer.segments == 2)
        #expect(SMSSegmenter.singleSegmentBudget(signature: signature) == 64)
        #expect(SMSSegmenter.singleSegmentBudget(signature: nil) == 70)
    }

    @Test func signatureForcesUCS2OnLatinText() throws {
        let m = SMSSegmenter.measure("Pension rises", signature: try SMSSignature("Kunming"))
        #expect(m.encoding == .ucs2)
        #expect(m.units == 13 + 9)
    }

    @Test func signatureAcceptsBracketsAndRejectsNonsense() throws {
        #expect(try SMSSignature(" 【昆明民政】 ").name == "昆明民政")
        #expect(throws: MessagingError.self) { try SMSSignature("") }
        #expect(throws: MessagingError.self) { try SMSSignature("【】") }
        #expect(throws: MessagingError.self) { try SMSSignature("昆明【民政】") }
    }

    @Test func signatureDecodingChecksLikeTheInitialiser() throws {
        let decoded = try JSONDecoder().decode([SMSSignature].self, from: Data(#"["【昆明民政】"]"#.utf8))
        #expect(decoded.first?.name == "昆明民政")
        #expect(throws: (any Error).self) { try JSONDecoder().decode([SMSSignature].self, from: Data(#"["【】"]"#.utf8)) }
    }

    @Test func sixteenBitReferenceLimits() {
        let m = SMSSegmenter.measure(hanzi(133), encoding: .ucs2, limits: .sixteenBitReference(.ucs2))
        #expect(m.partUnits == [66, 66, 1])
    }

    @Test func emptyTextIsOneEmptySegment() {
        let m = SMSSegmenter.measure("")
        #expect(m.encoding == .gsm7)
        #expect(m.units == 0)
        #expect(m.segments == 1)
    }

    @Test func crlfCountsTwoSeptets() {
        // "\r\n" is one Swift Character but two GSM-7 characters.
        #expect(SMSSegmenter.measure("a\r\nb").units == 4)
    }

    @Test func gsm7RequestForChineseIsMeasuredAsUCS2() {
        let m = SMSSegmenter.measure("养老金", encoding: .gsm7, limits: .standard(.gsm7))
        #expect(m.encoding == .ucs2)
        #expect(m.units == 3)
    }
}
