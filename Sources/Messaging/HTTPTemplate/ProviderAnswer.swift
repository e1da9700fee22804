import Foundation

/// How to read a JSON provider's answer to a send (template SMS or voice call), as written in carnation.yaml.
public struct ProviderAnswer: Sendable, Equatable, Codable {
    /// Where the accepted message's (or call's) id is, e.g. `BizId`, `CallId`.
    public var messageIDPath: String?
    /// Where the provider's result code is, e.g. `Code`, and the value meaning success, e.g. `OK`.
    public var resultCodePath: String?
    public var successCode: String?
    /// Where a human-readable error is, e.g. `Message`.
    public var errorMessagePath: String?
    /// Result codes that mean "later" (flow control), e.g. `isv.BUSINESS_LIMIT_CONTROL`.
    public var retryableCodes: [String]

    public init(messageIDPath: String? = nil, resultCodePath: String? = nil, successCode: String? = nil,
                errorMessagePath: String? = nil, retryableCodes: [String] = []) {
        self.messageIDPath = messageIDPath
        self.resultCodePath = resultCodePath
        self.successCode = successCode
        self.errorMessagePath = errorMessagePath
        self.retryableCodes = retryableCodes
    }

    /// Reads the answer of gateway `gateway`: 2xx with the success code (and the id, when a path is given) is
    /// accepted; 429 and 5xx, or a retryable code, are temporary; other 4xx or codes are rejections; a 2xx that
    /// cannot be read may hide a send.
    public func interpret(gateway: String, status: Int, body: Data, retryAfter: Double? = nil) -> SendResult {
        let text = String(decoding: body.prefix(2000), as: UTF8.self)
        let json = JSONValue.parse(body)
        let code = resultCodePath.flatMap { json?.value(at: $0)?.scalarText }
        let message = errorMessagePath.flatMap { json?.value(at: $0)?.scalarText }
        let detail = message.map { "\(code ?? "?"): \($0)" } ?? text
        switch status {
        case 200...299:
            guard let json else {
                return .failed(.unreadableAnswer(gateway: gateway, status: status, body: text))
            }
            if let codePath = resultCodePath, let success = successCode {
                guard let code = json.value(at: codePath)?.scalarText else {
                    return .failed(.unreadableAnswer(gateway: gateway, status: status, body: text))
                }
                guard code == success else {
                    if retryableCodes.contains(code) {
                        return .failed(.temporarilyRefused(gateway: gateway, status: status, body: detail, retryAfter: retryAfter))
                    }
                    return .failed(.rejected(gateway: gateway, status: status, code: code, body: detail))
                }
            }
            var messageID: String? = nil
            if let idPath = messageIDPath {
                guard let id = json.value(at: idPath)?.scalarText, !id.isEmpty else {
                    return .failed(.unreadableAnswer(gateway: gateway, status: status, body: text))
                }
                messageID = id
            }
            return .accepted(gatewayMessageID: messageID, detail: code ?? "accepted")
        case 429, 500...599:
            return .failed(.temporarilyRefused(gateway: gateway, status: status, body: detail, retryAfter: retryAfter))
        case 400...499:
            if let code, retryableCodes.contains(code) {
                return .failed(.temporarilyRefused(gateway: gateway, status: status, body: detail, retryAfter: retryAfter))
            }
            return .failed(.rejected(gateway: gateway, status: status, code: code, body: detail))
        default:
            return .failed(.unreadableAnswer(gateway: gateway, status: status, body: text))
        }
    }
}
