/// What went wrong with explainer definitions, templates or rendering; each case names the place and the fix.
public enum ExplainerError: Error, Equatable, CustomStringConvertible {
    case unreadable(path: String, detail: String)
    case malformedYAML(file: String, line: Int, detail: String)
    case missingField(file: String, line: Int, field: String, explainer: String)
    case unknownField(file: String, line: Int, field: String, allowed: [String])
    case invalidValue(file: String, line: Int, field: String, value: String, expected: String)
    case unknownFigure(file: String, line: Int, figure: String, allowed: [String])
    case duplicateName(name: String, file: String, line: Int, first: String)
    case missingTemplate(file: String, line: Int, channel: String, template: String, directory: String)
    case templateSyntax(template: String, line: Int, column: Int, detail: String)
    case unknownTemplateKey(template: String, line: Int, key: String, explainer: String, allowed: [String])
    case noExplainers(directory: String)
    case unknownExplainer(name: String, known: [String])
    case badSignature(String)

    public var description: String {
        switch self {
        case let .unreadable(path, detail):
            return "cannot read \(path): \(detail); check the path, or set CARNATION_CONTENT / CARNATION_TEMPLATES"
        case let .malformedYAML(file, line, detail):
            return "\(file):\(line): not valid YAML (\(detail)); fix the indentation or quoting there"
        case let .missingField(file, line, field, explainer):
            return "\(file):\(line): explainer '\(explainer)' has no '\(field)'; add it (see content/explainers/README.md)"
        case let .unknownField(file, line, field, allowed):
            return "\(file):\(line): unknown field '\(field)'; allowed here: \(allowed.joined(separator: ", "))"
        case let .invalidValue(file, line, field, value, expected):
            return "\(file):\(line): '\(field)' is '\(value)'; expected \(expected)"
        case let .unknownFigure(file, line, figure, allowed):
            return "\(file):\(line): unknown figure '\(figure)'; figures the Benefits module provides: \(allowed.joined(separator: ", "))"
        case let .duplicateName(name, file, line, first):
            return "\(file):\(line): explainer name '\(name)' is already used in \(first); give each explainer its own name"
        case let .missingTemplate(file, line, channel, template, directory):
            return "\(file):\(line): \(channel) template '\(template)' not found in \(directory); create \(directory)/\(template).mustache or fix the name"
        case let .templateSyntax(template, line, column, detail):
            return "\(template):\(line):\(column): Mustache syntax error (\(detail)); check that every {{#section}} has its {{/section}}"
        case let .unknownTemplateKey(template, line, key, explainer, allowed):
            return "\(template):\(line): '{{\(key)}}' is not a value explainer '\(explainer)' provides; use one of \(allowed.joined(separator: ", ")) or add the figure to the explainer's 'figures'"
        case let .noExplainers(directory):
            return "no explainer definitions (*.yaml) in \(directory); add one or point CARNATION_CONTENT at the checkout's content/"
        case let .unknownExplainer(name, known):
            return "no explainer named '\(name)'; known: \(known.joined(separator: ", "))"
        case let .badSignature(detail):
            return "SMS signature: \(detail); set sms.signature in carnation.yaml (e.g. 示范县社保)"
        }
    }
}
