import Crypto
import Foundation
import GRDB
import Testing
import TaktScenario
import TaktStore

/// The `run` record of a traced two-day flagship run with `provenance`.
private func runRecord(_ provenance: Provenance, overrides: [String] = []) throws -> [String: String] {
    let path = scratchPath()
    let scenario = try ScenarioReader.load(
        path: "\(repositoryRoot)/scenarios/smt-router-line.yaml",
        overrides: ["horizon=2d", "replications=1"] + overrides)
    _ = try TracedRun.run(scenario, to: path, provenance: provenance)
    return try DatabaseQueue(path: path).read { db in
        Dictionary(
            uniqueKeysWithValues: try Row.fetchAll(db, sql: "SELECT key, value FROM run").map {
                ($0["key"], $0["value"])
            })
    }
}

/// `YYYY-MM-DDThh:mm:ss.sssZ`.
private func isISO8601(_ text: String?) -> Bool {
    text?.wholeMatch(of: /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z/) != nil
}

@Suite("Who, when and with what a traced run was made")
struct ProvenanceTests {
    @Test("the run record names the version, the scenario's SHA-256, the overrides, host, user and the operator")
    func recorded() throws {
        let provenance = Provenance(
            taktVersion: "9.9.9", overrides: ["horizon=2d", "seed=7"], accountable: "Ada Lovelace <ada@example.com>")
        let record = try runRecord(provenance, overrides: ["seed=7"])
        let file = try Data(contentsOf: URL(fileURLWithPath: "\(repositoryRoot)/scenarios/smt-router-line.yaml"))
        #expect(record["scenario_sha256"] == SHA256.hash(data: file).map { String(format: "%02x", $0) }.joined())
        #expect(record["takt_version"] == "9.9.9")
        #expect(record["overrides"] == "horizon=2d\nseed=7")
        #expect(record["operator"] == "Ada Lovelace <ada@example.com>")
        #expect(record["host"] == ProcessInfo.processInfo.hostName)
        #expect(record["user"]?.isEmpty == false)
        #expect(record["seed"] == "7")
    }

    @Test("the wall-clock start and end are UTC ISO 8601, the end not before the start")
    func wallClock() throws {
        let record = try runRecord(Provenance(taktVersion: "test"))
        #expect(isISO8601(record["started_utc"]) && isISO8601(record["finished_utc"]))
        #expect(try #require(record["started_utc"]) <= #require(record["finished_utc"]))
        #expect(record["operator"] == nil)
    }

    @Test("every audit entry carries the wall-clock time it was recorded")
    func entriesAreStamped() throws {
        let (path, _) = try sealedCopy()
        let stamps = try DatabaseQueue(path: path).read { db in
            try String.fetchAll(db, sql: "SELECT recorded FROM audit")
        }
        #expect(!stamps.isEmpty && stamps.allSatisfy(isISO8601))
    }

    @Test(
        "wall-clock times are formatted in the proleptic Gregorian calendar, leap days included",
        arguments: [
            (Int64(0), "1970-01-01T00:00:00.000Z"), (951_782_400_000, "2000-02-29T00:00:00.000Z"),
            (1_798_761_599_999, "2026-12-31T23:59:59.999Z"), (4_102_444_800_123, "2100-01-01T00:00:00.123Z"),
            (1_700_000_000_500, "2023-11-14T22:13:20.500Z"),
        ])
    func iso8601(_ millis: Int64, _ text: String) {
        #expect(WallClock.iso8601(millis: millis) == text)
    }

    @Test("SOURCE_DATE_EPOCH fixes the clock, so a store can be reproduced byte for byte")
    func sourceDateEpoch() {
        var clock = WallClock(environment: ["SOURCE_DATE_EPOCH": "1700000000"])
        #expect(clock.now() == "2023-11-14T22:13:20.000Z")
        #expect(clock.now() == "2023-11-14T22:13:20.000Z")
    }
}
