import Testing
@Test func SpeechPlaceholder() { #expect(Bool(true)) }
