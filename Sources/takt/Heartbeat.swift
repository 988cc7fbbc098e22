import Foundation
import Synchronization

/// A progress line on standard error every few seconds while replications run, for logs that
/// are not a terminal (CI): without it a long check looks hung and gets killed.
final class Heartbeat: Sendable {
    /// Replications done, shared with the task that writes the lines.
    private final class Count: Sendable {
        let value = Mutex(0)
    }
    private let done = Count()
    private let task: Task<Void, Never>

    /// Starts writing `label` with the replications done out of `total` every `interval` seconds.
    init(label: String, total: Int, interval: Double) {
        let start = ContinuousClock.now
        let done = done
        task = Task.detached {
            while !Task.isCancelled {
                try? await Task.sleep(for: .seconds(interval))
                if Task.isCancelled { break }
                let elapsed = Int((ContinuousClock.now - start) / .seconds(1))
                let count = done.value.withLock { $0 }
                FileHandle.standardError.write(
                    Data("takt: \(label)\(count)/\(total) replications done, \(elapsed) s\n".utf8))
            }
        }
    }

    /// Records that `count` replications are done.
    func update(_ count: Int) { done.value.withLock { $0 = count } }

    /// Stops the lines.
    func stop() { task.cancel() }
}
