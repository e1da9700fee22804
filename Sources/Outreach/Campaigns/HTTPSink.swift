import Foundation
import Messaging
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A local HTTP/1.1 server that accepts every request the way Kannel's sendsms does (202 "0: Accepted for
/// delivery"), with keep-alive and one thread per connection. The dispatch benchmark sends to it and counts
/// requests per `to` number, to tell lost and duplicated messages; the fault tests make it slow, down, or
/// answer garbage.
public final class HTTPSink: @unchecked Sendable {
    public let port: UInt16
    private let listener: Int32
    private let lock = NSLock()
    private var counts: [String: Int] = [:]
    private var total = 0

    /// The bytes sent back for every request.
    private var answer: [UInt8]
    /// Close the connection after the first answer (for answers that are not HTTP).
    private var closeAfterAnswer: Bool
    /// How long each answer waits (a gateway that takes its time, so a killed client leaves requests in flight).
    private let answerDelay: Double
    private let started = NSLock()
    private var listening = false

    /// A sink answering like Kannel. `answer` replaces the whole reply (for a gateway answering garbage; empty:
    /// close without a byte of answer);
    /// with `listening` false the port refuses connections until `listen()` (a gateway that is down).
    public init(answer: [UInt8]? = nil, closeAfterAnswer: Bool = false, answerDelay: Double = 0, listening: Bool = true) throws {
        let (fd, boundPort) = try LoopbackListener.open(backlog: 256, listening: listening)
        port = boundPort
        listener = fd
        self.answer = answer ?? Self.kannelAccepted
        self.closeAfterAnswer = closeAfterAnswer
        self.answerDelay = answerDelay
        if listening { start() }
    }

    /// Changes the answer from now on (nil: Kannel's "0: Accepted for delivery").
    public func answer(with bytes: [UInt8]?, closeAfterAnswer close: Bool = false) {
        lock.withLock { answer = bytes ?? Self.kannelAccepted; closeAfterAnswer = close }
    }

    /// Starts taking connections (a sink made with `listening: false` comes up).
    public func listen() {
        #if canImport(Glibc)
        guard Glibc.listen(listener, 256) == 0 else { return }
        #else
        guard Darwin.listen(listener, 256) == 0 else { return }
        #endif
        start()
    }

    private func start() {
        let first = started.withLock { () -> Bool in defer { listening = true }; return !listening }
        if first { Thread { [self] in acceptLoop() }.start() }
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

    private static let kannelAccepted = Array("HTTP/1.1 202 Accepted\r\nContent-Type: text/plain\r\nContent-Length: 26\r\n\r\n0: Accepted for delivery\r\n".utf8)

    private func serve(_ client: Int32) {
        defer { close(client) }
        var pending = [UInt8]()
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            // Answer every complete request in the buffer (GET, no body: the head ends with CRLFCRLF).
            while let end = headEnd(pending) {
                count(requestLine: pending[0..<end])
                pending.removeFirst(end + 4)
                if answerDelay > 0 { Thread.sleep(forTimeInterval: answerDelay) }
                let (bytes, close) = lock.withLock { (answer, closeAfterAnswer) }
                let ok = bytes.isEmpty ? 0 : bytes.withUnsafeBytes { write(client, $0.baseAddress!, $0.count) }
                if ok <= 0 || close { return }
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
