import Yams

extension RegistryRules {
    /// Parses `content/registry.yaml`.
    public static func parse(_ text: String, file: String) throws(MappingError) -> RegistryRules {
        let node: Node?
        do { node = try Yams.compose(yaml: text) } catch { throw .yaml(file: file, detail: "\(error)") }
        guard let root = node?.mapping else { throw .yaml(file: file, detail: "expected a mapping") }
        var elderlyAge: Int?
        for (k, v) in root {
            switch k.string {
            case "elderlyAge": elderlyAge = v.int
            case "source", "status", "from", "note": continue
            default: throw .unknownKey(file: file, line: k.mark?.line ?? 0, key: k.string ?? "")
            }
        }
        guard let age = elderlyAge, (60...100).contains(age) else {
            throw .yaml(file: file, detail: "elderlyAge must be set, between 60 and 100")
        }
        return RegistryRules(elderlyAge: age)
    }
}
