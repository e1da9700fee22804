import Foundation
import Messaging
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A local HTTP/1.1 server that accepts every request the way Kannel's sendsms does (202 "0: Accepted for
/// delivery"), with keep-alive and one thread per connection. The dispatch benchmark sends to it and counts
/// requests per `to` number, to tell lost and duplicated messages.
public final class HTTPSink: @unchecked Sendable {
    public let port: UInt16
    private let listener: Int32
    private let lock = NSLock()
    private var counts: [String: Int] = [:]
    private var total = 0

    public init() throws {
        let (fd, boundPort) = try LoopbackListener.open(backlog: 256)
        port = boundPort
        listener = fd
        Thread { [self] in acceptLoop() }.start()
    }

    /// `http://127.0.0.1:PORT/cgi-bin/sendsms`.
    public var sendsmsURL: URL { URL(string: "http://127.0.0.1:\(port)/cgi-bin/sendsms")! }

    /// Requests so far, and how many each `to` number got; `reset` starts a new count.
    public func snapshot() -> (requests: Int, perNumber: [String: Int]) { lock.withLock { (total, counts) } }
    public func reset() { lock.withLock { counts = [:]; total = 0 } }

    public func stop() { shutdown(listener, Int32(SHUT_RDWR)) }

    private func acceptLoop() {
        while true {
            let client = accept(listener, nil, nil)
            if client < 0 { close(listener); return }
            var one: Int32 = 1
            setsockopt(client, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
            Thread { [self] in serve(client) }.start()
        }
    }

    private static let answer = Array("HTTP/1.1 202 Accepted\r\nContent-Type: text/plain\r\nContent-Length: 26\r\n\r\n0: Accepted for delivery\r\n".utf8)

    private func serve(_ client: Int32) {
        defer { close(client) }
        var pending = [UInt8]()
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            // Answer every complete request in the buffer (GET, no body: the head ends with CRLFCRLF).
            while let end = headEnd(pending) {
                count(requestLine: pending[0..<end])
                pending.removeFirst(end + 4)
                let ok = Self.answer.withUnsafeBytes { write(client, $0.baseAddress!, $0.count) }
                if ok <= 0 { return }
            }
            let n = read(client, &buffer, buffer.count)
            if n <= 0 { return }
            pending.append(contentsOf: buffer[0..<n])
        }
    }

    private func headEnd(_ data: [UInt8]) -> Int? {
        guard data.count >= 4 else { return nil }
        for i in 0...(data.count - 4) where data[i] == 13 && data[i + 1] == 10 && data[i + 2] == 13 && data[i + 3] == 10 { return i }
        return nil
    }

    private func count(requestLine head: ArraySlice<UInt8>) {
        let line = String(decoding: head.prefix { $0 != 13 }, as: UTF8.self)
        var number = "?"
        if let r = line.range(of: "&to=") ?? line.range(of: "?to=") {
            number = String(line[r.upperBound...].prefix { $0 != "&" && $0 != " " })
        }
        lock.withLock { counts[number, default: 0] += 1; total += 1 }
    }
}
