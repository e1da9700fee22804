/// The sender's signature that Chinese carriers require, shown as `【name】` and counted in the length.
///
/// Providers (Aliyun, Tencent, Huawei) take the name without brackets and prepend `【name】` themselves;
/// with Kannel/SMPP there is no signature concept and the text must carry it. Either way it counts.
public struct SMSSignature: Sendable, Equatable, Hashable, Codable, CustomStringConvertible {
    /// The name without brackets, e.g. `昆明民政`.
    public let name: String

    /// Accepts `昆明民政` or `【昆明民政】` (surrounding whitespace ignored).
    public init(_ raw: String) throws(MessagingError) {
        var name = raw.trimmingWhitespace()
        if name.hasPrefix("【") && name.hasSuffix("】") && name.count >= 2 {
            name = String(name.dropFirst().dropLast()).trimmingWhitespace()
        }
        guard !name.isEmpty else { throw .invalidSignature(raw, reason: "it is empty") }
        guard !name.contains("【") && !name.contains("】") else {
            throw .invalidSignature(raw, reason: "brackets 【】 may only surround the whole name")
        }
        guard !name.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
            throw .invalidSignature(raw, reason: "it contains a control character")
        }
        self.name = name
    }

    /// Decodes from the name as a string, with the same checks as `init(_:)`.
    public init(from decoder: Decoder) throws {
        let raw = try decoder.singleValueContainer().decode(String.self)
        try self.init(raw)
    }

    /// Encodes as the bare name.
    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(name)
    }

    /// `【name】`, as the handset shows it.
    public var bracketed: String { "【\(name)】" }

    public var description: String { bracketed }

    /// The text as carriers count and deliver it: `【name】` followed by `body`.
    public func signing(_ body: String) -> String { bracketed + body }
}

extension String {
    func trimmingWhitespace() -> String {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
              let last = scalars.lastIndex(where: { !$0.properties.isWhitespace }) else { return "" }
        return String(scalars[first...last])
    }
}
