import Foundation
import TaktScenario
import Testing

@Suite("Buffered output files")
final class BufferedFileTests {
    /// This test's own directory, removed when the test ends (one test writes 2 MB).
    private let directory = FileManager.default.temporaryDirectory.appendingPathComponent("takt-buffered-\(UUID())")

    init() throws { try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true) }

    deinit { try? FileManager.default.removeItem(at: directory) }

    private func temporaryPath(_ name: String) -> String { directory.appendingPathComponent(name).path }

    @Test("rows over many blocks come out exactly as the same rows built as strings")
    func manyBlocks() throws {
        let path = temporaryPath("rows.csv")
        let names = CSVNames(["s1", "reflow, zone 2", "say \"hi\""])
        var file = try BufferedFile(creating: path)
        var expected = ""
        for row in 0..<120_000 {
            let time = Double(row) * 1.0625 - 17.3
            file.integer(row - 5)
            file.comma()
            file.append(names, row % 3)
            file.comma()
            file.number(time, decimals: 3)
            try file.endRow()
            expected += "\(row - 5),\(CSVCell.escaped(["s1", "reflow, zone 2", "say \"hi\""][row % 3])),"
            expected += DecimalText.printf(time, decimals: 3) + "\n"
        }
        try file.close()
        let written = try String(contentsOfFile: path, encoding: .utf8)
        #expect(written.utf8.count > 2 << 20)
        #expect(written == expected)
    }

    @Test("a field longer than the buffer is written whole, in order")
    func longField() throws {
        let path = temporaryPath("long.csv")
        let long = String(repeating: "abcdefghij", count: 300_000)
        var file = try BufferedFile(creating: path)
        file.append("head,")
        file.append(long)
        file.comma()
        file.number(1.5, decimals: 1)
        try file.endRow()
        try file.close()
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "head,\(long),1.5\n")
    }

    @Test("numbers printf writes on its own path (huge, not finite) come out as printf writes them")
    func slowNumbers() throws {
        let path = temporaryPath("slow.csv")
        var file = try BufferedFile(creating: path)
        file.number(1e300, decimals: 2)
        file.comma()
        file.number(-.infinity, decimals: 2)
        try file.endRow()
        try file.close()
        let expected = DecimalText.printf(1e300, decimals: 2) + ",-inf\n"
        #expect(try String(contentsOfFile: path, encoding: .utf8) == expected)
    }

    @Test("a file that cannot be created is an error naming it and why")
    func cannotCreate() {
        #expect {
            _ = try BufferedFile(creating: "/nonexistent-folder/rows.csv")
        } throws: { error in
            "\(error)".contains("/nonexistent-folder/rows.csv: cannot be created (No such file or directory)")
        }
    }
}
