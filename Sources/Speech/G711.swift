/// ITU-T G.711 companding of 16-bit linear PCM: A-law (Europe, China) and µ-law (North America, Japan).
///
/// The segment tables follow the reference algorithm (CCITT, as in Sun's public-domain g711.c):
/// 13-bit linear for A-law, 14-bit for µ-law, eight segments of sixteen steps each.
public enum G711 {
    public enum Law: String, Sendable, CaseIterable {
        case aLaw = "alaw"
        case muLaw = "ulaw"
    }

    private static let aLawSegmentEnds: [Int32] = [0x1F, 0x3F, 0x7F, 0xFF, 0x1FF, 0x3FF, 0x7FF, 0xFFF]
    private static let muLawSegmentEnds: [Int32] = [0x3F, 0x7F, 0xFF, 0x1FF, 0x3FF, 0x7FF, 0xFFF, 0x1FFF]
    private static let muLawBias: Int32 = 0x84
    private static let muLawClip: Int32 = 8159

    private static func segment(_ value: Int32, _ ends: [Int32]) -> Int32 {
        for (i, end) in ends.enumerated() where value <= end { return Int32(i) }
        return 8
    }

    public static func aLaw(_ sample: Int16) -> UInt8 {
        var pcm = Int32(sample) >> 3
        let mask: Int32
        if pcm >= 0 { mask = 0xD5 } else { mask = 0x55; pcm = -pcm - 1 }
        let seg = segment(pcm, aLawSegmentEnds)
        if seg >= 8 { return UInt8(truncatingIfNeeded: 0x7F ^ mask) }
        var aval = seg << 4
        aval |= (seg < 2 ? (pcm >> 1) : (pcm >> seg)) & 0x0F
        return UInt8(truncatingIfNeeded: aval ^ mask)
    }

    public static func decodeALaw(_ code: UInt8) -> Int16 {
        let a = Int32(code) ^ 0x55
        var t = (a & 0x0F) << 4
        let seg = (a & 0x70) >> 4
        switch seg {
        case 0: t += 8
        case 1: t += 0x108
        default: t += 0x108; t <<= seg - 1
        }
        return Int16((a & 0x80) != 0 ? t : -t)
    }

    public static func muLaw(_ sample: Int16) -> UInt8 {
        var pcm = Int32(sample) >> 2
        let mask: Int32
        if pcm < 0 { pcm = -pcm; mask = 0x7F } else { mask = 0xFF }
        if pcm > muLawClip { pcm = muLawClip }
        pcm += muLawBias >> 2
        let seg = segment(pcm, muLawSegmentEnds)
        if seg >= 8 { return UInt8(truncatingIfNeeded: 0x7F ^ mask) }
        let uval = (seg << 4) | ((pcm >> (seg + 1)) & 0x0F)
        return UInt8(truncatingIfNeeded: uval ^ mask)
    }

    public static func decodeMuLaw(_ code: UInt8) -> Int16 {
        let u = Int32(~code)
        var t = ((u & 0x0F) << 3) + muLawBias
        t <<= (u & 0x70) >> 4
        return Int16((u & 0x80) != 0 ? (muLawBias - t) : (t - muLawBias))
    }

    public static func encode(_ samples: [Int16], law: Law) -> [UInt8] {
        switch law {
        case .aLaw: return samples.map(aLaw)
        case .muLaw: return samples.map(muLaw)
        }
    }

    public static func decode(_ codes: [UInt8], law: Law) -> [Int16] {
        switch law {
        case .aLaw: return codes.map(decodeALaw)
        case .muLaw: return codes.map(decodeMuLaw)
        }
    }
}
