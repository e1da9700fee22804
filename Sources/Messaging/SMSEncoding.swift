/// The data coding a carrier uses for a short message.
public enum SMSEncoding: String, Sendable, Codable, CaseIterable {
    /// GSM 03.38 default alphabet, 7 bits a character (Kannel `coding=0`).
    case gsm7 = "GSM-7"
    /// UCS-2, 16 bits a UTF-16 code unit (Kannel `coding=2`).
    case ucs2 = "UCS-2"

    /// The encoding carriers pick for `text`: GSM-7 when every character is in the alphabet, else UCS-2.
    public static func required(for text: String) -> SMSEncoding {
        GSM7Alphabet.canEncode(text) ? .gsm7 : .ucs2
    }

    /// Units `scalar` costs in this encoding: septets for GSM-7, UTF-16 code units for UCS-2.
    /// Returns nil for a scalar GSM-7 cannot carry.
    public func units(of scalar: Unicode.Scalar) -> Int? {
        switch self {
        case .gsm7: return GSM7Alphabet.septets(scalar)
        case .ucs2: return scalar.utf16.count
        }
    }
}

/// How many units fit in one message, alone or as a part of a concatenated one.
public struct SMSLimits: Sendable, Equatable, Codable {
    /// Units in a message that is sent alone (160 GSM-7, 70 UCS-2).
    public let single: Int
    /// Units in each part of a concatenated message (153 GSM-7, 67 UCS-2 with an 8-bit reference UDH).
    public let perPart: Int

    public init(single: Int, perPart: Int) {
        self.single = single
        self.perPart = perPart
    }

    /// The usual limits: 140 octets, with a 6-octet UDH (8-bit reference) in concatenated parts.
    public static func standard(_ encoding: SMSEncoding) -> SMSLimits {
        switch encoding {
        case .gsm7: return SMSLimits(single: 160, perPart: 153)
        case .ucs2: return SMSLimits(single: 70, perPart: 67)
        }
    }

    /// Limits when the concatenation UDH carries a 16-bit reference (7 octets): 152 GSM-7, 66 UCS-2 per part.
    public static func sixteenBitReference(_ encoding: SMSEncoding) -> SMSLimits {
        switch encoding {
        case .gsm7: return SMSLimits(single: 160, perPart: 152)
        case .ucs2: return SMSLimits(single: 70, perPart: 66)
        }
    }
}
