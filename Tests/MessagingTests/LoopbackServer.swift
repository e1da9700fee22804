import Foundation
import Messaging
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A tiny HTTP/1.1 server on 127.0.0.1 for gateway tests: each request gets the next scripted reply.
/// Connections are handled one at a time, each closed after its answer.
final class LoopbackServer: @unchecked Sendable {
    enum Reply {
        case respond(status: Int, headers: [String: String], body: String)
        /// Read the request, then close without a byte of answer.
        case close
        /// Read the request and answer nothing for this long, then close.
        case hang(seconds: Double)
    }

    let port: UInt16
    private let listener: Int32
    private let lock = NSLock()
    private var replies: [Reply]
    private var received: [String] = []

    /// Request heads (request line and headers) plus bodies received so far.
    var requests: [String] { lock.lock(); defer { lock.unlock() }; return received }

    init(replies: [Reply]) throws {
        self.replies = replies
        let (fd, boundPort) = try LoopbackListener.open(backlog: 16)
        port = boundPort
        listener = fd
        let thread = Thread { [self] in serve() }
        thread.start()
    }

    /// Stops accepting. The serving thread closes the socket itself when it leaves, so the descriptor
    /// cannot be reused by another server while this thread still holds its number.
    func stop() {
        shutdown(listener, Int32(SHUT_RDWR))
    }

    var baseURL: String { "http://127.0.0.1:\(port)" }

    private func nextReply() -> Reply {
        lock.lock(); defer { lock.unlock() }
        return replies.isEmpty ? .respond(status: 500, headers: [:], body: "no scripted reply") : replies.removeFirst()
    }

    private func serve() {
        while true {
            let client = accept(listener, nil, nil)
            if client < 0 { close(listener); return }
            handle(client)
            close(client)
        }
    }

    private func handle(_ client: Int32) {
        var data = [UInt8]()
        var buffer = [UInt8](repeating: 0, count: 65536)
        var headEnd: Int? = nil
        var contentLength = 0
        while true {
            let n = read(client, &buffer, buffer.count)
            if n <= 0 { break }
            data.append(contentsOf: buffer[0..<n])
            if headEnd == nil, let range = findHeadEnd(data) {
                headEnd = range
                let head = String(decoding: data[0..<range], as: UTF8.self)
                for line in head.split(separator: "\r\n") where line.lowercased().hasPrefix("content-length:") {
                    contentLength = Int(line.split(separator: ":")[1].trimmingCharacters(in: .whitespaces)) ?? 0
                }
            }
            if let headEnd, data.count >= headEnd + 4 + contentLength { break }
        }
        lock.lock(); received.append(String(decoding: data, as: UTF8.self)); lock.unlock()
        switch nextReply() {
        case let .respond(status, headers, body):
            let bodyBytes = Array(body.utf8)
            var text = "HTTP/1.1 \(status) Scripted\r\nContent-Length: \(bodyBytes.count)\r\nConnection: close\r\n"
            for (k, v) in headers { text += "\(k): \(v)\r\n" }
            let bytes = Array((text + "\r\n").utf8) + bodyBytes
            _ = bytes.withUnsafeBytes { write(client, $0.baseAddress!, $0.count) }
        case .close:
            break
        case let .hang(seconds):
            Thread.sleep(forTimeInterval: seconds)
        }
    }

    private func findHeadEnd(_ data: [UInt8]) -> Int? {
        guard data.count >= 4 else { return nil }
        for i in 0...(data.count - 4) where data[i] == 13 && data[i + 1] == 10 && data[i + 2] == 13 && data[i + 3] == 10 {
            return i
        }
        return nil
    }
}
