import Testing
@testable import Registry

@Suite struct MapCoordinatesTests {
    /// Reference values of the published algorithm (Beijing, Tiananmen); Kunming's offset is a few hundred metres.
    @Test func knownPoints() {
        let beijing = MapCoordinates.gcj02(latitude: 39.908_692, longitude: 116.397_477)
        #expect(abs(beijing.latitude - 39.910_092) < 2e-4)
        #expect(abs(beijing.longitude - 116.403_721) < 2e-4)
        let kunming = MapCoordinates.gcj02(latitude: 25.038_386, longitude: 102.718_338)
        // In Yunnan the shift is also a few hundred metres (between 0.0005° and 0.01° in all).
        let shift = abs(kunming.longitude - 102.718_338) + abs(kunming.latitude - 25.038_386)
        #expect(shift > 0.0005 && shift < 0.01)
    }

    @Test func outsideChinaUnchanged() {
        let paris = MapCoordinates.gcj02(latitude: 48.8566, longitude: 2.3522)
        #expect(paris.latitude == 48.8566 && paris.longitude == 2.3522)
    }

    @Test func amapLinkCarriesGCJ02() {
        let link = MapCoordinates.amapLink(latitude: 25.6, longitude: 100.3, name: "核桃村 12号")
        let p = MapCoordinates.gcj02(latitude: 25.6, longitude: 100.3)
        #expect(link.hasPrefix("https://uri.amap.com/navigation?to="))
        #expect(link.contains(String(format: "%.6f,%.6f", p.longitude, p.latitude)))
        #expect(!link.contains(" "))
    }
}
