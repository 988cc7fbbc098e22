import Testing
import TaktKernel

@Suite("Random streams and seed derivation")
struct RandomStreamTests {
    @Test("FNV-1a 64 matches its published test vectors")
    func fnvVectors() {
        #expect(StreamSeed.fnv1a64("") == 0xcbf2_9ce4_8422_2325)
        #expect(StreamSeed.fnv1a64("a") == 0xaf63_dc4c_8601_ec8c)
        #expect(StreamSeed.fnv1a64("foobar") == 0x8594_4171_f739_67e8)
    }

    @Test("the mixer is SplitMix64: its first two outputs from state 0 are the published ones")
    func splitMixVectors() {
        #expect(StreamSeed.mix(0) == 0xe220_a839_7b1d_cdaf)
        #expect(StreamSeed.mix(0x9e37_79b9_7f4a_7c15) == 0x6e78_9e6a_a1b9_65f4)
    }

    @Test("the seed of a named stream never changes between releases")
    func pinnedDerivation() {
        // Pinned on purpose: a change here changes every result Takt has ever printed. The
        // values come from a separate Python implementation of the formula documented on
        // `StreamSeed` (docs/kernel.md shows it), not from this code.
        #expect(StreamSeed.derive(seed: 2026, replication: 0, name: "print") == 2_615_434_756)
        #expect(StreamSeed.derive(seed: 2026, replication: 1, name: "print") == 4_258_656_363)
    }

    @Test("a stream's numbers depend only on (seed, replication, name), not on other streams")
    func streamsAreIndependentOfEachOther() {
        let alone = RandomStream(seed: 42, replication: 3, name: "reflow.cycle")
        let aloneDraws = (0..<100).map { _ in alone.uniform() }

        let neighbour = RandomStream(seed: 42, replication: 3, name: "print.cycle")
        _ = (0..<1_000).map { _ in neighbour.uniform() }
        let again = RandomStream(seed: 42, replication: 3, name: "reflow.cycle")
        let againDraws = (0..<100).map { _ in again.uniform() }
        #expect(aloneDraws == againDraws)
    }

    @Test("different names, replications and seeds give different seeds", arguments: GeneratorKind.allCases)
    func distinctSeeds(_ kind: GeneratorKind) {
        var seen = Set<UInt64>()
        for replication in 0..<5 {
            for station in 0..<200 {
                seen.insert(StreamSeed.derive(seed: 1, replication: replication, name: "station-\(station).cycle"))
            }
        }
        #expect(seen.count == 1_000)
        let a = RandomStream(seed: 1, replication: 0, name: "x", kind: kind)
        let b = RandomStream(seed: 2, replication: 0, name: "x", kind: kind)
        #expect((0..<10).map { _ in a.uniform() } != (0..<10).map { _ in b.uniform() })
    }

    @Test("every generator reports GSL's name for it", arguments: GeneratorKind.allCases)
    func generatorNames(_ kind: GeneratorKind) {
        #expect(kind.gslName == kind.rawValue)
        #expect(RandomStream(gslSeed: 1, kind: kind).kind == kind)
    }

    @Test("uniform draws lie in [0, 1), positive ones in (0, 1)")
    func uniformRange() {
        let stream = RandomStream(gslSeed: 123)
        for _ in 0..<100_000 {
            let u = stream.uniform()
            #expect(u >= 0 && u < 1)
            let v = stream.uniformPositive()
            #expect(v > 0 && v < 1)
        }
    }
}
