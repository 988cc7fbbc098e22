import ArgumentParser

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
            Schema.self,
            Demo.self,
            Bench.self,
        ]
    )
}
