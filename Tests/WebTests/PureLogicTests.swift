import Digests
import Foundation
import Messaging
import Testing
@testable import Web

@Suite struct GCJ02Tests {
    /// eviltransform's published vectors: (WGS-84, GCJ-02).
    static let vectors: [(Double, Double, Double, Double)] = [
        (31.1774276, 121.5272106, 31.17530398364597, 121.531541859215),   // Shanghai
        (22.543847, 113.912316, 22.540796131694766, 113.9171764808363),   // Shenzhen
        (39.911954, 116.377817, 39.91334545536069, 116.38404722455657),   // Beijing
    ]

    @Test func convertsThePublishedPoints() {
        for (la, lo, gla, glo) in Self.vectors {
            let g = GCJ02.fromWGS84(.init(latitude: la, longitude: lo))
            #expect(abs(g.latitude - gla) < 1e-7, "latitude \(g.latitude) for \(la)")
            #expect(abs(g.longitude - glo) < 1e-7, "longitude \(g.longitude) for \(lo)")
        }
    }

    @Test func leavesPointsOutsideChinaAlone() {
        let denver = GCJ02.Coordinate(latitude: 39.7392, longitude: -104.9903)
        #expect(GCJ02.fromWGS84(denver) == denver)
        // A Yunnan village moves by a few hundred metres, as the offset does there.
        let village = GCJ02.Coordinate(latitude: 25.80, longitude: 100.40)
        let g = GCJ02.fromWGS84(village)
        #expect(abs(g.latitude - 25.80) > 0.0005 && abs(g.latitude - 25.80) < 0.01)
        #expect(abs(g.longitude - 100.40) > 0.0005 && abs(g.longitude - 100.40) < 0.01)
    }

    @Test func mapLinksCarryConvertedCoordinatesAndOnlyThePlace() {
        let c = GCJ02.Coordinate(latitude: 31.1774276, longitude: 121.5272106)
        let amap = MapLinks.amap(c, name: "上村")
        #expect(amap.contains("position=121.531542,31.175304"))
        #expect(amap.contains("coordinate=gaode"))
        #expect(amap.contains("name=%E4%B8%8A%E6%9D%91"))
        #expect(MapLinks.baidu(c, name: "上村").contains("location=31.175304,121.531542") )
        #expect(MapLinks.baidu(c, name: "上村").contains("coord_type=gcj02"))
        #expect(MapLinks.geo(c) == "geo:31.177428,121.527211")
    }
}

@Suite struct InboundReplyTests {
    @Test func classifiesReplies() {
        #expect(InboundReply.classify("退订") == .optOut)
        #expect(InboundReply.classify(" td ") == .optOut)
        #expect(InboundReply.classify("STOP!") == .optOut)
        #expect(InboundReply.classify("请给我回电话") == .callMe)
        #expect(InboundReply.classify("看不懂，能来我家讲讲吗") == .callMe)
        #expect(InboundReply.classify("call") == .callMe)
        #expect(InboundReply.classify("call me") == .callMe)
        #expect(InboundReply.classify("recall") == .other)
        #expect(InboundReply.classify("谢谢") == .other)
        // Opting out wins over anything else in the same text.
        #expect(InboundReply.classify("别打电话了，退订") == .optOut)
        #expect(InboundReply.classify("不要", optOut: OptOutKeywords(["不要"])) == .optOut)
    }
}

@Suite struct GuessLimiterTests {
    @Test func allowsABurstThenOneGuessPerRefill() {
        let limiter = GuessLimiter(burst: 3, refillSeconds: 60)
        let t0 = Date(timeIntervalSince1970: 1_000_000)
        for _ in 0..<3 {
            #expect(limiter.allows("1.2.3.4", now: t0))
            limiter.recordFailure("1.2.3.4", now: t0)
        }
        #expect(!limiter.allows("1.2.3.4", now: t0))
        #expect(limiter.retryAfter("1.2.3.4", now: t0) == 60)
        #expect(limiter.allows("5.6.7.8", now: t0), "other clients are not held back")
        #expect(!limiter.allows("1.2.3.4", now: t0.addingTimeInterval(59)))
        #expect(limiter.allows("1.2.3.4", now: t0.addingTimeInterval(60)))
        limiter.recordFailure("1.2.3.4", now: t0.addingTimeInterval(60))
        #expect(!limiter.allows("1.2.3.4", now: t0.addingTimeInterval(61)))
    }

    @Test func forgetsTheOldestClientsBeyondItsCapacity() {
        let limiter = GuessLimiter(burst: 1, refillSeconds: 3600, capacity: 2)
        let t0 = Date(timeIntervalSince1970: 1_000_000)
        limiter.recordFailure("a", now: t0)
        limiter.recordFailure("b", now: t0.addingTimeInterval(1))
        limiter.recordFailure("c", now: t0.addingTimeInterval(2))
        #expect(limiter.allows("a", now: t0.addingTimeInterval(3)))
        #expect(!limiter.allows("c", now: t0.addingTimeInterval(3)))
    }
}

@Suite struct LogAndSettingsTests {
    @Test func logPathsHideTokensAndQueries() {
        #expect(LogPath.redact("/team/AbCdEf0123456789AbCdEf0123456789AbCdEf01234") == "/team/:token")
        #expect(LogPath.redact("/team/AbCdEf0123/outcome") == "/team/:token/outcome")
        #expect(LogPath.redact("/team/sw.js") == "/team/sw.js")
        #expect(LogPath.redact("/gateway/kannel/dlr?outbox=1&key=secret&to=13800000001") == "/gateway/kannel/dlr")
    }

    @Test func readsTheWebSectionAndPasswordHashes() throws {
        let hash = PasswordHash.make("pw", iterations: 1_000)
        let yaml = """
            database: var/x.sqlite
            web:
              public-url: https://carnation.example.org/
              inbound-secret: abcdefghijklmnop12
              opt-out-keywords: [退订, 不要]
              guesses: { burst: 5, refill-seconds: 30 }
              outcome-grace-days: 2
              trusted-proxies: [127.0.0.1]
            users:
              - name: wang
                areas: ["532999"]
                password-hash: "\(hash.description)"
              - name: cli-only
            """
        let s = try WebSettings.parse(yaml, file: "carnation.yaml")
        #expect(s.publicURL == "https://carnation.example.org")
        #expect(s.inboundSecret == "abcdefghijklmnop12")
        #expect(s.optOut.matches("不要"))
        #expect(s.guessBurst == 5 && s.guessRefillSeconds == 30 && s.outcomeGraceDays == 2)
        #expect(s.trustedProxies == ["127.0.0.1"])
        #expect(s.coordinators.map(\.name) == ["wang"])
        #expect(s.coordinators[0].areas.map(\.value) == ["532999"])
        #expect(s.coordinators[0].passwordHash.verify("pw"))
        #expect(throws: WebError.self) { try WebSettings.parse("web:\n  inbound-secret: short\n", file: "c.yaml") }
        #expect(throws: WebError.self) { try WebSettings.parse("web:\n  colour: red\n", file: "c.yaml") }
        #expect(throws: WebError.self) { try WebSettings.parse("users:\n  - name: a\n    password-hash: plain\n", file: "c.yaml") }
    }

    @Test func theNearestProxysClientIsTheLastForwardedAddress() {
        #expect(ClientAddress.lastForwarded("203.0.113.7") == "203.0.113.7")
        #expect(ClientAddress.lastForwarded("1.1.1.1, 203.0.113.7") == "203.0.113.7", "earlier entries are the client's own claims")
        #expect(ClientAddress.lastForwarded(" , ") == nil)
    }

    @Test func progressChartEscapesNames() {
        let svg = ProgressChart.svg([.init(label: "<一队>", recorded: 1, total: 4)])
        #expect(svg.contains("&lt;一队&gt;"))
        #expect(svg.contains("width=\"80\""))
        #expect(svg.contains("1/4"))
    }

    @Test func sessionsAreSignedAndExpire() {
        let key = HMACSHA256(key: Array("k".utf8))
        let s = OfficeSession(user: "王科长", expires: 2_000)
        let v = s.cookieValue(key: key)
        #expect(OfficeSession.verify(v, key: key, now: 1_000) == s)
        #expect(OfficeSession.verify(v, key: key, now: 2_000) == nil)
        #expect(OfficeSession.verify(v, key: HMACSHA256(key: Array("other".utf8)), now: 1_000) == nil)
        let forged = Base64URL.encode(Array("boss".utf8)) + "." + v.split(separator: ".")[1] + "." + v.split(separator: ".")[2]
        #expect(OfficeSession.verify(forged, key: key, now: 1_000) == nil)
    }
}
