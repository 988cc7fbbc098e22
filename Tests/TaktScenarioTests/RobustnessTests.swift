import Foundation
import Testing
import TaktExperiment
import TaktKernel
import TaktPlant
import TaktScenario

/// The folder of inputs that once crashed, hung or misled Takt (the fuzzer's regression set).
let fuzzRegressions = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .appendingPathComponent("FuzzRegressions")

/// The bundled scenarios folder.
let bundledScenarios = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("scenarios")

/// `validScenario` with `old` replaced by `new`: its problems.
func problems(replacing old: String, with new: String) -> [String] {
    let yaml = validScenario.replacingOccurrences(of: old, with: new)
    #expect(yaml != validScenario, "the replacement must change the scenario")
    return problems(yaml)
}

@Suite("Ranges at the edge: every out-of-range value is a located error")
struct RangeTests {
    @Test(
        "negative durations are refused where they are written",
        arguments: [
            (
                "cycle: exp(50s)", "cycle: const(-1s)",
                "test.yaml:6:18: stations[0].cycle: a duration cannot be negative"
            ),
            ("cycle: exp(50s)", "cycle: -3d", "test.yaml:6:12: stations[0].cycle: a duration cannot be negative"),
            (
                "every: exp(60s)", "every: const(-1s)",
                "test.yaml:15:18: sources[0].every: a duration cannot be negative"
            ),
        ])
    func negativeDurations(_ old: String, _ new: String, _ expected: String) {
        let found = problems(replacing: old, with: new)
        #expect(found.count == 1)
        #expect(found.first?.hasPrefix(expected) == true, "\(found)")
    }

    @Test("a warm-up or horizon beyond the longest duration is refused")
    func hugeTimes() {
        #expect(
            problems(replacing: "warmup: 1h", with: "warmup: 1e20s") == [
                "test.yaml:3:9: warmup: `1e20s` is longer than the longest duration Takt accepts, 10⁹ s (about 31 years)"
            ])
        #expect(
            problems(replacing: "horizon: 8h", with: "horizon: 3651d") == [
                "test.yaml:2:10: horizon: the horizon is at most 10 years (3650d); found 3651d"
            ])
    }

    @Test("a duration shorter than 1 µs is refused; 0 is a duration")
    func tinyDurations() {
        #expect(
            problems(replacing: "cycle: exp(50s)", with: "cycle: exp(1e-300s)").first?.contains(
                "shorter than the shortest duration Takt accepts, 1 µs") == true)
        #expect(problems(replacing: "cycle: exp(50s)", with: "cycle: const(0s)") == [])
    }

    @Test("a distribution whose support goes below zero is refused for a duration")
    func negativeSupport() {
        #expect(
            problems(replacing: "cycle: exp(50s)", with: "cycle: \"uniform(-1s, 2s)\"").first?.contains(
                "a duration cannot be negative") == true)
        #expect(problems(replacing: "cycle: exp(50s)", with: "cycle: \"triangular(0s, 1s, 2s)\"") == [])
        // A normal duration is truncated at zero (docs/scenarios.md), so it never goes below.
        #expect(problems(replacing: "normal(55s, 5s)", with: "normal(1s, 10000s)") == [])
    }

    @Test("shape parameters outside 0.01…1000 are refused before GSL sees them")
    func shapes() {
        #expect(
            problems(replacing: "cycle: exp(50s)", with: "cycle: \"weibull(shape: 0.001, scale: 50s)\"") == [
                "test.yaml:6:12: stations[0].cycle: shape is 0.001; expected a number from 0.01 to 1000"
            ])
    }

    @Test("arrivals every 0 s with no limit are refused; with a limit they are allowed")
    func zeroInterarrival() {
        #expect(
            problems(replacing: "every: exp(60s)", with: "every: const(0s)") == [
                "test.yaml:15:12: sources[0].every: a time between arrivals of 0 with no `limit` releases units without end at one instant; give it a positive mean, or a `limit`"
            ])
        #expect(problems(replacing: "every: exp(60s)", with: "every: const(0s)\n    limit: 10") == [])
    }

    @Test("order generation that would make more than 10^6 orders over the horizon is refused")
    func orderFlood() {
        let yaml = """
            name: flood
            horizon: 3650d
            stations: [{ id: press, cycle: const(1s) }]
            products: [{ id: part, route: [press] }]
            mes:
              orders: { generate: { every: exp(60s), quantity: 1, due_in: 1h, product: part } }
            """
        // 3650 d ÷ 60 s = 5,256,000 orders.
        let found = problems(yaml)
        #expect(found.count == 1)
        #expect(
            found.first?.contains("make about 5256000 orders over the horizon; a run keeps at most 1000000") == true)
        #expect(problems(yaml.replacingOccurrences(of: "horizon: 3650d", with: "horizon: 600d")) == [])
    }

    @Test("an override out of range is reported under its option, not at line 1 of the file")
    func overrideNamesTheOption() {
        let found = problems(validScenario, overrides: ["stations[cut].cycle=const(-1s)"])
        #expect(
            found == [
                "--set stations[cut].cycle=const(-1s): stations[0].cycle: a duration cannot be negative; found `-1s`"
            ])
    }
}

@Suite("YAML limits: no alias bomb, nesting or duplicate key hangs, crashes or echoes the file")
struct YAMLLimitTests {
    static let bomb =
        ".a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
        + (1...8).map { i in
            ".a\(i): &a\(i) [" + Array(repeating: "*a\(i - 1)", count: 9).joined(separator: ", ") + "]\n"
        }
        .joined()

    @Test("an alias bomb used as a value stops at the expansion limit")
    func bombAsValue() {
        let yaml = Self.bomb + validScenario.replacingOccurrences(of: "name: test", with: "name: *a8")
        let found = problems(yaml)
        #expect(found.count == 1)
        #expect(found.first?.contains("expands to more than 1000000 values through its aliases") == true, "\(found)")
    }

    @Test("an alias used as a key is refused before it is composed")
    func bombAsKey() {
        let found = problems(validScenario + "\n" + Self.bomb + "*a8 : 1\n")
        #expect(
            found == [
                "test.yaml:25:1: an alias (`*a8`) cannot be a key; write the key out (a template merges with `<<: *name`)"
            ])
    }

    @Test("nesting deeper than 64 levels is refused at its line")
    func deepNesting() {
        let deep = String(repeating: "[", count: 50_000) + String(repeating: "]", count: 50_000)
        let found = problems(validScenario + "\ndescription: \(deep)\n")
        #expect(found.count == 1)
        #expect(found.first?.hasPrefix("test.yaml:16:") == true)
        #expect(found.first?.contains("nested more than 64 levels deep") == true)
        #expect((found.first?.count ?? 0) < 200)
    }

    @Test("a duplicate key names the key and its second line, and quotes nothing else")
    func duplicateKey() {
        let big = (1...20_000).map { "# filler line \($0)" }.joined(separator: "\n")
        let found = problems(validScenario + "\n" + big + "\nwarmup: 2h\n")
        #expect(
            found == [
                "test.yaml:20016:1: the key `warmup` is given twice (first at line 3); keys are unique"
            ])
    }

    @Test("a control character is located, with what to do about it")
    func controlCharacter() {
        let found = problems(replacing: "name: test", with: "name: te\u{1}st")
        #expect(
            found == [
                "test.yaml:1:9: YAML: control characters are not allowed (U+0001); remove it, or write it as an escape inside double quotes"
            ])
    }

    @Test("bytes that are not UTF-8 are located")
    func invalidUTF8() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("takt-utf8-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("bad.yaml")
        var data = Data(validScenario.utf8)
        data.insert(0xFF, at: data.firstIndex(of: UInt8(ascii: "t"))! + 2)
        try data.write(to: file)
        do {
            _ = try ScenarioReader.load(path: file.path)
            Issue.record("read a file that is not UTF-8")
        } catch {
            #expect(
                error.issues.map(\.description) == [
                    "\(file.path):1:9: the file is not UTF-8 text: byte 0xFF here does not start or continue a character"
                ])
        }
    }
}

@Suite("Data files and output: no file outside the scenario's folder is read or quoted")
struct DataFileTests {
    @Test("empirical(file:) refuses absolute paths and `..`", arguments: ["/etc/passwd", "../../etc/passwd"])
    func outsideFolder(_ path: String) {
        let found = problems(replacing: "cycle: exp(50s)", with: "cycle: \"empirical(file: \(path))\"")
        #expect(found.count == 1)
        #expect(found.first?.contains("a data file is named relative to the scenario's folder, without `..`") == true)
        #expect(found.first?.contains("root:") == false)
    }

    @Test("a bad line in a data file is located without quoting it")
    func badDataLine() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("takt-data-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try "seconds\n12\n13\nsecret-token-xyz\n".write(
            to: directory.appendingPathComponent("cycles.csv"), atomically: true, encoding: .utf8)
        let yaml = validScenario.replacingOccurrences(
            of: "cycle: exp(50s)", with: "cycle: \"empirical(file: cycles.csv)\"")
        do {
            _ = try ScenarioReader.parse(yaml: yaml, file: "test.yaml", directory: directory.path)
            Issue.record("read a data file with a bad line")
        } catch {
            let text = error.issues.map(\.description).joined()
            #expect(text.contains("cycles.csv line 4"))
            #expect(!text.contains("secret-token-xyz"))
        }
    }
}

@Suite("Progress and memory: a run that cannot finish stops with a reason")
struct RunGuardTests {
    @Test("arrivals every 0 s up to a huge limit stop the run, naming the cause")
    func zeroTimeArrivals() throws {
        let scenario = try ScenarioReader.parse(
            yaml: validScenario.replacingOccurrences(
                of: "every: exp(60s)", with: "every: const(0s)\n    limit: 2000000000"),
            file: "test.yaml")
        do {
            _ = try Experiment.replicate(scenario, replication: 0)
            Issue.record("the run finished")
        } catch let aborted as RunAborted {
            #expect(aborted.replication == 0)
            #expect(
                aborted.description.contains("no progress in simulated time")
                    || aborted.description.contains("units in the plant"), "\(aborted)")
        }
    }

    @Test("work in process growing without bound stops at the documented bound")
    func unboundedWorkInProcess() throws {
        // Arrivals every 1 ms into a line that takes 50 s a unit: WIP grows 1,000 a second.
        let scenario = try ScenarioReader.parse(
            yaml: validScenario.replacingOccurrences(of: "every: exp(60s)", with: "every: const(1ms)")
                .replacingOccurrences(of: "horizon: 8h", with: "horizon: 3h"),
            file: "test.yaml")
        do {
            _ = try Experiment.replicate(scenario, replication: 0)
            Issue.record("the run finished")
        } catch let aborted as RunAborted {
            #expect(
                aborted.reason.hasPrefix("more than \(Plant<FirstInFirstOut>.maximumUnitsInProcess) units in the plant")
            )
            #expect(aborted.time > 4_999 && aborted.time < 5_001, "5 M units at 1,000 a second: about 5,000 s")
        }
    }
}

@Suite("Conservation: every released unit is shipped, scrapped, held or in the plant, in one place")
struct ConservationTests {
    @Test(
        "every bundled scenario conserves its units",
        arguments: [
            "first-line.yaml", "transfer-line.yaml", "ft06-job-shop.yaml", "smt-router-line.yaml",
            "smt-router-rules.yaml",
        ])
    func bundled(_ name: String) throws {
        let scenario = try ScenarioReader.load(
            path: bundledScenarios.appendingPathComponent(name).path, overrides: ["replications=3"])
        for replication in 0..<scenario.replications {
            let balance = try #require(try Experiment.replicate(scenario, replication: replication).unitBalance)
            #expect(balance.holds, "\(name) replication \(replication): \(balance)")
            #expect(balance.released > 0)
        }
    }

    /// Calendar-time failures every few minutes, scripted breakdowns on top of them (some
    /// while the machine is already down), holds, shifts and rework: 20 replications.
    static let incidentHeavy = """
        name: incidents
        horizon: 2d
        replications: 20
        calendars:
          - name: day
            shifts: [{ name: day, start: "06:00", length: 16h, breaks: [{ at: "12:00", length: 30m }] }]
        stations:
          - id: cut
            cycle: exp(40s)
            calendar: day
            failures: { between: exp(10m), repair: exp(4m), clock: calendar }
          - id: weld
            cycle: exp(45s)
            buffer: 3
            failures: { between: exp(7m), repair: exp(3m), clock: calendar }
            defects: [{ name: crack, p: 0.1 }]
          - id: check
            cycle: const(20s)
            inspects: { defects: [crack], detect: 0.9 }
            rework: { station: fix, max: 1 }
          - { id: fix, cycle: exp(2m), buffer: 10 }
        products: [{ id: part, route: [cut, weld, check] }]
        mes:
          orders: { generate: { every: exp(1h), quantity: "uniform(20, 80)", due_in: 8h, product: part } }
          release: { policy: conwip, wip_cap: 12 }
          rules:
            - name: rest-the-welder
              when: "weld.down > 0"
              then: [hold station cut for 5m]
        incidents:
          - { at: 7h, do: fail station weld for 30m }
          - { at: 430m, do: fail station weld for 1h }
          - { at: 9h, do: fail station cut for 20m }
          - { at: 13h, do: fail station check for 45m }
          - { at: 32h, do: fail station weld for 2h }
          - { at: 1921m, do: hold station weld for 30m }
          - { at: 33h, do: fail station cut for 3h }
        """

    @Test("scripted breakdowns over calendar failures, holds and shifts lose no unit in 20 replications")
    func incidentHeavyScenario() async throws {
        let scenario = try ScenarioReader.parse(yaml: Self.incidentHeavy, file: "incidents.yaml")
        for replication in 0..<scenario.replications {
            let result = try Experiment.replicate(scenario, replication: replication)
            let balance = try #require(result.unitBalance)
            #expect(balance.holds, "replication \(replication): \(balance)")
            #expect(result.plant.shipped > 0)
        }
    }
}

/// One press, 10 min per unit, on a calendar with a break 00:05–00:15; one order of one unit
/// at time 0, released at once. `incidents` act on the press during or after the break.
func pausedUnitScenario(_ incidents: String) throws -> Scenario {
    try scenarioWithBook(
        """
        name: paused-unit
        horizon: 2h
        replications: 1
        calendars:
          - name: day
            shifts: [{ name: day, start: "00:00", length: 24h, breaks: [{ at: "00:05", length: 10m }] }]
        stations:
          - { id: press, cycle: const(10m), calendar: day }
        products: [{ id: part, route: [press] }]
        mes:
          orders: { book: orders.csv }
          release: push
        incidents:
        \(incidents)
        """, book: "product,quantity,due\npart,1,1h\n")
}

@Suite("A unit paused by a break is never lost, whatever the MES does meanwhile")
struct PausedUnitTests {
    @Test("a press held during its break and released after it finishes the paused unit")
    func heldThroughTheBreakEnd() throws {
        // By hand: 5 min of work, paused 00:05–00:15, held from 00:10 and so still stopped at
        // 00:15, released at 00:20: the 5 min left run 00:20–00:25.
        let scenario = try pausedUnitScenario(
            """
              - { at: 10m, do: hold station press }
              - { at: 20m, do: release station press }
            """)
        let result = try Experiment.replicate(scenario, replication: 0)
        #expect(result.plant.shipped == 1)
        #expect(result.orders.first?.completion == 25.0 * 60)
        #expect(result.unitBalance?.holds == true)
    }

    @Test("a breakdown during the break keeps the paused unit, which finishes after the repair")
    func brokenDownDuringTheBreak() throws {
        // By hand: paused at 00:05, down 00:08–00:28 (the break ends at 00:15 meanwhile), then
        // the 5 min left run 00:28–00:33.
        let scenario = try pausedUnitScenario("  - { at: 8m, do: fail station press for 20m }")
        let result = try Experiment.replicate(scenario, replication: 0)
        #expect(result.plant.shipped == 1)
        #expect(result.orders.first?.completion == 33.0 * 60)
        #expect(result.unitBalance?.holds == true)
    }
}

@Suite("The fuzzer's regression inputs")
struct FuzzRegressionTests {
    static let files =
        (try? FileManager.default.contentsOfDirectory(atPath: fuzzRegressions.path))?
        .filter { $0.hasSuffix(".yaml") }.sorted() ?? []

    @Test("there are regression inputs to replay")
    func present() {
        #expect(Self.files.count >= 25)
    }

    @Test(
        "each input is refused with a located, short error, or runs to the end or to a stated reason",
        arguments: files)
    func replay(_ name: String) throws {
        let path = fuzzRegressions.appendingPathComponent(name).path
        let scenario: Scenario
        do {
            scenario = try ScenarioReader.load(path: path, overrides: ["replications=1"])
        } catch {
            for issue in error.issues {
                #expect(issue.line != nil || issue.file.hasPrefix("--set"), "\(name): \(issue)")
                #expect(issue.description.count < 600, "\(name): an error quotes at most the culprit")
            }
            #expect(!error.issues.isEmpty)
            return
        }
        do {
            let result = try Experiment.replicate(scenario, replication: 0)
            #expect(result.unitBalance?.holds == true, "\(name)")
        } catch let aborted as RunAborted {
            #expect(!aborted.reason.isEmpty)
        }
    }
}
