import Foundation
import Testing
import TaktExperiment
import TaktReport
import TaktScenario

/// What JSONEncoder writes for the whole results: the reference the streamed file must equal.
func encodedWhole(_ results: ExperimentResults) throws -> Data {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
    return try encoder.encode(results)
}

/// `results` written by ``ResultsJSON`` to a temporary file, read back.
func streamed(_ results: ExperimentResults) throws -> Data {
    let path = NSTemporaryDirectory() + "takt-results-\(UUID().uuidString).json"
    defer { try? FileManager.default.removeItem(atPath: path) }
    try ResultsJSON.write(results, to: path)
    return try Data(contentsOf: URL(fileURLWithPath: path))
}

/// A short run's results with `count` copies of a flagship work order, each changed by `change`.
func resultsWithOrders(_ count: Int, _ change: (Int, inout OrderRecord) -> Void) async throws -> ExperimentResults {
    var results = try await shortRun("transfer-line")
    let template = try #require(try await shortRun("smt-router-line").orders.first)
    results.orders = (0..<count).map { index in
        var order = template
        change(index, &order)
        return order
    }
    return results
}

@Suite("results.json, streamed")
struct ResultsJSONTests {
    @Test("the flagship's results (orders, trace, equipment, products) are byte for byte JSONEncoder's")
    func flagshipEqualsJSONEncoder() async throws {
        let results = try await shortRun("smt-router-line")
        #expect(!results.orders.isEmpty && results.trace != nil && results.equipment != nil)
        #expect(try streamed(results) == encodedWhole(results))
    }

    @Test("results without orders, trace or equipment are byte for byte JSONEncoder's")
    func bareResultsEqualJSONEncoder() throws {
        let results = ExperimentResults(
            scenario: "line", file: "a/b.yaml", seed: 7, replications: 2, horizon: 86_400, warmup: 0,
            generator: "taus2", gslVersion: "2.7",
            kpis: [KPIResult(name: "throughput", unit: "units/h", values: [5, 6.25])])
        #expect(try streamed(results) == encodedWhole(results))
    }

    @Test("order names with quotes, slashes, control characters and non-ASCII are escaped as JSONEncoder does")
    func stringsAreEscapedAsJSONEncoderDoes() async throws {
        let names = ["a\"b", "back\\slash", "x/y", "line\nfeed\r\t", "\u{1}\u{8}\u{c}\u{1f}\u{7f}", "Größe 注文 🚀", ""]
        let results = try await resultsWithOrders(names.count) { index, order in
            order.order = names[index]
            order.product = names[index] + "-p"
            order.state = "state \(index)"
            order.released = index.isMultiple(of: 2) ? nil : 12.5
            order.completed = index.isMultiple(of: 3) ? nil : 99.0
        }
        #expect(try streamed(results) == encodedWhole(results))
    }

    @Test("times of every magnitude are written as JSONEncoder writes them (shortest text, no trailing .0)")
    func numbersAreWrittenAsJSONEncoderDoes() async throws {
        let fixed: [Double] = [
            0, 1, 3, 0.1, 1e-5, 1e-7, .leastNonzeroMagnitude, 1e15, 1e16, 1e17, 1.5e300, 123_456.789_012_345_6,
        ]
        // 2,000 finite doubles spread over every exponent (a fixed linear congruential sequence).
        var state: UInt64 = 2_026
        let spread = (0..<2_000).map { _ in
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Double(bitPattern: (state >> 1) % 0x7FF0_0000_0000_0000)
        }
        let values = fixed + spread
        let results = try await resultsWithOrders(values.count) { index, order in
            order.arrival = values[index]
            order.due = values[index] / 3
            order.priority = -values[index]
        }
        #expect(try streamed(results) == encodedWhole(results))
    }

    @Test("a time that is not finite is refused, as JSONEncoder refuses it")
    func nonFiniteTimeIsRefused() async throws {
        let results = try await resultsWithOrders(1) { _, order in order.due = .infinity }
        #expect(throws: EncodingError.self) { try encodedWhole(results) }
        #expect(throws: EncodingError.self) { try streamed(results) }
    }

    @Test("a directory that cannot be written is an error naming the path, and nothing is left behind")
    func unwritableDirectoryIsAnError() async throws {
        let results = try await shortRun("transfer-line")
        let blocker = NSTemporaryDirectory() + "takt-blocker-\(UUID().uuidString)"
        try Data("a file, not a directory".utf8).write(to: URL(fileURLWithPath: blocker))
        defer { try? FileManager.default.removeItem(atPath: blocker) }
        let error = #expect(throws: OutputFileError.self) {
            try ResultsJSON.write(results, to: blocker + "/results.json")
        }
        #expect(error?.description.hasPrefix(blocker + "/results.json: cannot be created") == true)
        #expect(!FileManager.default.fileExists(atPath: blocker + "/results.json"))
    }
}
