import Testing
@Test func RoutingPlaceholder() { #expect(Bool(true)) }
