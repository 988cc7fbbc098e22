import ArgumentParser
import Foundation
import TaktKernel

/// The `takt` command line.
@main
struct Takt: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "takt",
        abstract: "Discrete-event factory simulation with an embedded MES.",
        discussion: "Takt is free software under the GNU GPL, version 3 or later.",
        version: "0.1.0",
        subcommands: [
            Run.self, Validate.self, CheckCommand.self, Compare.self, Sweep.self, Report.self, Trace.self, Audit.self,
            Serve.self, Replay.self, Merge.self, Submit.self, History.self,
            Schema.self,
            Demo.self,
            Bench.self,
        ]
    )

    /// Runs the command; a run given up for want of progress or memory is reported as bad
    /// input (exit 2) in the form `error: FILE: replication N: what happened`, not as a crash.
    static func main() async {
        do {
            var command = try parseAsRoot()
            if var asynchronous = command as? AsyncParsableCommand {
                try await asynchronous.run()
            } else {
                try command.run()
            }
        } catch let aborted as RunAborted {
            // Commands that run a scenario name its file (``reject(_:file:)``); this catches the rest.
            FileHandle.standardError.write(
                Data("error: \(CommandLine.arguments.dropFirst().first ?? "takt"): \(aborted)\n".utf8))
            Foundation.exit(badInputExitCode)
        } catch {
            exit(withError: error)
        }
    }
}
