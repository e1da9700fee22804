import Messaging
import Yams

/// The explainers' part of `carnation.yaml`: the SMS signature (`sms: {signature: 示范县社保}`).
public enum ExplainerSettings {
    /// Used when the configuration names none.
    public static let defaultSignature = "示范县社保"

    /// The signature from the configuration text (nil text or no `sms.signature`: the default).
    public static func signature(configuration text: String?, file: String) throws(ExplainerError) -> SMSSignature {
        var raw = defaultSignature
        if let text {
            let root: Node?
            do { root = try Yams.compose(yaml: text) } catch {
                throw .malformedYAML(file: file, line: ExplainerLoader.yamlErrorLine(error), detail: "\(error)")
            }
            if let s = root?.mapping?["sms"]?.mapping?["signature"]?.scalar?.string { raw = s }
        }
        do { return try SMSSignature(raw) } catch { throw .badSignature("\(error)") }
    }
}
