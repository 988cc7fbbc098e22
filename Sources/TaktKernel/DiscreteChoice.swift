import CGSL

/// Picks an index 0 ..< n with given probabilities in O(1) (Walker's alias method, GSL
/// `gsl_ran_discrete`). Used for routing branches, defect classes and discrete values.
public final class DiscreteChoice: @unchecked Sendable {
    // The lookup table is immutable after construction, hence safe to share across threads.
    @usableFromInline let table: UnsafeMutablePointer<gsl_ran_discrete_t>

    /// The probabilities, as given.
    public let probabilities: [Double]

    /// How far the probabilities may sum away from 1 (rounding in hand-written values).
    public static let sumTolerance = 1e-9

    /// Builds the table; probabilities must be finite, non-negative and sum to 1.
    public init(probabilities: [Double]) throws(DistributionError) {
        guard !probabilities.isEmpty else {
            throw DistributionError("discrete", "needs at least one probability")
        }
        for (index, p) in probabilities.enumerated() where !(p.isFinite && p >= 0) {
            throw DistributionError("discrete", "probability \(index + 1) is \(p); expected a number from 0 to 1")
        }
        let sum = probabilities.reduce(0, +)
        guard abs(sum - 1) <= Self.sumTolerance else {
            throw DistributionError(
                "discrete", "probabilities sum to \(sum); expected 1 (within \(Self.sumTolerance))")
        }
        GSLLibrary.prepare()
        guard
            let table = probabilities.withUnsafeBufferPointer({
                gsl_ran_discrete_preproc($0.count, $0.baseAddress)
            })
        else {
            throw DistributionError("discrete", "GSL could not build the lookup table")
        }
        self.table = table
        self.probabilities = probabilities
    }

    deinit { gsl_ran_discrete_free(table) }

    /// Draws an index from `stream`.
    @inlinable
    public func next(_ stream: RandomStream) -> Int {
        Int(gsl_ran_discrete(stream.gsl, table))
    }

    /// The lookup table without the choice that owns it, for a per-event draw that holds no
    /// reference: reading a choice out of an array retained it for each draw. The choice
    /// must outlive the table.
    public var unownedTable: Table { Table(pointer: table) }

    /// A lookup table borrowed from a ``DiscreteChoice``.
    @frozen
    public struct Table: @unchecked Sendable {
        @usableFromInline let pointer: UnsafeMutablePointer<gsl_ran_discrete_t>

        @usableFromInline
        init(pointer: UnsafeMutablePointer<gsl_ran_discrete_t>) { self.pointer = pointer }

        /// Draws an index from `stream`, as ``DiscreteChoice/next(_:)`` does.
        @inlinable
        public func next(_ stream: RandomStream) -> Int {
            Int(gsl_ran_discrete(stream.gsl, pointer))
        }
    }
}
