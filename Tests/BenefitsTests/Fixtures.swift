import Foundation
@testable import Benefits

/// The project's real policy files, loaded once.
enum Fixtures {
    static let policyDirectory: URL = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath()
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("content/policy")

    static let book: PolicyBook = {
        do { return try PolicyLoader.load(directory: policyDirectory) } catch { fatalError("content/policy does not load: \(error)") }
    }()

    static let yunnan = try! Region(parsing: "53")

    static func ym(_ text: String) -> YearMonth { try! YearMonth(parsing: text) }
    static func yuan(_ text: String) -> Money { Money(roundingYuan: Decimal(string: text)!) }
    static func age(_ text: String) -> AgeInMonths { try! AgeInMonths(parsing: text) }
}
