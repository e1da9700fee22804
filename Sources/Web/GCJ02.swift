import Foundation
import Registry

/// WGS-84 → GCJ-02, the offset datum Chinese map apps (Amap, Tencent, Baidu with `coord_type=gcj02`) expect.
///
/// Outside mainland China the coordinates are returned unchanged. Pure.
public enum GCJ02 {
    public struct Coordinate: Sendable, Equatable {
        public var latitude: Double
        public var longitude: Double
        public init(latitude: Double, longitude: Double) { self.latitude = latitude; self.longitude = longitude }
    }

    /// The conversion itself is Registry's `MapCoordinates.gcj02` (one implementation in the project);
    /// the tests here check it against eviltransform's published points.
    public static func fromWGS84(_ c: Coordinate) -> Coordinate {
        let g = MapCoordinates.gcj02(latitude: c.latitude, longitude: c.longitude)
        return Coordinate(latitude: g.latitude, longitude: g.longitude)
    }
}

/// Links that open a stop in a map app. Only the place goes into them, never a resident's name.
public enum MapLinks {
    /// Amap's URI API (opens the app when installed, else its web page); GCJ-02.
    public static func amap(_ wgs: GCJ02.Coordinate, name: String) -> String {
        let g = GCJ02.fromWGS84(wgs)
        return "https://uri.amap.com/marker?position=\(fixed(g.longitude)),\(fixed(g.latitude))&name=\(encode(name))&coordinate=gaode&callnative=1&src=carnation"
    }

    /// Baidu's URI API told the coordinates are GCJ-02.
    public static func baidu(_ wgs: GCJ02.Coordinate, name: String) -> String {
        let g = GCJ02.fromWGS84(wgs)
        return "https://api.map.baidu.com/marker?location=\(fixed(g.latitude)),\(fixed(g.longitude))&title=\(encode(name))&content=\(encode(name))&output=html&coord_type=gcj02&src=carnation"
    }

    /// A `geo:` URI (RFC 5870, WGS-84) for any other Android map app.
    public static func geo(_ wgs: GCJ02.Coordinate) -> String {
        "geo:\(fixed(wgs.latitude)),\(fixed(wgs.longitude))"
    }

    static func fixed(_ x: Double) -> String {
        let scaled = Int((abs(x) * 1_000_000).rounded())
        let frac = String(scaled % 1_000_000)
        return (x < 0 ? "-" : "") + String(scaled / 1_000_000) + "." + String(repeating: "0", count: 6 - frac.count) + frac
    }

    static func encode(_ s: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return s.addingPercentEncoding(withAllowedCharacters: allowed) ?? ""
    }
}
