import ArgumentParser
import Foundation
import TaktExperiment
import TaktReport

/// The program and version written into reports.
let toolName = "takt \(Takt.configuration.version)"

/// Writes `html` to `path` through a temporary file beside it, so a failure leaves nothing
/// half-written.
func writeReport(_ html: String, to path: String) throws {
    try writeAtomically(Data(html.utf8), to: path)
}

/// Writes `data` to a temporary file beside `path` and renames it into place (one atomic step),
/// so a reader never sees a half-written file.
func writeAtomically(_ data: Data, to path: String) throws {
    let url = URL(fileURLWithPath: path)
    let staging = url.deletingLastPathComponent().appendingPathComponent(
        ".\(url.lastPathComponent).\(ProcessInfo.processInfo.processIdentifier).tmp")
    try data.write(to: staging)
    guard rename(staging.path, url.path) == 0 else {
        let reason = String(cString: strerror(errno))
        try? FileManager.default.removeItem(at: staging)
        throw failBadInput("cannot write `\(path)`: \(reason)")
    }
}

/// `takt report results.json -o report.html`: the HTML report of saved results.
struct Report: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Write the HTML report of saved results (results.json from `takt run --out`).",
        discussion: "Exit code 0 on success, 2 when the results file cannot be read (nothing is written then)."
    )

    @Argument(help: "A results.json written by `takt run --out`.")
    var results: String

    @Option(name: [.short, .customLong("output")], help: "The HTML file to write.")
    var output: String

    func validate() throws { try OutputPath.checkFile(output, option: "--output") }

    func run() throws {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: results))
        } catch {
            FileHandle.standardError.write(
                Data("error: \(results): cannot read it (\(error.localizedDescription))\n".utf8))
            throw ExitCode(badInputExitCode)
        }
        let decoded: ExperimentResults
        do {
            decoded = try JSONDecoder().decode(ExperimentResults.self, from: data)
        } catch {
            FileHandle.standardError.write(
                Data("error: \(results): not a results.json from `takt run --out` (\(describe(error)))\n".utf8))
            throw ExitCode(badInputExitCode)
        }
        if let problem = decoded.consistencyProblem {
            FileHandle.standardError.write(
                Data("error: \(results): not a results.json from `takt run --out` (\(problem))\n".utf8))
            throw ExitCode(badInputExitCode)
        }
        try writeReport(RunReport.html(decoded, tool: toolName), to: output)
        print("wrote \(output)")
    }

    /// A decoding error as a key path and what was wrong.
    func describe(_ error: Error) -> String {
        switch error as? DecodingError {
        case .keyNotFound(let key, let context)?:
            return "missing `\((context.codingPath.map(\.stringValue) + [key.stringValue]).joined(separator: "."))`"
        case .typeMismatch(_, let context)?, .valueNotFound(_, let context)?:
            return "`\(context.codingPath.map(\.stringValue).joined(separator: "."))`: \(context.debugDescription)"
        case .dataCorrupted(let context)?:
            return context.debugDescription
        default:
            return "\(error)"
        }
    }
}
