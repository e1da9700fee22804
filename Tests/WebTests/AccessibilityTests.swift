import Foundation
import HummingbirdTesting
import Testing
@testable import Web

/// Checks a rendered page against the rules the team page promises: language, labels, names of controls,
/// tap-target size and colour contrast (WCAG 2 relative luminance).
enum AccessibilityCheck {
    static func problems(html: String, css: String) -> [String] {
        var out: [String] = []
        if !html.contains("<html lang=\"zh-CN\">") { out.append("the page does not say lang=\"zh-CN\"") }
        if !html.contains("name=\"viewport\"") { out.append("no viewport meta: the page will be tiny on a phone") }
        // Every visible input has a label: wrapped in one, or named by one's `for`.
        let labelled = Set(matches(#"<label[^>]*for="([^"]+)""#, in: html))
        for input in matches(#"(<input[^>]*>)"#, in: html) where !input.contains("type=\"hidden\"") {
            if let id = matches(#"id="([^"]+)""#, in: input).first, labelled.contains(id) { continue }
            if html.contains("<label class=\"choice\">" + input) { continue }
            out.append("input without a label: \(input)")
        }
        for audio in matches(#"(<audio[^>]*>)"#, in: html) where !audio.contains("aria-label=\"") {
            out.append("audio without a name: \(audio)")
        }
        for text in matches(#"<button[^>]*>([^<]*)</button>"#, in: html) + matches(#"<a class="button[^"]*"[^>]*>([^<]*)</a>"#, in: html)
            where text.trimmingCharacters(in: .whitespaces).isEmpty {
            out.append("a button without text")
        }
        // Tap targets: the rules for buttons, choices and the note field give at least 48 px.
        for selector in [".button, button", ".choice", "input[name=note]"] {
            guard let rule = rule(selector, in: css), let h = matches(#"min-height:\s*(\d+)px"#, in: rule).first.flatMap(Int.init), h >= 48 else {
                out.append("tap target \(selector) is under 48 px"); continue
            }
        }
        // Contrast of every rule that sets both a text colour and a background.
        for (selector, body) in rules(in: css) {
            guard let fg = matches(#"(?:^|[;\s])color:\s*(#[0-9a-fA-F]{3,6})"#, in: body).first,
                  let bg = matches(#"background:\s*(#[0-9a-fA-F]{3,6})"#, in: body).first else { continue }
            let ratio = contrast(fg, bg)
            if ratio < 4.5 { out.append("contrast \(String(format: "%.1f", ratio)):1 in \(selector)") }
        }
        return out
    }

    static func matches(_ pattern: String, in text: String) -> [String] {
        guard let re = try? NSRegularExpression(pattern: pattern, options: [.dotMatchesLineSeparators]) else { return [] }
        return re.matches(in: text, range: NSRange(text.startIndex..., in: text)).compactMap { m in
            Range(m.range(at: 1), in: text).map { String(text[$0]) }
        }
    }

    static func rules(in css: String) -> [(String, String)] {
        guard let re = try? NSRegularExpression(pattern: #"([^{}]+)\{([^}]*)\}"#) else { return [] }
        return re.matches(in: css, range: NSRange(css.startIndex..., in: css)).compactMap { m in
            guard let s = Range(m.range(at: 1), in: css), let b = Range(m.range(at: 2), in: css) else { return nil }
            let selector = css[s].split(separator: "\n").filter { !$0.trimmingCharacters(in: .whitespaces).hasPrefix("/*") }.joined(separator: " ")
            return (selector.trimmingCharacters(in: .whitespacesAndNewlines), String(css[b]))
        }
    }

    /// The rule whose selector is `selector`, or whose selector list contains each of its parts.
    static func rule(_ selector: String, in css: String) -> String? {
        let wanted = Set(selector.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) })
        return rules(in: css).first { r in wanted.isSubset(of: Set(r.0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) })) }?.1
    }

    static func luminance(_ hex: String) -> Double {
        var h = String(hex.dropFirst())
        if h.count == 3 { h = h.map { "\($0)\($0)" }.joined() }
        let v = Int(h, radix: 16) ?? 0
        func channel(_ c: Int) -> Double {
            let s = Double(c) / 255
            return s <= 0.03928 ? s / 12.92 : pow((s + 0.055) / 1.055, 2.4)
        }
        return 0.2126 * channel(v >> 16 & 255) + 0.7152 * channel(v >> 8 & 255) + 0.0722 * channel(v & 255)
    }

    static func contrast(_ a: String, _ b: String) -> Double {
        let (x, y) = (luminance(a), luminance(b))
        return (max(x, y) + 0.05) / (min(x, y) + 0.05)
    }
}

@Suite struct AccessibilityTests {
    @Test func theCheckerFindsWhatItLooksFor() {
        let bad = "<html><body><input name=\"x\"><audio src=\"a\"></audio><button></button></body></html>"
        let css = ".button, button { min-height: 30px; color: #777; background: #888; }"
        let p = AccessibilityCheck.problems(html: bad, css: css)
        #expect(p.contains { $0.contains("zh-CN") })
        #expect(p.contains { $0.contains("input without a label") })
        #expect(p.contains { $0.contains("audio without a name") })
        #expect(p.contains { $0.contains("button without text") })
        #expect(p.contains { $0.contains("tap target .button, button") })
        #expect(p.contains { $0.contains("contrast") })
        #expect(abs(AccessibilityCheck.contrast("#000", "#fff") - 21) < 0.01)
    }

    @Test func theTeamPageAndTheOfficePagesPass() async throws {
        let f = try WebFixture()
        let token = try TeamLinks(database: f.database).issue(team: "一队", date: WebFixture.day, now: f.now).token
        let app = try await f.app()
        try await app.test(.router) { client in
            let css = try await client.execute(uri: "/static/carnation.css", method: .get) { r in
                #expect(r.status == .ok)
                #expect(r.headers[.contentType] == "text/css; charset=utf-8")
                return r.text
            }
            let page = try await client.execute(uri: "/team/\(token)", method: .get) { $0.text }
            #expect(AccessibilityCheck.problems(html: page, css: css) == [])
            let login = try await client.execute(uri: "/office/login", method: .get) { $0.text }
            #expect(AccessibilityCheck.problems(html: login, css: css) == [])
        }
    }
}
