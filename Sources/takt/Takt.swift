import ArgumentParser

/// The `takt` command line.
@main
struct Takt: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "takt",
        abstract: "Discrete-event factory simulation with an embedded MES.",
        discussion: "Takt is free software under the GNU GPL, version 3 or later.",
        version: "0.1.0",
        subcommands: [Demo.self, Bench.self]
    )
}
