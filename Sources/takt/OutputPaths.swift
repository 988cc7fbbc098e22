import ArgumentParser
import Foundation

/// Checks the paths a command will write before any simulation starts, so a typo in `--out`
/// or `--report` costs nothing: an argument error (exit 64) naming the option.
enum OutputPath {
    /// `path` can be written as a file: it is not a folder, and its folder exists and is writable.
    static func checkFile(_ path: String?, option: String) throws {
        guard let path else { return }
        guard !path.isEmpty else { throw ValidationError("\(option): the path is empty") }
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) {
            guard !isDirectory.boolValue else {
                throw ValidationError("\(option) \(path): this is a folder; give a file name, e.g. \(path)/report.html")
            }
            guard FileManager.default.isWritableFile(atPath: path) else {
                throw ValidationError("\(option) \(path): the file exists and cannot be written")
            }
            return
        }
        try checkFolder(of: path, option: option)
    }

    /// `path` can be a folder of results: it is one, or can be made in a writable folder.
    static func checkDirectory(_ path: String?, option: String) throws {
        guard let path else { return }
        guard !path.isEmpty else { throw ValidationError("\(option): the path is empty") }
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else {
                throw ValidationError("\(option) \(path): this is a file; \(option) names a folder to write into")
            }
            guard FileManager.default.isWritableFile(atPath: path) else {
                throw ValidationError("\(option) \(path): the folder cannot be written")
            }
            return
        }
        try checkFolder(of: path, option: option)
    }

    /// The folder `path` would be created in exists and is writable.
    static func checkFolder(of path: String, option: String) throws {
        let parent = URL(fileURLWithPath: path).deletingLastPathComponent().path
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: parent, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw ValidationError("\(option) \(path): the folder \(parent) does not exist; create it first")
        }
        guard FileManager.default.isWritableFile(atPath: parent) else {
            throw ValidationError("\(option) \(path): the folder \(parent) cannot be written")
        }
    }

    /// The most replications or sweep workers run at once.
    static let maximumThreads = 1_024

    /// `--threads N` is from 1 to ``maximumThreads``.
    static func checkThreads(_ threads: Int?) throws {
        guard let threads else { return }
        guard (1...maximumThreads).contains(threads) else {
            throw ValidationError("--threads must be from 1 to \(maximumThreads); found \(threads)")
        }
    }
}
