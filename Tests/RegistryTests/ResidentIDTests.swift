import Testing
@testable import Registry

@Suite struct ResidentIDTests {
    @Test func acceptsTheStandardExample() throws {
        let id = try ResidentID("11010519491231002X")
        #expect(id.value == "11010519491231002X")
        #expect(id.birthDate == CalendarDate(year: 1949, month: 12, day: 31))
        #expect(id.sex == .female)
        #expect(id.issuingArea == "110105")
        #expect(id.masked == "1101**********002X")
    }

    @Test func lowercaseXIsUppercased() throws {
        #expect(try ResidentID("11010519491231002x").value == "11010519491231002X")
    }

    @Test func upgradesFifteenDigits() throws {
        #expect(try ResidentID("110105491231002").value == "11010519491231002X")
    }

    @Test func rejectsWrongChecksumAndSaysWhatItShouldBe() {
        #expect(throws: ResidentIDError.checksum("110105194912310021", expected: "X")) { try ResidentID("110105194912310021") }
    }

    @Test func spreadsheetNumbersAreExplained() {
        #expect(throws: ResidentIDError.spreadsheetNumber("5.30102E+17")) { try ResidentID("5.30102E+17") }
        // Fifteen significant digits survive; the last three become zeros.
        #expect(throws: ResidentIDError.spreadsheetNumber("530102195001011000")) { try ResidentID("530102195001011000") }
        let e = ResidentIDError.spreadsheetNumber("5.30102E+17")
        #expect(e.description.contains("spreadsheet"))
    }

    @Test func impossibleBirthDate() {
        let body = "53010219500230123"
        let id = body + String(ResidentID.checkCharacter(forDigits: body))
        #expect(throws: ResidentIDError.impossibleBirthDate(id)) { try ResidentID(id) }
    }

    @Test func wrongLengthAndCharacters() {
        #expect(throws: ResidentIDError.wrongLength("1234", count: 4)) { try ResidentID("1234") }
        #expect(throws: ResidentIDError.badCharacters("11010519491231002Y")) { try ResidentID("11010519491231002Y") }
        #expect(throws: ResidentIDError.empty) { try ResidentID("  ") }
    }

    @Test func errorTextMasksTheNumber() {
        let e = ResidentIDError.checksum("110105194912310021", expected: "X")
        #expect(!e.description.contains("110105194912310021"))
        #expect(e.description.contains("1101"))
    }

    /// Property: every generated ID is valid, round-trips, and any single changed digit breaks it.
    @Test func propertyGeneratedIDsValidateAndSingleErrorsAreCaught() throws {
        var rng = SeededRandom(seed: 42)
        for _ in 0..<2000 {
            let birth = CalendarDate(daysSinceEpoch: rng.int(-25000...15000))!
            let id = ResidentID(area: "53" + String(rng.int(1000...9999)), birth: birth, sequence: rng.int(0...999))
            let parsed = try ResidentID(id.value)
            #expect(parsed == id)
            #expect(parsed.birthDate == birth)
            var chars = Array(id.value)
            let pos = rng.int(0...16)
            let old = chars[pos]
            var new: Character
            repeat { new = Character(String(rng.int(0...9))) } while new == old
            chars[pos] = new
            #expect(throws: ResidentIDError.self) { try ResidentID(String(chars)) }
        }
    }

    /// The in-place check for already normalised IDs agrees with the full parse, and the stored key
    /// gives the same ID back.
    @Test func fastPathAndKeyAgreeWithTheFullParse() throws {
        var rng = SeededRandom(seed: 7)
        for _ in 0..<2000 {
            let birth = CalendarDate(daysSinceEpoch: rng.int(-25000...15000))!
            let id = ResidentID(area: "53" + String(rng.int(1000...9999)), birth: birth, sequence: rng.int(0...999))
            #expect(ResidentID.keyIfNormalised(id.value) == id.key)
            #expect(ResidentID(key: id.key) == id)
            #expect(String(id.key) == String(id.value.prefix(17)))
            // Lowercase x, spaces or a wrong check character never pass the fast path (the full parse decides).
            let spaced = " " + id.value
            #expect(ResidentID.keyIfNormalised(spaced) == nil)
            #expect(try ResidentID(spaced) == id)
            if id.value.hasSuffix("X") {
                #expect(ResidentID.keyIfNormalised(id.value.lowercased()) == nil)
                #expect(try ResidentID(id.value.lowercased()) == id)
            }
        }
        #expect(ResidentID.keyIfNormalised("530102195002301234") == nil)  // 30 February
        // A leading 0 is no province; the key (an integer) could not hold it either.
        let zero = "030102195001011234"
        let check = ResidentID.checkCharacter(forDigits: String(zero.prefix(17)))
        #expect(throws: ResidentIDError.noProvince(String(zero.prefix(17)) + String(check))) { try ResidentID(String(zero.prefix(17)) + String(check)) }
        #expect(ResidentID(key: 53_010_219_500_230_123) == nil)
        #expect(ResidentID(key: 1_234) == nil)
        #expect(ResidentID(key: 100_000_000_000_000_000) == nil)
    }
}

@Suite struct PhoneNumberTests {
    @Test(arguments: ["13812345678", "138 1234 5678", "138-1234-5678", "+86 138 1234 5678", "+8613812345678", "8613812345678", "0086 13812345678"])
    func normalisesMobiles(raw: String) throws {
        #expect(try PhoneNumber(raw) == .mobile("13812345678"))
    }

    @Test func keepsLandlines() throws {
        let p = try PhoneNumber("0871-65123456")
        #expect(p == .landline("0871-65123456"))
        #expect(!p.canReceiveSMS)
    }

    @Test func masks() throws {
        #expect(try PhoneNumber("13812345678").masked == "138****5678")
    }

    @Test func rejects() {
        #expect(throws: PhoneNumberError.self) { try PhoneNumber("12812345678") }
        #expect(throws: PhoneNumberError.self) { try PhoneNumber("1381234") }
        #expect(throws: PhoneNumberError.self) { try PhoneNumber("１３８１２３４５６７８") }
        #expect(throws: PhoneNumberError.spreadsheetNumber("1.38123E+10")) { try PhoneNumber("1.38123E+10") }
    }
}

@Suite struct CalendarDateTests {
    @Test(arguments: ["1950-01-01", "1950/1/1", "19500101", "1950.1.1", "1950年1月1日", "18264"])
    func parsesDepartmentFormats(raw: String) {
        #expect(CalendarDate(parsing: raw) == CalendarDate(year: 1950, month: 1, day: 1))
    }

    @Test func rejectsImpossibleDates() {
        #expect(CalendarDate(parsing: "1950-02-30") == nil)
        #expect(CalendarDate(parsing: "1950-13-01") == nil)
        #expect(CalendarDate(parsing: "2023-02-29") == nil)
        #expect(CalendarDate(parsing: "2024-02-29") != nil)
    }

    @Test func ageCountsBirthdays() {
        let b = CalendarDate(year: 1946, month: 11, day: 30)!
        #expect(b.age(on: CalendarDate(year: 2026, month: 11, day: 29)!) == 79)
        #expect(b.age(on: CalendarDate(year: 2026, month: 11, day: 30)!) == 80)
    }

    @Test func epochRoundTrip() {
        for z in stride(from: -30000, through: 40000, by: 37) {
            #expect(CalendarDate(daysSinceEpoch: z)!.daysSinceEpoch == z)
        }
    }
}

@Suite struct AreaCodeTests {
    @Test func levels() throws {
        let a = try AreaCode("532999002201")
        #expect(a.county == "532999")
        #expect(a.township == "532999002")
        #expect(a.isWithin("5329"))
        #expect(throws: AreaCodeError.self) { try AreaCode("53299900220") }
    }

    @Test func prefixesDropZeroLevels() throws {
        #expect(try AreaPrefix("532999000000").value == "532999")
        #expect(try AreaPrefix("532999002000").value == "532999002")
        #expect(try AreaPrefix("5329").value == "5329")
    }
}
