import Foundation
import GRDB

/// Where a traced run may write: never over a file that is not a trace store, never over a
/// store unless asked, and never into the target itself until the run has succeeded.
public enum TraceTarget {
    /// Why a path may not take a new trace store.
    public enum Refusal: Error, CustomStringConvertible, Equatable {
        case exists(path: String)
        case notAStore(path: String)
        /// A seal file is there without its store: it may be someone's only copy of a seal.
        case sealExists(path: String)

        public var description: String {
            switch self {
            case .exists(let path):
                "\(path) already holds a trace store; give --replace to overwrite it, or write the trace to another file"
            case .notAStore(let path):
                "\(path) exists and is not a Takt trace store; Takt replaces only its own stores, so write the trace to another file"
            case .sealExists(let path):
                "\(SealFile.path(of: path)) already exists (a seal of an earlier store?); move it away or give --replace, or write the trace to another file"
            }
        }
    }

    /// The file a run writes while it goes on, beside the target, moved into place only
    /// when the run finishes: `trace.sqlite.incomplete`.
    public static func partial(of path: String) -> String { path + ".incomplete" }

    /// Checks that a run may write to `path`: a new file, or with `replace` an existing trace
    /// store (of any schema version) and its seal file; any other existing file is refused,
    /// and so is a seal file without `replace`.
    public static func check(_ path: String, replace: Bool) throws(Refusal) {
        guard FileManager.default.fileExists(atPath: path) else {
            if !replace, FileManager.default.fileExists(atPath: SealFile.path(of: path)) {
                throw .sealExists(path: path)
            }
            return
        }
        guard isTraceStore(path) else { throw .notAStore(path: path) }
        guard replace else { throw .exists(path: path) }
    }

    /// Whether `path` is an SQLite file with Takt's `run` table.
    static func isTraceStore(_ path: String) -> Bool {
        var configuration = Configuration()
        configuration.readonly = true
        guard let database = try? DatabaseQueue(path: path, configuration: configuration) else { return false }
        let found = try? database.read { db in
            try Bool.fetchOne(
                db, sql: "SELECT count(*) = 1 FROM sqlite_master WHERE type = 'table' AND name = 'run'")
        }
        try? database.close()
        return found == true
    }

    /// Moves a finished partial store into place, replacing `path`; the old store's journal
    /// files go first, so SQLite can never replay them onto the new one.
    static func install(_ partial: String, at path: String) throws {
        for suffix in ["-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
        guard rename(partial, path) == 0 else {
            throw TraceStore.StoreError.notAStore(
                path: path, reason: "cannot move the finished store into place: \(String(cString: strerror(errno)))")
        }
        for suffix in ["-wal", "-shm"] { try? FileManager.default.removeItem(atPath: partial + suffix) }
    }
}
