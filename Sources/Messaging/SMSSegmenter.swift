/// How a text travels as SMS: its encoding, its length in carrier units, and its parts.
public struct SMSMeasurement: Sendable, Equatable, Codable {
    /// The full text measured (signature included when one was given).
    public let text: String
    public let encoding: SMSEncoding
    /// Length in carrier units: septets (GSM-7, escapes count two) or UTF-16 code units (UCS-2).
    public let units: Int
    /// The limits the text was split by.
    public let limits: SMSLimits
    /// The parts as sent, in order; one part when the text fits a single SMS. An empty text is one empty part.
    public let parts: [String]
    /// Units in each part, in order.
    public let partUnits: [Int]

    /// Number of SMS the carrier sends and bills.
    public var segments: Int { parts.count }

    /// Units still free before the text would need one more segment.
    public var unitsLeft: Int {
        segments == 1 ? limits.single - units : limits.perPart - (partUnits.last ?? 0)
    }
}

/// Counts and splits SMS text as carriers do (GSM 03.38 / 03.40 concatenation).
///
/// A part never splits a character: a GSM-7 escape pair stays together and a UCS-2 surrogate pair
/// (an emoji, a rare CJK Extension B character in a name) stays together; when one would straddle the
/// boundary it moves whole to the next part, which can add a segment.
public enum SMSSegmenter {
    /// Measures `text` with the standard limits of the encoding it requires.
    public static func measure(_ text: String) -> SMSMeasurement {
        let encoding = SMSEncoding.required(for: text)
        return measure(text, encoding: encoding, limits: .standard(encoding))
    }

    /// Measures `signature.signing(body)`: the signature is part of what the carrier counts.
    public static func measure(_ body: String, signature: SMSSignature?) -> SMSMeasurement {
        measure(signature.map { $0.signing(body) } ?? body)
    }

    /// Measures `text` in `encoding` with `limits`. A GSM-7 request for text outside the alphabet is
    /// measured as UCS-2, since that is what a carrier would have to send.
    public static func measure(_ text: String, encoding: SMSEncoding, limits: SMSLimits) -> SMSMeasurement {
        let encoding: SMSEncoding = encoding == .gsm7 && !GSM7Alphabet.canEncode(text) ? .ucs2 : encoding
        var costs: [Int] = []
        costs.reserveCapacity(text.unicodeScalars.count)
        var total = 0
        for scalar in text.unicodeScalars {
            let cost = encoding.units(of: scalar) ?? 2
            costs.append(cost)
            total += cost
        }
        if total <= limits.single {
            return SMSMeasurement(text: text, encoding: encoding, units: total, limits: limits,
                                  parts: [text], partUnits: [total])
        }
        var parts: [String] = []
        var partUnits: [Int] = []
        var current = String.UnicodeScalarView()
        var used = 0
        for (scalar, cost) in zip(text.unicodeScalars, costs) {
            if used + cost > limits.perPart {
                parts.append(String(current))
                partUnits.append(used)
                current = String.UnicodeScalarView()
                used = 0
            }
            current.append(scalar)
            used += cost
        }
        parts.append(String(current))
        partUnits.append(used)
        return SMSMeasurement(text: text, encoding: encoding, units: total, limits: limits,
                              parts: parts, partUnits: partUnits)
    }

    /// The parts `text` is sent as (see `measure(_:)`).
    public static func split(_ text: String) -> [String] {
        measure(text).parts
    }

    /// Units of body text that still fit in one segment after `signature`, in the given encoding.
    /// For a Chinese explainer with `【昆明民政】` this is 70 − 6 = 64.
    public static func singleSegmentBudget(signature: SMSSignature?, encoding: SMSEncoding = .ucs2) -> Int {
        let signatureUnits = signature.map { measure($0.bracketed, encoding: encoding, limits: .standard(encoding)).units } ?? 0
        return SMSLimits.standard(encoding).single - signatureUnits
    }
}
