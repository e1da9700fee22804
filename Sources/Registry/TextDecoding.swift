#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The text encodings department exports come in.
public enum SourceEncoding: String, Sendable {
    case utf8 = "UTF-8"
    case utf8BOM = "UTF-8 (BOM)"
    case gb18030 = "GB18030"
    case utf16LE = "UTF-16LE"
    case utf16BE = "UTF-16BE"
}

/// Turns the bytes of a department file into UTF-8, chunk by chunk, detecting the encoding.
///
/// Detection: a byte-order mark decides; otherwise the first chunk that holds non-ASCII bytes
/// decides — valid UTF-8 means UTF-8, anything else GB18030 (a superset of GBK and GB2312, which
/// Excel on Chinese Windows writes). Pure ASCII is UTF-8. No one is asked.
public struct UTF8Transcoder {
    public private(set) var encoding: SourceEncoding?
    private var pending: [UInt8] = []
    private var converter: IconvConverter?
    private var sawFirstChunk = false
    private var decidedByContent = false

    public init() {}

    /// Feeds raw bytes; returns the UTF-8 bytes that are complete so far.
    public mutating func transcode(_ chunk: [UInt8], lineHint: Int = 0) throws(DecodingFailure) -> [UInt8] {
        var input = pending + chunk
        pending = []
        if !sawFirstChunk {
            if input.count < 3 && !chunk.isEmpty { pending = input; return [] }
            sawFirstChunk = true
            if input.starts(with: [0xEF, 0xBB, 0xBF]) { encoding = .utf8BOM; input.removeFirst(3) }
            else if input.starts(with: [0xFF, 0xFE]) { encoding = .utf16LE; input.removeFirst(2) }
            else if input.starts(with: [0xFE, 0xFF]) { encoding = .utf16BE; input.removeFirst(2) }
        }
        if encoding == nil {
            if input.allSatisfy({ $0 < 0x80 }) { return input }
            encoding = UTF8Transcoder.looksLikeUTF8(input) ? .utf8 : .gb18030
            decidedByContent = true
        }
        switch encoding! {
        case .utf8, .utf8BOM:
            // Keep an incomplete trailing sequence for the next chunk.
            let cut = UTF8Transcoder.completePrefixLength(input)
            pending = Array(input[cut...])
            let body = Array(input[..<cut])
            if !UTF8Transcoder.looksLikeUTF8(body) {
                throw .invalid(encoding: encoding!.rawValue, detail: "bytes that are not UTF-8 after text that was; the file mixes encodings: re-save it as UTF-8 or GBK")
            }
            return body
        case .gb18030, .utf16LE, .utf16BE:
            if converter == nil { converter = try IconvConverter(from: encoding!.rawValue) }
            let (out, rest) = try converter!.convert(input)
            pending = rest
            return out
        }
    }

    /// Call at end of file: bytes left over form an incomplete character.
    public mutating func finish() throws(DecodingFailure) -> [UInt8] {
        if !sawFirstChunk && !pending.isEmpty {
            let p = pending; pending = []; sawFirstChunk = true
            return try transcode(p)
        }
        guard pending.isEmpty else {
            throw .invalid(encoding: encoding?.rawValue ?? "?", detail: "the file ends inside a character: it was cut off")
        }
        return []
    }

    /// Strict UTF-8 validation that tolerates a truncated sequence at the very end.
    static func looksLikeUTF8(_ b: [UInt8]) -> Bool {
        var i = 0
        let n = b.count
        while i < n {
            let c = b[i]
            if c < 0x80 { i += 1; continue }
            let len: Int
            if c & 0xE0 == 0xC0 { len = 2; if c < 0xC2 { return false } }
            else if c & 0xF0 == 0xE0 { len = 3 }
            else if c & 0xF8 == 0xF0 { len = 4; if c > 0xF4 { return false } }
            else { return false }
            if i + len > n { return true }  // truncated at the end: decided by the next chunk
            for k in 1..<len where b[i + k] & 0xC0 != 0x80 { return false }
            i += len
        }
        return true
    }

    static func completePrefixLength(_ b: [UInt8]) -> Int {
        var i = b.count - 1
        var back = 0
        while i >= 0 && back < 4 {
            let c = b[i]
            if c & 0xC0 == 0x80 { i -= 1; back += 1; continue }
            if c < 0x80 { return b.count }
            let len = c & 0xE0 == 0xC0 ? 2 : c & 0xF0 == 0xE0 ? 3 : 4
            return i + len <= b.count ? b.count : i
        }
        return b.count
    }
}

/// Why bytes could not be read as text.
public enum DecodingFailure: Error, Equatable, Sendable, CustomStringConvertible {
    case invalid(encoding: String, detail: String)
    case unsupported(String)

    public var description: String {
        switch self {
        case let .invalid(enc, detail): return "cannot read the file as \(enc): \(detail)"
        case let .unsupported(enc): return "this system cannot convert \(enc) (iconv has no converter for it)"
        }
    }
}

/// A thin wrapper over iconv(3) converting to UTF-8.
final class IconvConverter {
    private let handle: iconv_t

    init(from encoding: String) throws(DecodingFailure) {
        let h = iconv_open("UTF-8", encoding)
        if h == iconv_t(bitPattern: -1) { throw .unsupported(encoding) }
        handle = h!
    }

    deinit { iconv_close(handle) }

    /// Converts as much as possible; returns the output and the unconverted incomplete tail.
    func convert(_ input: [UInt8]) throws(DecodingFailure) -> ([UInt8], [UInt8]) {
        if input.isEmpty { return ([], []) }
        var source = input
        var output = [UInt8](repeating: 0, count: input.count * 2 + 16)
        var inLeft = source.count
        var outLeft = output.count
        var errorCode: Int32 = 0
        source.withUnsafeMutableBufferPointer { inBuf in
            output.withUnsafeMutableBufferPointer { outBuf in
                var inPtr: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(inBuf.baseAddress!).assumingMemoryBound(to: CChar.self)
                var outPtr: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(outBuf.baseAddress!).assumingMemoryBound(to: CChar.self)
                while inLeft > 0 {
                    if iconv(handle, &inPtr, &inLeft, &outPtr, &outLeft) == -1 {
                        errorCode = errno
                        return
                    }
                }
            }
        }
        switch errorCode {
        case 0, EINVAL: break  // EINVAL: an incomplete sequence at the end, kept for the next chunk
        case EILSEQ:
            throw .invalid(encoding: "GB18030", detail: "bytes at offset \(input.count - inLeft) of this chunk are not valid; the file may be damaged")
        default:
            throw .invalid(encoding: "GB18030", detail: "iconv failed with errno \(errorCode)")
        }
        output.removeSubrange((output.count - outLeft)...)
        return (output, Array(input[(input.count - inLeft)...]))
    }
}

/// Encodes UTF-8 text as GB18030 bytes (used to write GBK-style demo exports).
public func encodeGB18030(_ text: String) throws(DecodingFailure) -> [UInt8] {
    let h = iconv_open("GB18030", "UTF-8")
    if h == iconv_t(bitPattern: -1) { throw .unsupported("GB18030") }
    defer { iconv_close(h) }
    var input = Array(text.utf8)
    var output = [UInt8](repeating: 0, count: input.count * 2 + 16)
    var inLeft = input.count, outLeft = output.count
    let ok: Bool = input.withUnsafeMutableBufferPointer { inBuf in
        output.withUnsafeMutableBufferPointer { outBuf in
            var inPtr: UnsafeMutablePointer<CChar>? = inBuf.baseAddress.map { UnsafeMutableRawPointer($0).assumingMemoryBound(to: CChar.self) }
            var outPtr: UnsafeMutablePointer<CChar>? = outBuf.baseAddress.map { UnsafeMutableRawPointer($0).assumingMemoryBound(to: CChar.self) }
            return iconv(h, &inPtr, &inLeft, &outPtr, &outLeft) != -1
        }
    }
    if !ok { throw .invalid(encoding: "GB18030", detail: "text cannot be encoded") }
    output.removeSubrange((output.count - outLeft)...)
    return output
}
