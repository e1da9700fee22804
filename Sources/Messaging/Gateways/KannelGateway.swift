import Foundation

/// Sends SMS through Kannel's sendsms interface (GET), one request per message.
public struct KannelGateway: SMSGateway {
    public var configuration: KannelConfiguration { form.configuration }
    /// The configuration, checked once, with what every request shares.
    private let form: KannelURL.SendForm
    private let transport: HTTPTransport

    public var name: String { configuration.name }
    /// Kannel does not deduplicate: a repeated request is a second SMS.
    public var deduplicates: Bool { false }

    public init(configuration: KannelConfiguration, transport: HTTPTransport) throws(MessagingError) {
        form = try KannelURL.SendForm(configuration)
        self.transport = transport
    }

    public func send(_ message: OutgoingSMS) async -> SendResult {
        let url: URL
        do { url = try form.url(for: message) } catch {
            return .failed(.invalidMessage(error))
        }
        let outcome = await transport.perform(HTTPRequestSpec(method: "GET", url: url),
                                              timeoutSeconds: configuration.timeoutSeconds)
        if let failure = outcome.failure(gateway: name) { return .failed(failure) }
        guard case let .response(response) = outcome else { return .failed(.noAnswer(gateway: name, detail: "no response")) }
        let retryAfter = response.headers["retry-after"].flatMap { RetryAfter.seconds($0, now: Date()) }
        return KannelURL.interpretAnswer(gateway: name, status: response.status,
                                         body: String(decoding: response.body.prefix(2000), as: UTF8.self),
                                         retryAfter: retryAfter)
    }
}
