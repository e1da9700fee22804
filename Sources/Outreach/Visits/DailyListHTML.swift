import Foundation
import Mustache

extension DailyList {
    /// A large-print A4 page from `Templates/print/visit-list.mustache` (values HTML-escaped by the template engine).
    public func html(template text: String, path: String) throws(VisitError) -> String {
        let template: MustacheTemplate
        do { template = try MustacheTemplate(string: text) } catch {
            throw .file(file: path, line: 0, detail: "not a valid Mustache template: \(error)")
        }
        return template.render(context)
    }

    /// The list as plain dictionaries and arrays for the template (joined lists as text; empty values left out).
    var context: [String: Any] {
        func nonEmpty(_ s: String?) -> Any? { s.flatMap { $0.isEmpty ? nil : $0 } }
        let stops: [[String: Any]] = stops.map { s in
            var position: String?
            if let la = s.latitude, let lo = s.longitude { position = String(format: "北纬%.5f 东经%.5f（GPS）", la, lo) }
            let people: [[String: Any]] = s.people.map { p in
                var d: [String: Any] = ["name": p.name, "sex": p.sex, "age": p.age, "maskedID": p.maskedID]
                d["categories"] = nonEmpty(p.categories.joined(separator: "、"))
                d["guardian"] = nonEmpty(p.guardian)
                d["guardianPhone"] = p.guardianPhone ?? "无电话"
                d["phone"] = nonEmpty(p.phone)
                d["notes"] = nonEmpty(p.notes.joined(separator: "；"))
                d["tasks"] = p.tasks.map { t -> [String: Any] in
                    var td: [String: Any] = ["title": t.title, "visit": String(t.visit), "status": t.status, "task": t.task, "reason": t.reason]
                    td["explainer"] = nonEmpty(t.explain?.question ?? t.explainer)
                    td["figures"] = t.explain.flatMap { nonEmpty($0.figures.joined(separator: "；")) }
                    td["confirmLocally"] = (t.explain?.confirmLocally ?? false) ? true : nil
                    td["audio"] = t.explain.map { $0.audioReady ? "语音已备好" : "语音未生成" }
                    return td.compactMapValues { $0 }
                }
                return d.compactMapValues { $0 }
            }
            var d: [String: Any] = ["number": s.number, "arrival": s.arrival, "start": s.start, "end": s.end, "village": s.village,
                                    "address": s.address, "people": people]
            d["position"] = position
            d["navigation"] = s.navigation
            return d
        }
        return ["team": team, "date": date, "base": base, "members": members.joined(separator: "，"), "stops": stops]
    }
}
