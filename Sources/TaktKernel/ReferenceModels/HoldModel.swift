/// The hold model (Vaucher & Duval 1975; Jones 1986): the standard benchmark of an event list.
///
/// A fixed number of events is pending; each one, when it runs, schedules its successor an
/// exponential time later. Every executed event is therefore one pop and one push on a
/// calendar of constant size — exactly the kernel's per-event cost, with nothing else.
public struct HoldModel: DiscreteEventModel {
    /// An event carries the id of the job it continues.
    public typealias Event = UInt32

    @usableFromInline let stream: RandomStream
    @usableFromInline let meanHold: Double

    /// A hold model drawing hold times from `stream` with the given mean.
    public init(stream: RandomStream, meanHold: Double = 1) {
        self.stream = stream
        self.meanHold = meanHold
    }

    @inlinable
    public mutating func handle(_ event: UInt32, calendar: inout EventCalendar<UInt32>) {
        calendar.schedule(event, after: stream.exponential(mean: meanHold))
    }

    /// A ready-to-run simulation with `pending` events in its calendar.
    public static func simulation(pending: Int, seed: UInt64 = 1, kind: GeneratorKind = .standard) -> Simulation<
        HoldModel
    > {
        let stream = RandomStream(seed: seed, replication: 0, name: "hold", kind: kind)
        var calendar = EventCalendar<UInt32>(reservingCapacity: pending)
        for job in 0..<pending {
            calendar.schedule(UInt32(job), at: stream.exponential(mean: 1))
        }
        return Simulation(model: HoldModel(stream: stream), calendar: calendar)
    }
}
