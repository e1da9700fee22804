import Foundation

/// Sends template SMS (signature, template code, parameters) to a provider described in carnation.yaml.
public struct HTTPTemplateSMSGateway: SMSGateway {
    public let configuration: HTTPTemplateConfiguration
    private let transport: HTTPTransport
    public let deduplicates: Bool

    public var name: String { configuration.name }

    /// `deduplicates`: set only for a provider documented to drop a repeated idempotency key
    /// (Aliyun SendSms does not).
    public init(configuration: HTTPTemplateConfiguration, transport: HTTPTransport, deduplicates: Bool = false) {
        self.configuration = configuration
        self.transport = transport
        self.deduplicates = deduplicates
    }

    public func send(_ message: OutgoingSMS) async -> SendResult {
        let request: HTTPRequestSpec
        do { request = try HTTPTemplateRequest.build(configuration, message: message) } catch {
            return .failed(.invalidMessage(error))
        }
        let outcome = await transport.perform(request, timeoutSeconds: configuration.timeoutSeconds)
        if let failure = outcome.failure(gateway: name) { return .failed(failure) }
        guard case let .response(response) = outcome else { return .failed(.noAnswer(gateway: name, detail: "no response")) }
        let retryAfter = response.headers["retry-after"].flatMap { RetryAfter.seconds($0, now: Date()) }
        return HTTPTemplateRequest.interpretAnswer(configuration, status: response.status, body: response.body,
                                                   retryAfter: retryAfter)
    }
}
