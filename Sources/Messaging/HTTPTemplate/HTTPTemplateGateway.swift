import Foundation

/// What a template-only provider needs instead of text: signature name, approved template code and
/// parameters (Aliyun SendSms, Tencent SendSms: the platform prepends `【SignName】` and counts it).
public struct SMSTemplateContent: Sendable, Equatable, Codable {
    /// The signature; providers take its name without brackets.
    public let signature: SMSSignature
    /// The provider's approved template code, e.g. `SMS_123456789`.
    public let templateCode: String
    /// Template parameters in template order (Tencent takes them as a list, Aliyun by name).
    public let parameters: [TemplateParameter]

    public init(signature: SMSSignature, templateCode: String, parameters: [TemplateParameter]) throws(MessagingError) {
        guard !templateCode.isEmpty else { throw .invalidTemplate(field: "template code", reason: "is empty") }
        var seen = Set<String>()
        for p in parameters where !seen.insert(p.name).inserted {
            throw .invalidTemplate(field: "parameter \(p.name)", reason: "is given twice")
        }
        self.signature = signature
        self.templateCode = templateCode
        self.parameters = parameters
    }

    private enum CodingKeys: String, CodingKey { case signature, templateCode, parameters }

    /// Decodes with the same checks as `init(signature:templateCode:parameters:)`.
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        try self.init(signature: c.decode(SMSSignature.self, forKey: .signature),
                      templateCode: c.decode(String.self, forKey: .templateCode),
                      parameters: c.decode([TemplateParameter].self, forKey: .parameters))
    }
}

/// One named template parameter.
public struct TemplateParameter: Sendable, Equatable, Codable {
    public let name: String
    public let value: String
    public init(_ name: String, _ value: String) {
        self.name = name
        self.value = value
    }
}

/// An HTTP request as plain values; `HTTPTransport` performs it.
public struct HTTPRequestSpec: Sendable, Equatable {
    public var method: String
    public var url: URL
    /// Header fields in a stable order.
    public var headers: [(name: String, value: String)]
    public var body: Data?

    public init(method: String, url: URL, headers: [(name: String, value: String)] = [], body: Data? = nil) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
    }

    public static func == (a: HTTPRequestSpec, b: HTTPRequestSpec) -> Bool {
        a.method == b.method && a.url == b.url && a.body == b.body
            && a.headers.map { "\($0.name)\u{0}\($0.value)" } == b.headers.map { "\($0.name)\u{0}\($0.value)" }
    }
}

/// How to talk to one template provider, as written in carnation.yaml.
///
/// The body is a JSON shape whose strings may hold placeholders; a string that is exactly one
/// placeholder is replaced by a JSON value, placeholders inside longer strings are replaced by text:
/// `{{phone}}` 13800000001 · `{{phoneE164}}` +8613800000001 · `{{signName}}` · `{{templateCode}}` ·
/// `{{outboxID}}` · `{{idempotencyKey}}` · `{{params}}` an object of name → value ·
/// `{{paramsJSON}}` that object as a JSON string (Aliyun's `TemplateParam`) ·
/// `{{paramsList}}` the values in order (Tencent's `TemplateParamSet`). Header values take the same
/// text placeholders. Request signing (Aliyun, Tencent) is not done here.
public struct HTTPTemplateConfiguration: Sendable, Equatable, Codable {
    public var name: String
    public var url: URL
    public var method: String
    public var headers: [String: String]
    public var body: JSONValue
    /// Where the accepted message's id is in the answer, e.g. `BizId`.
    public var messageIDPath: String?
    /// Where the provider's result code is, e.g. `Code`, and the value meaning success, e.g. `OK`.
    public var resultCodePath: String?
    public var successCode: String?
    /// Where a human-readable error is, e.g. `Message`.
    public var errorMessagePath: String?
    /// Result codes that mean "later" (flow control), e.g. `isv.BUSINESS_LIMIT_CONTROL`.
    public var retryableCodes: [String]
    /// Where the provider posts delivery reports on `carnation serve`, e.g. `/gateways/aliyun/dlr`.
    public var reportPath: String?
    /// Seconds to wait for an answer.
    public var timeoutSeconds: Double

    /// How the answer is read.
    public var answer: ProviderAnswer {
        ProviderAnswer(messageIDPath: messageIDPath, resultCodePath: resultCodePath, successCode: successCode,
                       errorMessagePath: errorMessagePath, retryableCodes: retryableCodes)
    }

    public init(name: String, url: URL, method: String = "POST", headers: [String: String] = ["Content-Type": "application/json; charset=utf-8"],
                body: JSONValue, messageIDPath: String? = nil, resultCodePath: String? = nil, successCode: String? = nil,
                errorMessagePath: String? = nil, retryableCodes: [String] = [], reportPath: String? = nil,
                timeoutSeconds: Double = 10) {
        self.name = name
        self.url = url
        self.method = method
        self.headers = headers
        self.body = body
        self.messageIDPath = messageIDPath
        self.resultCodePath = resultCodePath
        self.successCode = successCode
        self.errorMessagePath = errorMessagePath
        self.retryableCodes = retryableCodes
        self.reportPath = reportPath
        self.timeoutSeconds = timeoutSeconds
    }
}

/// Builds provider requests from `HTTPTemplateConfiguration` and reads their answers (pure).
public enum HTTPTemplateRequest {
    /// The request that sends `message` (which must carry template content) through the provider.
    public static func build(_ config: HTTPTemplateConfiguration, message: OutgoingSMS) throws(MessagingError) -> HTTPRequestSpec {
        try OutgoingSMS.validatePhone(message.phone)
        guard let sms = message.template else {
            throw .invalidTemplate(field: "message \(message.outboxID)", reason: "has no template code and parameters; render the explainer's provider template")
        }
        guard let scheme = config.url.scheme?.lowercased(), scheme == "http" || scheme == "https" else {
            throw .invalidGatewayConfiguration(gateway: config.name, field: "url", reason: "must be an http(s) URL")
        }
        let paramsObject = JSONValue.object(Dictionary(uniqueKeysWithValues: sms.parameters.map { ($0.name, .string($0.value)) }))
        let values: [String: JSONValue] = [
            "phone": .string(message.phone),
            "phoneE164": .string("+86" + message.phone),
            "signName": .string(sms.signature.name),
            "templateCode": .string(sms.templateCode),
            "outboxID": .string(message.outboxID),
            "idempotencyKey": .string(message.idempotencyKey),
            "params": paramsObject,
            "paramsJSON": .string(paramsObject.serialized),
            "paramsList": .array(sms.parameters.map { .string($0.value) }),
        ]
        let body = try fill(config.body, values: values, place: "body")
        return HTTPRequestSpec(method: config.method.uppercased(), url: config.url, headers: try headers(config.headers, values: values),
                               body: Data(body.serialized.utf8))
    }

    /// Header fields with their placeholders filled, in name order; each must stay one line.
    static func headers(_ fields: [String: String], values: [String: JSONValue]) throws(MessagingError) -> [(name: String, value: String)] {
        var headers: [(name: String, value: String)] = []
        for name in fields.keys.sorted() {
            let filled = try fill(.string(fields[name]!), values: values, place: "header \(name)")
            guard case let .string(text) = filled, !text.contains("\r"), !text.contains("\n") else {
                throw .invalidTemplate(field: "header \(name)", reason: "must be one line of text")
            }
            headers.append((name, text))
        }
        return headers
    }

    /// Replaces placeholders throughout a JSON shape.
    static func fill(_ shape: JSONValue, values: [String: JSONValue], place: String) throws(MessagingError) -> JSONValue {
        switch shape {
        case let .string(text):
            return try fillString(text, values: values, place: place)
        case let .array(items):
            var out: [JSONValue] = []
            for item in items { out.append(try fill(item, values: values, place: place)) }
            return .array(out)
        case let .object(fields):
            var out: [String: JSONValue] = [:]
            for (key, item) in fields { out[key] = try fill(item, values: values, place: "\(place).\(key)") }
            return .object(out)
        case .null, .bool, .number:
            return shape
        }
    }

    private static func fillString(_ text: String, values: [String: JSONValue], place: String) throws(MessagingError) -> JSONValue {
        var out = ""
        var rest = Substring(text)
        var wholeValue: JSONValue? = nil
        while let open = rest.range(of: "{{") {
            guard let close = rest[open.upperBound...].range(of: "}}") else {
                throw .invalidTemplate(field: place, reason: "has '{{' without '}}'")
            }
            let name = String(rest[open.upperBound..<close.lowerBound]).trimmingWhitespace()
            guard let value = values[name] else {
                throw .invalidTemplate(field: place, reason: "uses unknown placeholder {{\(name)}}; known here: \(values.keys.sorted().joined(separator: ", "))")
            }
            if rest[..<open.lowerBound].isEmpty && rest[close.upperBound...].isEmpty && out.isEmpty {
                wholeValue = value
            }
            out += rest[..<open.lowerBound]
            if let scalar = value.scalarText { out += scalar }
            else if wholeValue == nil {
                throw .invalidTemplate(field: place, reason: "puts {{\(name)}} (a list or object) inside text; give it a field of its own")
            }
            rest = rest[close.upperBound...]
        }
        if let wholeValue { return wholeValue }
        return .string(out + rest)
    }

    /// Reads the provider's answer.
    public static func interpretAnswer(_ config: HTTPTemplateConfiguration, status: Int, body: Data, retryAfter: Double? = nil) -> SendResult {
        config.answer.interpret(gateway: config.name, status: status, body: body, retryAfter: retryAfter)
    }
}
