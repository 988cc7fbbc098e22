// swift-tools-version: 6.1
// Takt — discrete-event factory simulator with an embedded MES.
// Copyright (C) 2026 the Takt authors. GPL-3.0-or-later (see LICENSE).

import PackageDescription

let package = Package(
    name: "Takt",
    products: [
        .executable(name: "takt", targets: ["takt"]),
        .library(name: "TaktKernel", targets: ["TaktKernel"]),
        .library(name: "TaktPlant", targets: ["TaktPlant"]),
        .library(name: "TaktMES", targets: ["TaktMES"]),
        .library(name: "TaktScenario", targets: ["TaktScenario"]),
        .library(name: "TaktExperiment", targets: ["TaktExperiment"]),
        .library(name: "TaktReport", targets: ["TaktReport"]),
        .library(name: "TaktStore", targets: ["TaktStore"]),
        .library(name: "TaktLive", targets: ["TaktLive"]),
        .library(name: "TaktServer", targets: ["TaktServer"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-websocket", from: "2.8.1"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.3"),
    ],
    targets: [
        // GNU Scientific Library through pkg-config; the shim wraps what Swift 6 cannot touch.
        .systemLibrary(
            name: "CGSL",
            pkgConfig: "gsl",
            providers: [.apt(["libgsl-dev"])]
        ),
        .target(
            name: "TaktKernel",
            dependencies: ["CGSL"]
        ),
        .target(
            name: "TaktPlant",
            dependencies: ["TaktKernel"]
        ),
        .target(
            name: "TaktMES",
            dependencies: ["TaktKernel", "TaktPlant"]
        ),
        .target(
            name: "TaktScenario",
            dependencies: ["TaktKernel", "TaktPlant", "TaktMES", .product(name: "Yams", package: "Yams")]
        ),
        .target(
            name: "TaktExperiment",
            dependencies: ["TaktKernel", "TaktPlant", "TaktMES", "TaktScenario"]
        ),
        .target(
            name: "TaktReport",
            dependencies: ["TaktPlant", "TaktMES", "TaktScenario", "TaktExperiment"]
        ),
        .target(
            name: "TaktStore",
            dependencies: [
                "TaktKernel", "TaktPlant", "TaktMES", "TaktScenario", "TaktExperiment",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
            ]
        ),
        .target(
            name: "TaktLive",
            dependencies: ["TaktKernel", "TaktPlant", "TaktMES", "TaktScenario", "TaktExperiment"]
        ),
        .target(
            name: "TaktServer",
            dependencies: [
                "TaktLive", "TaktReport", "TaktScenario",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "HummingbirdWebSocket", package: "hummingbird-websocket"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ]
        ),
        .executableTarget(
            name: "takt",
            dependencies: [
                "TaktStore",
                "TaktLive",
                "TaktServer",
                "TaktKernel",
                "TaktPlant",
                "TaktScenario",
                "TaktExperiment",
                "TaktReport",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(
            name: "TaktKernelTests",
            dependencies: ["TaktKernel", "CGSL"]
        ),
        .testTarget(
            name: "TaktPlantTests",
            dependencies: ["TaktPlant", "TaktKernel"]
        ),
        .testTarget(
            name: "TaktMESTests",
            dependencies: ["TaktMES", "TaktPlant", "TaktKernel"]
        ),
        .testTarget(
            name: "TaktScenarioTests",
            dependencies: ["TaktScenario", "TaktExperiment", "TaktPlant", "TaktKernel"],
            exclude: ["Golden", "FuzzRegressions"]
        ),
        .testTarget(
            name: "TaktExperimentTests",
            dependencies: ["TaktExperiment", "TaktScenario", "TaktMES", "TaktPlant", "TaktKernel"]
        ),
        .testTarget(
            name: "TaktStoreTests",
            dependencies: [
                "TaktStore", "TaktMES", "TaktExperiment", "TaktScenario", "TaktPlant",
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        .testTarget(
            name: "TaktLiveTests",
            dependencies: ["TaktLive", "TaktExperiment", "TaktScenario", "TaktMES", "TaktPlant"]
        ),
        .testTarget(
            name: "TaktServerTests",
            dependencies: [
                "TaktServer", "TaktLive", "TaktScenario",
            ]
        ),
        .testTarget(
            name: "TaktReportTests",
            dependencies: ["TaktReport", "TaktExperiment", "TaktScenario", "TaktPlant"],
            exclude: ["Golden"]
        ),
    ],
    swiftLanguageModes: [.v6]
)

// The benchmark package costs minutes of compile time; only `TAKT_BENCHMARKS=1` pulls it in.
if Context.environment["TAKT_BENCHMARKS"] != nil {
    package.dependencies.append(
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.0", traits: ["MallocInterposer"])
    )
    package.targets.append(
        .executableTarget(
            name: "TaktBenchmarks",
            dependencies: [
                "TaktKernel",
                "TaktPlant",
                "TaktMES",
                "TaktScenario",
                "TaktExperiment",
                "TaktReport",
                .product(name: "Benchmark", package: "benchmark"),
            ],
            path: "Benchmarks/TaktBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        )
    )
}
