import Registry

/// One explainer as a coordinator defines it in `content/explainers/*.yaml`: the question it answers,
/// who it suits, the figures it needs from `Benefits` and the register, and its templates.
public struct ExplainerDefinition: Sendable, Equatable {
    /// Stable name, e.g. `why-insure`; used on the command line and in campaigns.
    public var name: String
    /// The question in plain Chinese, e.g. 为什么要参保？
    public var question: String
    public var kind: ExplainerKind
    public var audience: ExplainerAudience
    /// Figures the templates use, in the order they are shown with their sources.
    public var figures: [ExplainerFigure]
    /// Template names (without `.mustache`) in `Templates/sms/` and `Templates/voice/`.
    public var templates: ExplainerTemplateNames
    /// For providers that only send approved templates: the code and the parameters in template order.
    public var provider: ProviderTemplate?
    /// Where the definition was read, for messages.
    public var file: String
    public var line: Int

    public init(name: String, question: String, kind: ExplainerKind, audience: ExplainerAudience, figures: [ExplainerFigure],
                templates: ExplainerTemplateNames, provider: ProviderTemplate? = nil, file: String = "(memory)", line: Int = 1) {
        self.name = name
        self.question = question
        self.kind = kind
        self.audience = audience
        self.figures = figures
        self.templates = templates
        self.provider = provider
        self.file = file
        self.line = line
    }

    /// Every key the templates of this explainer may use.
    public var availableKeys: [String] { ExplainerContextKey.allCases.map(\.rawValue) + figures.map(\.rawValue) }
}

/// The four questions of the provincial action, or a service notice.
public enum ExplainerKind: String, Sendable, CaseIterable, Codable {
    case core
    case notice

    public var chinese: String { self == .core ? "政策解读" : "服务通知" }
}

/// Names of an explainer's templates.
public struct ExplainerTemplateNames: Sendable, Equatable {
    /// The SMS text; aims at one segment after filling in.
    public var sms: String
    /// The shorter SMS used when the full one would need more than one segment.
    public var smsShort: String?
    /// The voice script, written for the ear.
    public var voice: String

    public init(sms: String, smsShort: String? = nil, voice: String) {
        self.sms = sms
        self.smsShort = smsShort
        self.voice = voice
    }
}

/// An approved provider template: its code and the names of the values filled in, in template order.
public struct ProviderTemplate: Sendable, Equatable {
    public var code: String
    public var parameters: [String]
    public init(code: String, parameters: [String]) {
        self.code = code
        self.parameters = parameters
    }
}

/// Values every explainer's templates may use, whatever its figures.
public enum ExplainerContextKey: String, Sendable, CaseIterable {
    /// The resident the message is about.
    case name
    /// Whom the message is addressed to: the resident, or the guardian.
    case addressee
    /// 您 when the resident reads it, else the resident's name.
    case who
    /// 您的 or 「name」的.
    case whose
    /// A section: true when the message goes to the guardian.
    case forGuardian = "for_guardian"
    case guardianName = "guardian_name"
    /// How the guardian is related to the resident, e.g. 儿子.
    case relation
    /// The village contact if known, else the hotline.
    case contact
    /// The social-security hotline, 12333.
    case hotline
    /// A section: true when a figure rests on an unverified parameter (say 以当地经办机构核定为准).
    case confirm
    /// The explainer's question.
    case question
}
