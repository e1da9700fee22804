import Foundation

/// The audio a voice gateway plays: the resident's own explainer (the message's script) spoken as WAV.
public protocol VoiceAudioSource: Sendable {
    func wav(for message: OutgoingSMS) async throws -> Data
}

/// Asks a voice-notification provider to call the resident and play their explainer audio, one request per
/// message. The audio is fetched by the provider through a signed, expiring link on `carnation serve`, or sent in
/// the request (base64), as the configuration says. The outbox message's text is the spoken script.
public struct VoiceHTTPGateway: SMSGateway {
    public let configuration: VoiceHTTPConfiguration
    private let transport: HTTPTransport
    private let audioLink: AudioLink?
    private let audioSource: (any VoiceAudioSource)?
    private let now: @Sendable () -> Date

    public var name: String { configuration.name }
    public var deduplicates: Bool { configuration.deduplicates }

    /// `audioLink` signs links in url mode (with the server's audio secret, as `carnation serve` checks them);
    /// `audioSource` makes the audio: sent in inline mode, made ahead of the call (and cached by Speech) in url mode.
    public init(configuration: VoiceHTTPConfiguration, transport: HTTPTransport, audioLink: AudioLink?,
                audioSource: (any VoiceAudioSource)?, now: @escaping @Sendable () -> Date = { Date() }) throws(MessagingError) {
        try configuration.validate()
        switch configuration.audio {
        case .url where audioLink == nil:
            throw .invalidGatewayConfiguration(gateway: configuration.name, field: "audio", reason: "is url but no audio-link secret is available")
        case .inline where audioSource == nil:
            throw .invalidGatewayConfiguration(gateway: configuration.name, field: "audio", reason: "is inline but no speech is available to make the audio")
        default: break
        }
        self.configuration = configuration
        self.transport = transport
        self.audioLink = audioLink
        self.audioSource = audioSource
        self.now = now
    }

    public func send(_ message: OutgoingSMS) async -> SendResult {
        var audioURL: URL? = nil
        var audioBase64: String? = nil
        switch configuration.audio {
        case .url:
            guard let audioLink else { return .failed(.local(gateway: name, detail: "no audio-link secret")) }
            do { audioURL = try VoiceHTTPRequest.audioURL(configuration, link: audioLink, outboxID: message.outboxID, now: now()) } catch {
                return .failed(.invalidMessage(error))
            }
            // Make the audio before the call (the speech cache keeps it), so the provider's fetch is quick and
            // nobody is called whose audio cannot be made.
            if let audioSource {
                do { _ = try await audioSource.wav(for: message) } catch {
                    return .failed(.local(gateway: name, detail: "cannot make the audio of message \(message.outboxID): \(error)"))
                }
            }
        case .inline:
            guard let audioSource else { return .failed(.local(gateway: name, detail: "no speech to make the audio")) }
            do { audioBase64 = try await audioSource.wav(for: message).base64EncodedString() } catch {
                return .failed(.local(gateway: name, detail: "cannot make the audio of message \(message.outboxID): \(error)"))
            }
        }
        let request: HTTPRequestSpec
        do { request = try VoiceHTTPRequest.build(configuration, message: message, audioURL: audioURL, audioBase64: audioBase64) } catch {
            return .failed(.invalidMessage(error))
        }
        let outcome = await transport.perform(request, timeoutSeconds: configuration.timeoutSeconds)
        if let failure = outcome.failure(gateway: name) { return .failed(failure) }
        guard case let .response(response) = outcome else { return .failed(.noAnswer(gateway: name, detail: "no response")) }
        let retryAfter = response.headers["retry-after"].flatMap { RetryAfter.seconds($0, now: now()) }
        return VoiceHTTPRequest.interpretAnswer(configuration, status: response.status, body: response.body, retryAfter: retryAfter)
    }
}
