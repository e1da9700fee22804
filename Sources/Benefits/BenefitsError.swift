/// Everything that can go wrong in the Benefits module: loading policy files, or calculating.
/// Each case names the place (file and line, parameter, or input) and what would fix it.
public enum BenefitsError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The YAML text itself could not be read.
    case malformedYAML(file: String, detail: String)
    /// A key that the policy format does not know.
    case unknownKey(file: String, line: Int, key: String, allowed: [String])
    /// A required field is absent (for example `source`).
    case missingField(file: String, line: Int, field: String, parameter: String)
    /// A money amount or rate below zero.
    case negativeAmount(file: String, line: Int, field: String, value: String)
    /// A field's value has the wrong shape.
    case invalidValue(file: String, line: Int, field: String, value: String, expected: String)
    /// Two entries of the same parameter and region cover the same day.
    case overlappingDates(parameter: String, region: String, first: String, second: String)
    /// No entry covers the date asked for (and the calculation does not project).
    case notCovered(parameter: String, region: String, date: PolicyDate)
    /// A value given by the user (command line or caller) is outside what is allowed.
    case invalidInput(name: String, value: String, allowed: String)
    /// A directory of policy files could not be read.
    case unreadable(path: String, detail: String)

    public var description: String {
        switch self {
        case let .malformedYAML(file, detail):
            return "\(file): not valid YAML: \(detail). Fix the indentation or quoting there."
        case let .unknownKey(file, line, key, allowed):
            return "\(file):\(line): unknown key '\(key)'. Allowed here: \(allowed.joined(separator: ", ")). Check the spelling."
        case let .missingField(file, line, field, parameter):
            return "\(file):\(line): parameter '\(parameter)' has no '\(field)'. Add it (every figure needs \(field == "source" ? "the document number or URL it comes from" : "this field"))."
        case let .negativeAmount(file, line, field, value):
            return "\(file):\(line): '\(field)' is \(value), which is negative. Amounts and rates must be 0 or more."
        case let .invalidValue(file, line, field, value, expected):
            return "\(file):\(line): '\(field)' is '\(value)', expected \(expected)."
        case let .overlappingDates(parameter, region, first, second):
            return "parameter '\(parameter)' for region \(region) has overlapping dates: \(first) and \(second). End the earlier entry (set 'to') the day before the later one starts."
        case let .notCovered(parameter, region, date):
            return "no value of '\(parameter)' for region \(region) covers \(date). Add an entry to content/policy/ covering that date, or give the figure explicitly."
        case let .invalidInput(name, value, allowed):
            return "\(name) '\(value)' is not allowed: expected \(allowed)."
        case let .unreadable(path, detail):
            return "cannot read policy files at \(path): \(detail)"
        }
    }
}
