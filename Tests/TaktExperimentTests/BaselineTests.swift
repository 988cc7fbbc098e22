import Foundation
import Testing
import TaktExperiment

@Suite struct BaselineFile {
    let results = handBuiltResults([
        ("throughput", [63.95981234567891, 64.1, 62.0, 65.5]), ("busy[print]", [0.5, 0.25, .nan, 0.125]),
        ("a \"quoted\" name", [1, 2, 3, 4]),
    ])

    @Test func itReadsBackWhatItWrote() throws {
        let run = BaselineRun(results)
        let text = Baseline.text([run])
        let read = try Baseline.read(Data(text.utf8), path: "b.json")
        #expect(read == [run])
    }

    @Test func itKeepsTenSignificantDigits() throws {
        let run = BaselineRun(results)
        #expect(run.kpis["throughput"]?.values.first == 63.95981235)
        #expect(Baseline.text([run]).contains("[63.95981235, 64.1, 62, 65.5]"))
    }

    @Test func anUnchangedRunComparedWithItsWrittenBaselineDiffersByExactlyZero() throws {
        let read = try Baseline.read(Data(Baseline.text([BaselineRun(results)]).utf8), path: "b.json")
        let report = Check.regressions(results, baseline: read[0])
        #expect(report.verdicts.allSatisfy { $0.difference == 0 && $0.verdict == .pass })
    }

    @Test func itHoldsOneKPIPerLineSortedByName() {
        let lines = Baseline.text([BaselineRun(results)]).split(separator: "\n")
        let kpiLines = lines.filter { $0.contains("\"unit\"") }
        #expect(kpiLines.count == 3)
        #expect(
            kpiLines.map { $0.trimmingCharacters(in: .whitespaces) }
                == kpiLines.map { $0.trimmingCharacters(in: .whitespaces) }.sorted())
        #expect(kpiLines[1].contains("\"busy[print]\": {\"unit\": \"h\", \"values\": [0.5, 0.25, null, 0.125]}"))
    }

    @Test func itHoldsNoOrderRecords() {
        #expect(!Baseline.text([BaselineRun(results)]).contains("orders\""))
    }

    @Test func aResultsJSONIsReadAsABaseline() throws {
        let encoder = JSONEncoder()
        let read = try Baseline.read(try encoder.encode(results), path: "results.json")
        #expect(read.first?.kpis["throughput"]?.values == [63.95981234567891, 64.1, 62.0, 65.5])
        #expect(read.first?.significantDigits == nil)
    }

    @Test func aFileThatIsNotJSONIsAnErrorNamingIt() {
        #expect(throws: BaselineError.self) { try Baseline.read(Data("{ not json".utf8), path: "ci/b.json") }
        do {
            _ = try Baseline.read(Data("{ not json".utf8), path: "ci/b.json")
        } catch {
            #expect(error.description.contains("`ci/b.json` is not JSON"))
        }
    }

    @Test func aValueOfTheWrongTypeIsNamedByItsKeyPath() {
        let text = Baseline.text([BaselineRun(results)]).replacingOccurrences(of: "[63.95981235,", with: "[\"x\",")
        do {
            _ = try Baseline.read(Data(text.utf8), path: "b.json")
            Issue.record("read a baseline with a text value")
        } catch {
            #expect(error.description.contains("runs[0].kpis.throughput.values[0]"))
        }
    }

    @Test func aKPIWithTooFewValuesIsAnError() {
        let text = Baseline.text([BaselineRun(results)]).replacingOccurrences(of: "[63.95981235, ", with: "[")
        do {
            _ = try Baseline.read(Data(text.utf8), path: "b.json")
            Issue.record("read a baseline with 3 values for 4 replications")
        } catch {
            #expect(error.description.contains("runs[0].kpis.throughput.values: 3 values for 4 replications"))
        }
    }

    @Test func aNewerFormatIsAnErrorSayingSo() {
        do {
            _ = try Baseline.read(Data("{\"takt_baseline\": 9, \"runs\": []}".utf8), path: "b.json")
            Issue.record("read a baseline of format 9")
        } catch {
            #expect(error.description.contains("format 9, newer than this takt reads"))
        }
    }

    /// The problem `Baseline.read` reports for this baseline's text edited by `edit`.
    func readProblem(_ edit: (String) -> String) -> String? {
        do {
            _ = try Baseline.read(Data(edit(Baseline.text([BaselineRun(results)])).utf8), path: "b.json")
            return nil
        } catch {
            return error.description
        }
    }

    @Test(
        "a horizon or warm-up no scenario can have is refused with its key path before anything runs",
        arguments: ["1e300", "-1e300", "9223372036854775808", "0"])
    func anImpossibleHorizonIsAnError(_ horizon: String) throws {
        let problem = try #require(
            readProblem { $0.replacingOccurrences(of: "\"horizon\": 86400", with: "\"horizon\": \(horizon)") })
        #expect(problem.hasPrefix("`b.json`: runs[0].horizon: expected a time in seconds above 0 and within 10 years"))
        guard horizon != "0" else { return }  // a warm-up of 0 is the usual one
        let warmup = try #require(
            readProblem { $0.replacingOccurrences(of: "\"warmup\": 0", with: "\"warmup\": \(horizon)") })
        #expect(warmup.contains("runs[0].warmup: expected a time in seconds from 0 up to the horizon"))
    }

    @Test("significant digits beyond what a double holds are refused", arguments: ["0", "18", "1000000000000000"])
    func impossibleSignificantDigitsAreAnError(_ digits: String) throws {
        let problem = try #require(
            readProblem {
                $0.replacingOccurrences(of: "\"significant_digits\": 10", with: "\"significant_digits\": \(digits)")
            })
        #expect(problem.contains("runs[0].significant_digits: expected 1 to 17; found \(digits)"))
    }

    @Test func aKPIValueBeyondAnyKPIIsAnError() throws {
        let problem = try #require(
            readProblem { $0.replacingOccurrences(of: "[63.95981235,", with: "[1e308,") })
        #expect(problem.contains("runs[0].kpis.throughput.values: 1e+308 is not a value a KPI takes"))
    }

    @Test func tooManyReplicationsAreAnError() throws {
        let problem = try #require(
            readProblem {
                $0.replacingOccurrences(of: "\"replications\": 4", with: "\"replications\": 1000000")
            })
        #expect(problem.contains("runs[0].replications: expected 1 to 100000; found 1000000"))
    }
}
