import ArgumentParser
import Foundation
import Messaging

/// `carnation sms …`: SMS text tools.
struct SMSCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sms",
        abstract: "SMS text tools: inspect encoding and segments.",
        subcommands: [SMSInspect.self]
    )
}

/// `carnation sms inspect --text T [--signature S] [--json]`: encoding, units and segments as carriers count them.
struct SMSInspect: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inspect",
        abstract: "Show the encoding, length in carrier units and segment count of an SMS text.",
        discussion: """
        GSM-7 counts septets (^ { } [ ] ~ \\ | € count two): 160 alone, 153 a part.
        Anything else is UCS-2 counted in UTF-16 units (an emoji or rare Hanzi counts two): 70 alone, 67 a part.
        The signature is counted as 【name】, in front of the text.
        """
    )

    @Option(name: .long, help: "The message text.")
    var text: String

    @Option(name: .long, help: "Sender signature, with or without 【】 (e.g. 昆明民政).")
    var signature: String?

    @Flag(name: .long, help: "Print JSON instead of a table.")
    var json = false

    func run() throws {
        var signature: SMSSignature? = nil
        if let raw = self.signature {
            do { signature = try SMSSignature(raw) } catch { throw ValidationError(error.description) }
        }
        let m = SMSSegmenter.measure(text, signature: signature)
        if json {
            let report = InspectReport(encoding: m.encoding.rawValue, units: m.units, segments: m.segments,
                                       partUnits: m.partUnits, signature: signature?.bracketed)
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            print(String(decoding: try encoder.encode(report), as: UTF8.self))
        } else {
            var rows: [(String, String)] = [
                ("encoding", m.encoding.rawValue),
                ("units", "\(m.units)"),
                ("segments", "\(m.segments)"),
                ("limit", m.segments == 1 ? "\(m.limits.single) alone" : "\(m.limits.perPart) a part"),
            ]
            if m.segments > 1 {
                rows.append(("parts", m.partUnits.map(String.init).joined(separator: " + ")))
            }
            rows.append(("units left", "\(m.unitsLeft) before another segment"))
            if let signature { rows.append(("signature", "\(signature.bracketed) (counted)")) }
            let width = rows.map(\.0.count).max() ?? 0
            for (key, value) in rows {
                print(key.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + value)
            }
        }
    }

    private struct InspectReport: Encodable {
        let encoding: String
        let units: Int
        let segments: Int
        let partUnits: [Int]
        let signature: String?
    }
}
