import Foundation

/// RIFF/WAVE files, mono: 16-bit linear PCM, or 8-bit G.711 A-law / µ-law for telephone gateways.
public enum WAVFile {
    /// WAVE format tags.
    public enum Encoding: UInt16, Sendable {
        case pcm16 = 1
        case aLaw = 6
        case muLaw = 7
    }

    /// What a WAV file holds, read back from its header.
    public struct Info: Sendable, Equatable {
        public let encoding: Encoding
        public let channels: Int
        public let sampleRate: Int
        public let bitsPerSample: Int
        /// The bytes of the data chunk.
        public let payload: Data

        public var sampleCount: Int { payload.count / max(1, channels * bitsPerSample / 8) }
        public var duration: Double { Double(sampleCount) / Double(sampleRate) }

        /// The samples as 16-bit linear PCM (G.711 decoded).
        public var linearSamples: [Int16] {
            switch encoding {
            case .pcm16:
                var out = [Int16](repeating: 0, count: payload.count / 2)
                payload.withUnsafeBytes { raw in
                    for i in 0..<out.count { out[i] = Int16(littleEndian: raw.loadUnaligned(fromByteOffset: 2 * i, as: Int16.self)) }
                }
                return out
            case .aLaw: return G711.decode([UInt8](payload), law: .aLaw)
            case .muLaw: return G711.decode([UInt8](payload), law: .muLaw)
            }
        }
    }

    public static func pcm16(_ samples: [Int16], sampleRate: Int) -> Data {
        var payload = Data(count: samples.count * 2)
        payload.withUnsafeMutableBytes { raw in
            for (i, s) in samples.enumerated() { raw.storeBytes(of: s.littleEndian, toByteOffset: 2 * i, as: Int16.self) }
        }
        return file(encoding: .pcm16, sampleRate: sampleRate, bitsPerSample: 16, sampleCount: samples.count, payload: payload)
    }

    public static func g711(_ codes: [UInt8], law: G711.Law, sampleRate: Int) -> Data {
        file(encoding: law == .aLaw ? .aLaw : .muLaw, sampleRate: sampleRate, bitsPerSample: 8,
             sampleCount: codes.count, payload: Data(codes))
    }

    private static func file(encoding: Encoding, sampleRate: Int, bitsPerSample: Int, sampleCount: Int, payload: Data) -> Data {
        let blockAlign = bitsPerSample / 8
        let compressed = encoding != .pcm16
        var fmt = Data()
        fmt.appendLE(encoding.rawValue)
        fmt.appendLE(UInt16(1))
        fmt.appendLE(UInt32(sampleRate))
        fmt.appendLE(UInt32(sampleRate * blockAlign))
        fmt.appendLE(UInt16(blockAlign))
        fmt.appendLE(UInt16(bitsPerSample))
        if compressed { fmt.appendLE(UInt16(0)) }   // cbSize: non-PCM formats carry it

        var body = Data("WAVE".utf8)
        body.appendChunk("fmt ", fmt)
        if compressed {
            var fact = Data()
            fact.appendLE(UInt32(sampleCount))
            body.appendChunk("fact", fact)
        }
        body.appendChunk("data", payload)
        var out = Data("RIFF".utf8)
        out.appendLE(UInt32(body.count))
        out.append(body)
        return out
    }

    public static func parse(_ data: Data) throws -> Info {
        let bytes = [UInt8](data)
        func u16(_ o: Int) -> UInt16 { UInt16(bytes[o]) | UInt16(bytes[o + 1]) << 8 }
        func u32(_ o: Int) -> UInt32 { UInt32(u16(o)) | UInt32(u16(o + 2)) << 16 }
        func tag(_ o: Int) -> String { String(decoding: bytes[o..<o + 4], as: UTF8.self) }
        guard bytes.count >= 12, tag(0) == "RIFF", tag(8) == "WAVE" else { throw SpeechError.invalidWAV(reason: "no RIFF/WAVE header") }
        var offset = 12
        var format: (Encoding, Int, Int, Int)?
        while offset + 8 <= bytes.count {
            let id = tag(offset)
            let size = Int(u32(offset + 4))
            let start = offset + 8
            // The program writes 0x7FFFFFFF as the data size when streaming to a pipe: take what is there.
            let end = min(bytes.count, start + size)
            if id == "fmt " {
                guard size >= 16, start + 16 <= bytes.count else { throw SpeechError.invalidWAV(reason: "fmt chunk too short") }
                guard let encoding = Encoding(rawValue: u16(start)) else {
                    throw SpeechError.invalidWAV(reason: "format tag \(u16(start)) is not PCM, A-law or µ-law")
                }
                format = (encoding, Int(u16(start + 2)), Int(u32(start + 4)), Int(u16(start + 14)))
            } else if id == "data" {
                guard let (encoding, channels, rate, bits) = format else { throw SpeechError.invalidWAV(reason: "data before fmt") }
                return Info(encoding: encoding, channels: channels, sampleRate: rate, bitsPerSample: bits,
                            payload: Data(bytes[start..<end]))
            }
            offset = start + size + (size & 1)
        }
        throw SpeechError.invalidWAV(reason: "no data chunk")
    }
}

extension Data {
    mutating func appendLE(_ v: UInt16) { Swift.withUnsafeBytes(of: v.littleEndian) { append(contentsOf: $0) } }
    mutating func appendLE(_ v: UInt32) { Swift.withUnsafeBytes(of: v.littleEndian) { append(contentsOf: $0) } }
    mutating func appendChunk(_ id: String, _ body: Data) {
        append(contentsOf: Array(id.utf8))
        appendLE(UInt32(body.count))
        append(body)
        if body.count & 1 == 1 { append(0) }
    }
}
