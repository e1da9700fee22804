import Testing
@testable import Registry

@Suite struct TranscoderTests {
    let text = "姓名,身份证号\r\n张𠮷,11010519491231002X\r\n"

    func decode(_ bytes: [UInt8], chunk: Int) throws -> (String, SourceEncoding?) {
        var t = UTF8Transcoder()
        var out: [UInt8] = []
        var i = 0
        while i < bytes.count {
            out += try t.transcode(Array(bytes[i..<min(bytes.count, i + chunk)]))
            i += chunk
        }
        out += try t.finish()
        return (String(decoding: out, as: UTF8.self), t.encoding)
    }

    @Test(arguments: [1, 2, 3, 7, 4096])
    func utf8WithAndWithoutBOM(chunk: Int) throws {
        #expect(try decode(Array(text.utf8), chunk: chunk) == (text, .utf8))
        #expect(try decode([0xEF, 0xBB, 0xBF] + Array(text.utf8), chunk: chunk) == (text, .utf8BOM))
    }

    @Test(arguments: [1, 2, 3, 5, 4096])
    func gb18030IsDetected(chunk: Int) throws {
        let gbk = try encodeGB18030(text)
        #expect(gbk != Array(text.utf8))
        #expect(try decode(gbk, chunk: chunk) == (text, .gb18030))
    }

    @Test func asciiFirstThenGBK() throws {
        let long = String(repeating: "a,b\r\n", count: 1000) + "王,李\r\n"
        #expect(try decode(try encodeGB18030(long), chunk: 512) == (long, .gb18030))
    }

    @Test func mixedEncodingsAreAnError() throws {
        // UTF-8 decided by the first chunk, then GBK bytes in a later one.
        let utf8Part = Array("张三\r\n".utf8)
        let bytes = utf8Part + (try encodeGB18030("李四王五\r\n"))
        #expect(throws: DecodingFailure.self) { try decode(bytes, chunk: utf8Part.count) }
        #expect(throws: DecodingFailure.self) { try decode(Array("张三,".utf8) + Array(repeating: 0x41, count: 20) + [0xFF, 0xFE, 0x41], chunk: 4) }
    }
}

@Suite struct CSVReaderTests {
    func parse(_ s: String, chunk: Int = 1 << 16) throws -> ([CSVRecord], Bool) {
        var reader = CSVReader()
        var out: [CSVRecord] = []
        let bytes = Array(s.utf8)
        var i = 0
        while i < bytes.count { reader.consume(Array(bytes[i..<min(bytes.count, i + chunk)])) { out.append($0) }; i += chunk }
        if let last = try reader.finish() { out.append(last) }
        return (out, reader.lastRecordTerminated)
    }

    @Test(arguments: [1, 3, 1000])
    func excelQuoting(chunk: Int) throws {
        let (records, terminated) = try parse("a,\"b,c\",\"say \"\"hi\"\"\"\r\n\"multi\nline\",x,\r\nlast,1,2\n", chunk: chunk)
        #expect(records.map(\.fields) == [["a", "b,c", "say \"hi\""], ["multi\nline", "x", ""], ["last", "1", "2"]])
        #expect(records.map(\.line) == [1, 2, 4])
        #expect(terminated)
    }

    @Test func lastLineWithoutNewline() throws {
        let (records, terminated) = try parse("a,b\nc,d")
        #expect(records.last?.fields == ["c", "d"])
        #expect(!terminated)
    }

    @Test func unterminatedQuoteIsACutFile() {
        #expect(throws: CSVError.unterminatedQuote(line: 2)) { try parse("a,b\n\"cut off here,") }
    }
}
