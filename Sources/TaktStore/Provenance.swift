import Crypto
import Foundation

/// Who ran a traced run, when, with what: the `run` record's provenance keys (21 CFR Part 11
/// §11.10(e): the date and time of operator entries and actions; EU GMP Annex 11 §9).
public struct Provenance: Sendable, Equatable {
    /// The Takt version that wrote the store.
    public var taktVersion: String
    /// `--set` overrides (and the named options that become overrides), in the order given.
    public var overrides: [String]
    /// The accountable person (`--operator "name <email>"` or `run.operator`), if named.
    public var accountable: String?
    /// The machine and the operating-system user that ran Takt.
    public var host: String
    public var user: String

    public init(taktVersion: String, overrides: [String] = [], accountable: String? = nil) {
        self.taktVersion = taktVersion
        self.overrides = overrides
        self.accountable = accountable
        host = ProcessInfo.processInfo.hostName
        user = Self.currentUser()
    }

    /// The OS user's login name (from the password database, else `$USER`).
    static func currentUser() -> String {
        if let entry = getpwuid(getuid()), let name = entry.pointee.pw_name { return String(cString: name) }
        return ProcessInfo.processInfo.environment["USER"] ?? "uid \(getuid())"
    }

    /// The `run` keys, with the scenario file's SHA-256 (empty when it cannot be read).
    func record(scenarioFile: String, startedAt: String) -> [String: String] {
        var record = [
            "takt_version": taktVersion, "host": host, "user": user, "started_utc": startedAt,
            "scenario_sha256": Self.sha256(ofFile: scenarioFile) ?? "",
            "overrides": overrides.joined(separator: "\n"),
        ]
        if let accountable { record["operator"] = accountable }
        return record
    }

    /// The SHA-256 of the file at `path` in lower-case hex, or nil when it cannot be read.
    public static func sha256(ofFile path: String) -> String? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        return Ed25519PEM.hex(SHA256.hash(data: data))
    }
}

/// Wall-clock time in UTC as ISO 8601 with milliseconds (`2026-12-02T13:30:00.125Z`).
///
/// `SOURCE_DATE_EPOCH` (seconds since 1970, the reproducible-builds convention) fixes the
/// clock, so two traced runs of one scenario and seed write byte-identical stores.
public struct WallClock: Sendable {
    let fixed: Int64?
    var lastMillis: Int64 = .min
    var lastText = ""

    public init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        fixed = environment["SOURCE_DATE_EPOCH"].flatMap { Int64($0) }.map { $0 * 1_000 }
    }

    /// Now, formatted (the text is reused while the millisecond lasts).
    public mutating func now() -> String {
        var millis = fixed ?? 0
        if fixed == nil {
            var spec = timespec()
            clock_gettime(CLOCK_REALTIME, &spec)
            millis = Int64(spec.tv_sec) * 1_000 + Int64(spec.tv_nsec) / 1_000_000
        }
        if millis != lastMillis {
            lastMillis = millis
            lastText = Self.iso8601(millis: millis)
        }
        return lastText
    }

    /// `millis` since 1970-01-01T00:00Z as `YYYY-MM-DDThh:mm:ss.sssZ` (proleptic Gregorian;
    /// H. Hinnant's days-to-civil algorithm).
    public static func iso8601(millis: Int64) -> String {
        let (seconds, milli) = millis.quotientAndRemainder(dividingBy: 1_000)
        var days = seconds / 86_400
        var secondOfDay = seconds % 86_400
        if secondOfDay < 0 {
            secondOfDay += 86_400
            days -= 1
        }
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1_460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let shifted = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * shifted + 2) / 5 + 1
        let month = shifted < 10 ? shifted + 3 : shifted - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        func pad(_ value: Int64, _ width: Int) -> String {
            let text = String(value)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        return
            "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))T\(pad(secondOfDay / 3_600, 2)):\(pad(secondOfDay / 60 % 60, 2)):\(pad(secondOfDay % 60, 2)).\(pad(abs(milli), 3))Z"
    }
}
