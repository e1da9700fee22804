import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes each message as a JSON file in a directory instead of sending it (the default gateway; the
/// demo and dry trials use it). The file is named after the idempotency key and created atomically
/// (written aside, synced, then hard-linked into place), so a rerun finds it and does not duplicate.
public struct SpoolGateway: SMSGateway {
    public let name: String
    public let directory: URL
    public var deduplicates: Bool { true }

    public init(name: String = "spool", directory: URL) {
        self.name = name
        self.directory = directory
    }

    /// What a spool file holds.
    public struct SpooledMessage: Codable, Equatable, Sendable {
        public let outboxID: String
        public let idempotencyKey: String
        public let phone: String
        public let text: String
        public let encoding: SMSEncoding
        public let units: Int
        public let segments: Int
        public let template: SMSTemplateContent?
    }

    /// The file name for an idempotency key: letters, digits, `-` and `.` kept, every other byte
    /// written `_XX` (so different keys never share a file), `.json` appended.
    public static func fileName(forKey key: String) -> String {
        var name = ""
        for (index, byte) in key.utf8.enumerated() {
            let isSafe = (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
                || byte == UInt8(ascii: "-") || (byte == UInt8(ascii: ".") && index > 0)
            name += isSafe ? String(UnicodeScalar(byte)) : "_" + String(byte, radix: 16, uppercase: true).leftPadded(to: 2)
        }
        if name.utf8.count > 200 {
            name = String(name.prefix(150)) + "~" + String(fnv1a64(key), radix: 16).leftPadded(to: 16)
        }
        return name + ".json"
    }

    static func fnv1a64(_ text: String) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 }
        return hash
    }

    public func send(_ message: OutgoingSMS) async -> SendResult {
        do { try OutgoingSMS.validatePhone(message.phone) } catch { return .failed(.invalidMessage(error)) }
        guard !message.idempotencyKey.isEmpty else {
            return .failed(.local(gateway: name, detail: "message \(message.outboxID) has no idempotency key"))
        }
        let fileName = Self.fileName(forKey: message.idempotencyKey)
        let final = directory.appendingPathComponent(fileName)
        let measurement = SMSSegmenter.measure(message.text)
        let record = SpooledMessage(outboxID: message.outboxID, idempotencyKey: message.idempotencyKey, phone: message.phone,
                                    text: message.text, encoding: measurement.encoding, units: measurement.units,
                                    segments: measurement.segments, template: message.template)
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            let data = try encoder.encode(record)
            let temporary = directory.appendingPathComponent(".tmp-\(UUID().uuidString)-\(fileName)")
            defer { unlink(temporary.path) }
            try writeSynced(data, to: temporary)
            if link(temporary.path, final.path) != 0 {
                let code = errno
                guard code == EEXIST else {
                    return .failed(.local(gateway: name, detail: "cannot create \(final.path): \(String(cString: strerror(code)))"))
                }
                return .accepted(gatewayMessageID: fileName, detail: "already spooled")
            }
            syncDirectory()
            return .accepted(gatewayMessageID: fileName, detail: "spooled")
        } catch {
            return .failed(.local(gateway: name, detail: "cannot write to \(directory.path): \(error); check the spool directory exists and is writable"))
        }
    }

    private func writeSynced(_ data: Data, to url: URL) throws {
        let fd = open(url.path, O_WRONLY | O_CREAT | O_EXCL, 0o644)
        guard fd >= 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
        defer { close(fd) }
        let written = data.withUnsafeBytes { buffer -> Int in
            var offset = 0
            while offset < buffer.count {
                let n = write(fd, buffer.baseAddress! + offset, buffer.count - offset)
                if n < 0 { if errno == EINTR { continue }; return -1 }
                offset += n
            }
            return offset
        }
        guard written == data.count, fsync(fd) == 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
    }

    private func syncDirectory() {
        let fd = open(directory.path, O_RDONLY)
        guard fd >= 0 else { return }
        _ = fsync(fd)
        close(fd)
    }
}
