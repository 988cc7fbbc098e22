import Testing
import TaktKernel
import TaktMES
import TaktPlant

/// What the MES hands out of its OEE accounts is a value of its own: the live session closes
/// such a copy at every update while the run goes on.
@Suite("OEE accounts handed out by the MES")
struct MESAccountsTests {
    static func settings() throws -> MESSettings {
        MESSettings(
            generation: OrderGeneration(
                interarrival: try .exponential(mean: 600), quantity: try .uniform(min: 5, max: 15),
                dueIn: try .constant(7_200), mix: [(0, 1.0)]),
            release: .conwip(cap: 6))
    }

    @Test("a copy of the MES's OEE accounts does not change as the run goes on")
    func copyStaysAsTaken() throws {
        var simulation = try runMES(releasedLine(), Self.settings(), rule: FIFORule(), until: 20_000)
        var copy = simulation.model.controller.oee
        copy.close(at: simulation.now)
        let taken = copy.accounts
        simulation.run(until: 40_000)
        #expect(copy.accounts == taken)
        #expect(taken.contains { $0.produced > 0 })
    }

    @Test("resetting a copy of the MES's OEE accounts leaves the MES's own accounts whole")
    func resetCopyLeavesTheMESWhole() throws {
        var untouched = try runMES(releasedLine(), Self.settings(), rule: FIFORule(), until: 20_000)
        var withCopy = try runMES(releasedLine(), Self.settings(), rule: FIFORule(), until: 20_000)
        var copy = withCopy.model.controller.oee
        copy.reset(at: withCopy.now)
        untouched.run(until: 40_000)
        withCopy.run(until: 40_000)
        var expected = untouched.model.controller.oee
        expected.close(at: 40_000)
        var actual = withCopy.model.controller.oee
        actual.close(at: 40_000)
        #expect(actual.accounts == expected.accounts)
        #expect(actual.total.produced > copy.total.produced)
    }
}
