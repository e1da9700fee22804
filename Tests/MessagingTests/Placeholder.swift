import Testing
@Test func MessagingPlaceholder() { #expect(Bool(true)) }
