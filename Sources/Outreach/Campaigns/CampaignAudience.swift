import Foundation
import Registry

/// A campaign's audience as stored with it: the same fields as `registry find`, kept as JSON so the
/// store compiles it to parameterised SQL each time (never pasted into SQL).
public struct CampaignAudience: Codable, Sendable, Equatable {
    public var categories: [String]
    public var areas: [String]
    public var minAge: Int?
    public var maxAge: Int?
    public var pension: [String]
    /// Empty: everyone, so the preview can say who is deceased or moved.
    public var life: [String]
    public var name: String?

    public init(_ f: ResidentFilter) {
        categories = f.categories.map(\.rawValue)
        areas = f.areaPrefixes.map(\.value)
        minAge = f.minAge
        maxAge = f.maxAge
        pension = f.pension.map(\.rawValue)
        life = f.life.map(\.rawValue)
        name = f.nameContains
    }

    public var filter: ResidentFilter {
        get throws {
            var f = ResidentFilter()
            f.categories = try categories.map { c in
                guard let v = Category(rawValue: c) else { throw CampaignError.storedAudienceUnreadable(campaign: "", detail: "category \(c)") }
                return v
            }
            f.areaPrefixes = try areas.map { try AreaPrefix($0) }
            f.minAge = minAge
            f.maxAge = maxAge
            f.pension = try pension.map { p in
                guard let v = PensionScheme(rawValue: p) else { throw CampaignError.storedAudienceUnreadable(campaign: "", detail: "pension \(p)") }
                return v
            }
            f.life = try life.map { l in
                guard let v = LifeStatus(rawValue: l) else { throw CampaignError.storedAudienceUnreadable(campaign: "", detail: "life \(l)") }
                return v
            }
            f.nameContains = name
            return f
        }
    }

    /// A short description for tables.
    public var summary: String {
        var parts: [String] = []
        if !categories.isEmpty { parts.append(categories.compactMap { Category(rawValue: $0)?.chinese }.joined(separator: "+")) }
        if !areas.isEmpty { parts.append("地区 " + areas.joined(separator: "/")) }
        if let minAge { parts.append("≥\(minAge)岁") }
        if let maxAge { parts.append("≤\(maxAge)岁") }
        if !pension.isEmpty { parts.append("养老 " + pension.joined(separator: "/")) }
        if !life.isEmpty { parts.append(life.joined(separator: "/")) }
        if let name { parts.append("姓名含“\(name)”") }
        return parts.isEmpty ? "全部" : parts.joined(separator: "，")
    }

    public func json() -> String { String(decoding: (try? CampaignJSON.encoder.encode(self)) ?? Data("{}".utf8), as: UTF8.self) }

    public static func decode(_ json: String, campaign: String) throws(CampaignError) -> CampaignAudience {
        do { return try JSONDecoder().decode(CampaignAudience.self, from: Data(json.utf8)) } catch {
            throw .storedAudienceUnreadable(campaign: campaign, detail: "\(error)")
        }
    }
}

enum CampaignJSON {
    static let encoder: JSONEncoder = {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return e
    }()
}
