import Foundation

/// Where the tool finds its content, templates and working data.
///
/// Content (`content/`) and templates (`Templates/`) are looked up in this order:
/// `$CARNATION_CONTENT` / `$CARNATION_TEMPLATES`, then `./content` in the working directory,
/// then the directories beside the executable and its parents (so a built binary in
/// `.build/release/` finds the checkout's `content/`). Working data (`var/`) lives under
/// `$CARNATION_HOME` or the working directory.
enum CarnationPaths {
    static func content(_ subpath: String = "") throws -> URL {
        try locate(directory: "content", environment: "CARNATION_CONTENT").appendingPathComponent(subpath)
    }

    static func templates(_ subpath: String = "") throws -> URL {
        try locate(directory: "Templates", environment: "CARNATION_TEMPLATES").appendingPathComponent(subpath)
    }

    /// `$CARNATION_HOME/var` or `./var`, created if missing.
    static func varDirectory() throws -> URL {
        let env = ProcessInfo.processInfo.environment
        let base = env["CARNATION_HOME"].map { URL(fileURLWithPath: $0) }
            ?? URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
        let dir = base.appendingPathComponent("var")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }

    private static func locate(directory: String, environment: String) throws -> URL {
        let fm = FileManager.default
        let env = ProcessInfo.processInfo.environment
        if let explicit = env[environment], !explicit.isEmpty {
            return URL(fileURLWithPath: explicit)
        }
        var candidates = [URL(fileURLWithPath: fm.currentDirectoryPath)]
        var exe = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        for _ in 0..<6 {
            candidates.append(exe)
            exe = exe.deletingLastPathComponent()
        }
        for base in candidates {
            let url = base.appendingPathComponent(directory)
            var isDir: ObjCBool = false
            if fm.fileExists(atPath: url.path, isDirectory: &isDir), isDir.boolValue { return url }
        }
        throw PathError.notFound(directory: directory, environment: environment)
    }

    enum PathError: Error, CustomStringConvertible {
        case notFound(directory: String, environment: String)
        var description: String {
            switch self {
            case let .notFound(directory, environment):
                return "cannot find the '\(directory)/' directory: run carnation from the checkout, or set \(environment) to its path"
            }
        }
    }
}
