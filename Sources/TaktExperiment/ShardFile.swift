import Foundation

/// What one shard of a run or sweep wrote (`shard.json`): which work it was part of and what
/// it computed. ``ShardFile/check(_:)`` tells whether a set of them is one whole run.
public struct ShardFile: Sendable, Codable, Equatable {
    /// The format (`takt_shard`).
    public var taktShard = ShardFile.formatVersion
    /// `run` or `sweep`.
    public var command: String
    /// The scenario file as given, its SHA-256, and the overrides applied (`--set` and the
    /// options that become overrides).
    public var file: String
    public var scenarioSHA256: String
    public var overrides: [String]
    /// A sweep's `--vary` options and the KPIs it shows (empty for a run).
    public var vary: [String]
    public var kpis: [String]
    public var seed: UInt64
    public var replications: Int
    public var taktVersion: String
    /// This shard (from 0) of how many.
    public var shard: Int
    public var shards: Int
    /// Units of work of the whole run, and the positions this shard computed.
    public var units: Int
    public var first: Int
    public var end: Int
    public var parts: [PointPart]

    public static let formatVersion = 1

    enum CodingKeys: String, CodingKey {
        case taktShard = "takt_shard"
        case command, file
        case scenarioSHA256 = "scenario_sha256"
        case overrides, vary, kpis, seed, replications
        case taktVersion = "takt_version"
        case shard, shards, units, first, end, parts
    }

    public init(
        command: String, file: String, scenarioSHA256: String, overrides: [String], vary: [String], kpis: [String],
        seed: UInt64, replications: Int, taktVersion: String, shard: Int, shards: Int, units: Int,
        range: Range<Int>, parts: [PointPart]
    ) {
        self.command = command
        self.file = file
        self.scenarioSHA256 = scenarioSHA256
        self.overrides = overrides
        self.vary = vary
        self.kpis = kpis
        self.seed = seed
        self.replications = replications
        self.taktVersion = taktVersion
        self.shard = shard
        self.shards = shards
        self.units = units
        first = range.lowerBound
        end = range.upperBound
        self.parts = parts
    }

    /// What makes shards parts of one run: everything but which shard and what it computed.
    var run: [String] {
        [
            command, file, scenarioSHA256, overrides.joined(separator: "\u{1F}"), vary.joined(separator: "\u{1F}"),
            kpis.joined(separator: "\u{1F}"), "\(seed)", "\(replications)", taktVersion, "\(shards)", "\(units)",
        ]
    }

    /// The differences between the run of `self` and of `other`, in words.
    func differences(from other: ShardFile) -> [String] {
        var found: [String] = []
        func compare(_ what: String, _ a: String, _ b: String) { if a != b { found.append("\(what) \(b), not \(a)") } }
        compare("command", command, other.command)
        compare("scenario file", file, other.file)
        compare("scenario SHA-256", scenarioSHA256, other.scenarioSHA256)
        compare("overrides", overrides.joined(separator: " "), other.overrides.joined(separator: " "))
        compare("--vary", vary.joined(separator: " "), other.vary.joined(separator: " "))
        compare("KPIs", kpis.joined(separator: " "), other.kpis.joined(separator: " "))
        compare("seed", "\(seed)", "\(other.seed)")
        compare("replications", "\(replications)", "\(other.replications)")
        compare("Takt version", taktVersion, other.taktVersion)
        compare("shard count", "\(shards)", "\(other.shards)")
        return found
    }

    /// Checks that `shards` (with the paths they were read from) are every shard of one run,
    /// each once; returns them in shard order.
    public static func check(_ shards: [(path: String, file: ShardFile)]) throws(ShardMergeError) -> [ShardFile] {
        guard let reference = shards.first else { throw ShardMergeError("no shard to merge") }
        for (path, file) in shards.dropFirst() where file.run != reference.file.run {
            throw ShardMergeError(
                "\(path) belongs to another run than \(reference.path): \(reference.file.differences(from: file).joined(separator: "; "))"
            )
        }
        var byIndex = [(path: String, file: ShardFile)?](repeating: nil, count: reference.file.shards)
        for shard in shards {
            let index = shard.file.shard
            guard index >= 0, index < byIndex.count else {
                throw ShardMergeError("\(shard.path) says it is shard \(index) of \(reference.file.shards)")
            }
            if let earlier = byIndex[index] {
                throw ShardMergeError(
                    "shard \(index + 1) of \(reference.file.shards) is given twice: \(earlier.path) and \(shard.path)")
            }
            byIndex[index] = shard
        }
        let missing = byIndex.indices.filter { byIndex[$0] == nil }
        guard missing.isEmpty else {
            let names = missing.map { "\($0 + 1)" }.joined(separator: ", ")
            throw ShardMergeError(
                "shard\(missing.count == 1 ? "" : "s") \(names) of \(reference.file.shards) \(missing.count == 1 ? "is" : "are") missing: give every shard's output"
            )
        }
        return byIndex.compactMap { $0?.file }
    }

    /// Reads a shard file; `path` names it in errors.
    public static func read(_ data: Data, path: String) throws(ShardMergeError) -> ShardFile {
        struct Version: Decodable { var takt_shard: Int? }
        guard let version = try? JSONDecoder().decode(Version.self, from: data), let number = version.takt_shard else {
            throw ShardMergeError("\(path): not a shard of `takt run --shard` or `takt sweep --shard`")
        }
        guard number == formatVersion else {
            throw ShardMergeError("\(path): a shard of format \(number); this takt merges format \(formatVersion)")
        }
        do {
            return try JSONDecoder().decode(ShardFile.self, from: data)
        } catch {
            throw ShardMergeError("\(path): a damaged shard (\(error))")
        }
    }
}
