import Foundation
import Hummingbird
import Logging
import HummingbirdTesting
import Messaging
import Outreach
import Testing
import Registry
@testable import Store
@testable import Web

/// A small office for the route tests: two teams, three residents, a saved day, a Kannel gateway, a clock
/// that the test moves, and a voice that returns a fixed WAV.
final class WebFixture: @unchecked Sendable {
    static let day = CalendarDate(year: 2026, month: 11, day: 30)!
    /// 10:00 in Beijing on `day`.
    static let morning = Date(timeIntervalSince1970: 1_795_996_800 + 2 * 3600)
    static let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    let database: CarnationDatabase
    let visits: VisitService
    var now: Date
    let lock = NSLock()
    var settings = WebSettings()
    /// The voice gateway whose call reports the server takes (nil: none).
    var voiceHTTP: VoiceHTTPConfiguration?
    let kannel = KannelConfiguration(sendsmsURL: URL(string: "http://127.0.0.1:13013/cgi-bin/sendsms")!, username: "u", password: "p",
                                     dlrCallbackURL: URL(string: "http://127.0.0.1:8080/gateway/kannel/dlr")!, dlrSecret: "s3cretDLRkey")
    /// Residents: 张大爷 (team A, own phone), 李奶奶 (team A, guardian's phone), 王伯 (team B).
    var zhang: StoredResident!, li: StoredResident!, wang: StoredResident!
    var visitsA: [VisitRecord] = [], visitsB: [VisitRecord] = []

    init() throws {
        database = try CarnationDatabase()
        now = WebFixture.morning
        let book = try VisitRuleBook.parse(try String(contentsOf: WebFixture.repo.appendingPathComponent("content/visit-rules.yaml"), encoding: .utf8),
                                           file: "visit-rules.yaml")
        visits = VisitService(database: database, book: book, registryRules: RegistryRules(elderlyAge: 80))
        let born = CalendarDate(year: 1940, month: 3, day: 1)!
        zhang = StoredResident(id: ResidentID(area: "532999", birth: born, sequence: 11), values: [
            .name: "张大爷", .birthDate: born.description, .areaCode: "532999001201", .phone: "13800000001",
            .latitude: "25.80", .longitude: "100.40", .address: "上村3号",
        ], provenance: [:])
        li = StoredResident(id: ResidentID(area: "532999", birth: born, sequence: 22), values: [
            .name: "李奶奶", .birthDate: born.description, .areaCode: "532999001201", .guardianName: "李明", .guardianPhone: "13900000002",
            .latitude: "25.81", .longitude: "100.41", .address: "上村8号",
        ], provenance: [:])
        wang = StoredResident(id: ResidentID(area: "532888", birth: born, sequence: 33), values: [
            .name: "王伯", .birthDate: born.description, .areaCode: "532888001201", .phone: "13700000003",
        ], provenance: [:])
        _ = try database.importing(source: "test", file: "test", user: "tester", asOf: WebFixture.day, now: now, dryRun: false) { (s: ImportSession) throws -> ((), ImportRecord) in
            for r in [zhang!, li!, wang!] { try s.insert(r) }
            return ((), ImportRecord(source: "test", file: "test", encoding: "UTF-8", asOf: WebFixture.day, user: "tester", counts: ImportCounts()))
        }
        try database.saveTeams([
            Team(name: "一队", areas: ["532999001"], members: [TeamMember(name: "李海燕", phone: "13800000000", skills: [])],
                 baseName: "社保所", baseLatitude: 25.79, baseLongitude: 100.39),
            Team(name: "二队", areas: ["532888001"], members: [TeamMember(name: "赵强", phone: "13800000009", skills: [])],
                 baseName: "二所", baseLatitude: 25.5, baseLongitude: 100.2),
        ])
        let rule = try #require(book.rules.first { $0.explainer != nil })
        func record(_ r: StoredResident, team: String, stop: Int) -> VisitRecord {
            VisitRecord(date: WebFixture.day, team: team, stop: stop, residentID: r.id.value, household: nil, rule: rule.id, kind: rule.kind.rawValue,
                        arrival: 9 * 60 + stop * 30, start: 9 * 60 + stop * 30, end: 9 * 60 + stop * 30 + 20, due: nil, reason: "测试原因")
        }
        visitsA = try database.replacePlannedVisits(team: "一队", date: WebFixture.day, with: [record(zhang, team: "一队", stop: 1), record(li, team: "一队", stop: 2)])
        visitsB = try database.replacePlannedVisits(team: "二队", date: WebFixture.day, with: [record(wang, team: "二队", stop: 1)])
        settings.inboundSecret = "inbound-secret-0123"
        settings.guessBurst = 3
        settings.coordinators = [
            CoordinatorAccount(name: "wang", areas: [try AreaPrefix("532999")], passwordHash: PasswordHash.make("correct horse", iterations: 1_000)),
            CoordinatorAccount(name: "boss", areas: [try AreaPrefix("53")], passwordHash: PasswordHash.make("boss pass", iterations: 1_000)),
            CoordinatorAccount(name: "nobody", areas: [], passwordHash: PasswordHash.make("no areas", iterations: 1_000)),
        ]
    }

    /// The key Kannel's dlr-url carries for message `id`.
    func dlrKey(_ id: Int64) -> String { MessageKey(secret: kannel.dlrSecret!).key(for: String(id)) }

    func setNow(_ date: Date) { lock.lock(); now = date; lock.unlock() }
    func currentNow() -> Date { lock.lock(); defer { lock.unlock() }; return now }

    func web(logger: Logger = quietLogger) async throws -> CarnationWeb {
        let templates = try await WebTemplates.load(directory: WebFixture.repo.appendingPathComponent("Templates/web"))
        let services = WebServices(database: database, visits: visits, settings: settings, kannel: kannel, voiceHTTP: voiceHTTP, voice: FakeVoice(),
                                   templates: templates, now: { [self] in self.currentNow() })
        return try CarnationWeb(services: services, logger: logger)
    }

    func app() async throws -> some ApplicationProtocol {
        let w = try await web()
        return Application(router: w.router())
    }
}

/// A voice that speaks every explainer as the same tiny WAV header, marked with the script's length.
struct FakeVoice: ExplainerVoiceSource {
    func script(explainer: String, residentID: String, on date: CalendarDate) throws -> String? { "讲解\(explainer)：请按时认证。" }
    func audio(script: String) async throws -> Data { Data("RIFF".utf8) + Data(repeating: UInt8(script.count % 256), count: 40) }
}

extension TestResponse {
    var text: String { String(buffer: body) }
}

func form(_ fields: [(String, String)]) -> ByteBuffer {
    ByteBuffer(string: fields.map { KannelURL.percentEncode($0.0) + "=" + KannelURL.percentEncode($0.1) }.joined(separator: "&"))
}

/// Tests keep the output readable: the access log is exercised, not printed.
let quietLogger = Logger(label: "carnation.web.test", factory: { _ in SwiftLogNoOpLogHandler() })

let formHeaders: HTTPFields = [.contentType: "application/x-www-form-urlencoded"]
