import Foundation

/// Converts GPS coordinates (WGS-84) to the GCJ-02 system that Chinese map apps (Amap, Tencent)
/// expect. A navigation link built from raw WGS-84 points a few hundred metres off, at the wrong house.
///
/// The published closed-form approximation (Krasovsky 1940 ellipsoid); outside mainland China the
/// coordinates are returned unchanged, as the apps do.
public enum MapCoordinates {
    static let a = 6_378_245.0
    static let ee = 0.006_693_421_622_965_943_23

    public static func gcj02(latitude: Double, longitude: Double) -> (latitude: Double, longitude: Double) {
        guard isInMainland(latitude: latitude, longitude: longitude) else { return (latitude, longitude) }
        var dLat = transformLatitude(x: longitude - 105.0, y: latitude - 35.0)
        var dLon = transformLongitude(x: longitude - 105.0, y: latitude - 35.0)
        let radLat = latitude / 180.0 * Double.pi
        var magic = sin(radLat)
        magic = 1 - ee * magic * magic
        let sqrtMagic = magic.squareRoot()
        dLat = (dLat * 180.0) / ((a * (1 - ee)) / (magic * sqrtMagic) * Double.pi)
        dLon = (dLon * 180.0) / (a / sqrtMagic * cos(radLat) * Double.pi)
        return (latitude + dLat, longitude + dLon)
    }

    /// A link that opens Amap (高德地图) navigation to the point, in GCJ-02.
    public static func amapLink(latitude: Double, longitude: Double, name: String) -> String {
        let p = gcj02(latitude: latitude, longitude: longitude)
        let label = name.addingPercentEncoding(withAllowedCharacters: .urlQueryAllowed.subtracting(CharacterSet(charactersIn: "&=+"))) ?? ""
        return String(format: "https://uri.amap.com/navigation?to=%.6f,%.6f,%@&mode=car&coordinate=gaode&callnative=1", p.longitude, p.latitude, label)
    }

    static func isInMainland(latitude: Double, longitude: Double) -> Bool {
        (72.004...137.8347).contains(longitude) && (0.8293...55.8271).contains(latitude)
    }

    static func transformLatitude(x: Double, y: Double) -> Double {
        var r = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * abs(x).squareRoot()
        r += (20.0 * sin(6.0 * x * Double.pi) + 20.0 * sin(2.0 * x * Double.pi)) * 2.0 / 3.0
        r += (20.0 * sin(y * Double.pi) + 40.0 * sin(y / 3.0 * Double.pi)) * 2.0 / 3.0
        r += (160.0 * sin(y / 12.0 * Double.pi) + 320 * sin(y * Double.pi / 30.0)) * 2.0 / 3.0
        return r
    }

    static func transformLongitude(x: Double, y: Double) -> Double {
        var r = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * abs(x).squareRoot()
        r += (20.0 * sin(6.0 * x * Double.pi) + 20.0 * sin(2.0 * x * Double.pi)) * 2.0 / 3.0
        r += (20.0 * sin(x * Double.pi) + 40.0 * sin(x / 3.0 * Double.pi)) * 2.0 / 3.0
        r += (150.0 * sin(x / 12.0 * Double.pi) + 300.0 * sin(x / 30.0 * Double.pi)) * 2.0 / 3.0
        return r
    }
}
