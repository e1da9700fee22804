import Testing
@Test func BenefitsPlaceholder() { #expect(Bool(true)) }
