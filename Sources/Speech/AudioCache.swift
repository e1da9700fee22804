import Digests
import Foundation

/// Synthesised audio kept on disk so that the same message is synthesised once.
///
/// Keyed by (spoken text, voice, rate, format); the file name is the SHA-256 of the key, so any change
/// to the words, the voice, the speed or the encoding makes a new entry. The directory is the caller's.
public struct AudioCache: Sendable {
    public struct Key: Sendable, Hashable {
        /// The synthesis input: the normalised text with its pause markup.
        public var text: String
        public var voice: String
        public var rate: Int
        public var format: AudioFormat

        public init(text: String, voice: String, rate: Int, format: AudioFormat) {
            self.text = text
            self.voice = voice
            self.rate = rate
            self.format = format
        }

        /// Hex SHA-256 of the key's fields, each on its own line (text last, so it may hold line breaks).
        public var digest: String {
            SHA256.hex("carnation-audio-v1\n\(voice)\n\(rate)\n\(format.rawValue)\n\(text)")
        }
    }

    public let directory: URL

    /// Uses `directory`, creating it if missing.
    public init(directory: URL) throws {
        self.directory = directory
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        } catch {
            throw SpeechError.cacheUnwritable(path: directory.path, reason: "\(error.localizedDescription)")
        }
    }

    public func fileURL(for key: Key) -> URL {
        directory.appendingPathComponent(key.digest + ".wav")
    }

    /// The cached file for `key`, or nil.
    public func load(_ key: Key) -> Data? {
        try? Data(contentsOf: fileURL(for: key))
    }

    /// Stores `audio` for `key`; written to a temporary file and renamed, so readers never see half a file.
    public func store(_ audio: Data, for key: Key) throws {
        let target = fileURL(for: key)
        let temporary = directory.appendingPathComponent(".\(key.digest).\(UUID().uuidString).tmp")
        let written = audio.withUnsafeBytes { raw -> Bool in
            let fd = open(temporary.path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
            guard fd >= 0 else { return false }
            defer { close(fd) }
            var offset = 0
            while offset < raw.count {
                let n = write(fd, raw.baseAddress! + offset, raw.count - offset)
                if n <= 0 { return false }
                offset += n
            }
            return true
        }
        guard written, rename(temporary.path, target.path) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temporary.path)
            throw SpeechError.cacheUnwritable(path: target.path, reason: reason)
        }
    }
}
