import TaktKernel

/// The layout flattened into arrays indexed by integers, built once per replication so the
/// per-event path does no look-up by name and no dictionary access.
///
/// A class, immutable after construction: a plant reads it on every event, and a struct
/// this size was copied on the hot path.
@usableFromInline
final class CompiledLayout {
    /// Per station: which optional features it uses, read once per decision so a plain station
    /// pays one load for all of them. Unchecked storage, sized to the station count.
    @usableFromInline let traits: UnsafeMutablePointer<StationTraits>

    @usableFromInline let productCount: Int
    @usableFromInline let stationCount: Int
    @usableFromInline let machineCount: Int
    /// Per station: its first machine; machines of a station are contiguous.
    @usableFromInline let firstMachine: [Int32]
    @usableFromInline let machinesAtStation: [Int32]
    /// Per machine: its station.
    @usableFromInline let stationOfMachine: [Int32]
    /// Per station: input capacity (Int.max when unlimited).
    @usableFromInline let inputCapacity: [Int]
    /// Per (station × productCount + product): processing time.
    @usableFromInline let cycle: EntityTable<Distribution>
    /// The plain numbers of ``cycle``, for sampling without copying a distribution.
    @usableFromInline let cycleParameters: EntityTable<Distribution.Parameters>
    /// Per station: setup times by (from × productCount + to), empty when none.
    @usableFromInline let setupTimes: [[SimTime]]
    /// Per station: its failures, if any.
    @usableFromInline let failures: [Failures?]
    /// Per station: defects created, as (defect bit, probability).
    @usableFromInline let defectsCreated: [[(bit: UInt64, defect: Int32, probability: Double)]]
    /// Per station: what it inspects for.
    @usableFromInline let inspects: [[(bit: UInt64, defect: Int32, probability: Double)]]
    @usableFromInline let reworkStation: [Int32]
    @usableFromInline let maxReworks: [Int32]
    @usableFromInline let measurement: [Measurement?]
    /// Per product and step: the branch choice and its target steps, when the step branches.
    @usableFromInline let branches: [[(choice: DiscreteChoice, targets: [Int32])?]]
    /// Per station: whether an unlimited source feeds it (its machines are never starved),
    /// and the product it feeds.
    /// Per station: the unlimited source feeding it, or −1.
    @usableFromInline let unlimitedSource: [Int32]
    /// Per source: its product, or its mix (choice and products).
    @usableFromInline let sourceProduct: [Int32]
    /// The choices that own the mixes' lookup tables; never read per unit.
    let sourceMixChoice: [DiscreteChoice?]
    /// The mixes as each released unit reads them, without reference counting: the choice's
    /// table (kept alive by `sourceMixChoice`) and the products it picks from.
    @usableFromInline let sourceMixTable: [DiscreteChoice.Table?]
    @usableFromInline let sourceMixProducts: [[Int32]]
    @usableFromInline let sourceHasMix: [Bool]
    @usableFromInline let sourceRunLength: [Int]
    @usableFromInline let power: [[Double]]
    @usableFromInline let technicianPoolOfStation: [Int32]
    @usableFromInline let technicianPoolSizes: [Int]
    // Plain per-station flags and numbers, so the per-event path copies no reference-counted
    // value (a `Failures` holds distributions, a `Measurement` a name).
    /// Per station: 0 no failures, 1 operating-time, 2 calendar-time, 3 unit-count clock.
    @usableFromInline let failureClock: [UInt8]
    @usableFromInline let hasSetups: [Bool]
    @usableFromInline let hasDefects: [Bool]
    @usableFromInline let isInspection: [Bool]
    @usableFromInline let hasMeasurement: [Bool]
    /// Per measuring station: its specification limits (±∞ without), what a value outside
    /// them does (0 nothing, 1 defect, 2 scrap, 3 rework), its target (defect index or rework
    /// station), the defect's bit, and the reworks allowed.
    @usableFromInline let specLower: [Double]
    @usableFromInline let specUpper: [Double]
    @usableFromInline let outOfSpecKind: [Int8]
    @usableFromInline let outOfSpecTarget: [Int32]
    @usableFromInline let outOfSpecBit: [UInt64]
    @usableFromInline let outOfSpecMaxReworks: [Int32]
    /// Per inspection station: the false-reject probability.
    @usableFromInline let falseReject: [Double]
    /// Per material, from `lotQualityOffset[material]`, `lotQualityCount[material]` entries
    /// indexed by lot number: the defect probability, bit and index of that lot (0 when good).
    @usableFromInline let lotQualityOffset: [Int]
    @usableFromInline let lotQualityCount: [Int]
    @usableFromInline let lotDefectProbability: [Double]
    @usableFromInline let lotDefectBit: [UInt64]
    @usableFromInline let lotDefectIndex: [Int32]
    /// Per product and step (flattened by ``routeOffset``): the step's station, and the index
    /// of its branch table in ``branches`` or −1.
    @usableFromInline let routeOffset: [Int]
    @usableFromInline let routeLength: [Int32]
    @usableFromInline let stepStation: [Int32]
    /// Per product and step (flattened by ``routeOffset``): the step a unit rejected there goes
    /// back to (`rework: { back_to: … }`), or −1.
    @usableFromInline let reworkBackStep: [Int32]
    @usableFromInline let stepBranches: [Bool]
    /// Per station: its work calendar or −1; per calendar: its stations.
    @usableFromInline let calendarOfStation: [Int32]
    @usableFromInline let stationsOnCalendar: [[Int32]]
    @usableFromInline let calendars: [WorkCalendar]
    /// Per station: whether work may be cut short from outside (calendar-time failures or
    /// planned stops), so the event ending a segment must be cancellable.
    @usableFromInline let interruptible: [Bool]
    /// Per (product × stationCount + station): the bill-of-materials lines consumed there.
    @usableFromInline let consumption: [[(material: Int32, quantity: Int32)]]
    @usableFromInline let consumes: [Bool]
    @usableFromInline let lotSizes: [Int32]
    /// Per material: whether its supply is finite, the lots at the line at time 0 beyond the
    /// open one, and the replenishment lead time.
    @usableFromInline let finiteSupply: [Bool]
    @usableFromInline let initialLotsOnHand: [Int32]
    @usableFromInline let supplyLeadTime: [Double]
    /// Per station: the finite-supply materials it consumes with the most pieces any unit
    /// takes there (it stops when one cannot cover that); per material, those stations.
    @usableFromInline let shortageLines: [[(material: Int32, quantity: Int32)]]
    @usableFromInline let stationsConsuming: [[Int32]]
    /// Per station: units per batch (0 for one-at-a-time machines) and the longest wait.
    @usableFromInline let batchCapacity: [Int32]
    @usableFromInline let batchMaxWait: [SimTime]
    /// Per station: the operator pool it needs, or −1.
    @usableFromInline let operatorPoolOfStation: [Int32]

    deinit { traits.deallocate() }

    init(_ layout: PlantLayout) {
        productCount = layout.products.count
        stationCount = layout.stations.count
        var first: [Int32] = []
        var counts: [Int32] = []
        var stationOf: [Int32] = []
        for (index, station) in layout.stations.enumerated() {
            first.append(Int32(stationOf.count))
            counts.append(Int32(station.machines))
            stationOf += Array(repeating: Int32(index), count: station.machines)
        }
        firstMachine = first
        machinesAtStation = counts
        stationOfMachine = stationOf
        machineCount = stationOf.count
        inputCapacity = layout.stations.map { $0.inputCapacity ?? Int.max }
        let cycles = layout.stations.flatMap { station in
            (0..<layout.products.count).map { station.cycleByProduct[$0] ?? station.cycle }
        }
        cycle = EntityTable(cycles)
        cycleParameters = EntityTable(cycles.map(\.parameters))
        setupTimes = layout.stations.map { $0.setupTimes?.flatMap { $0 } ?? [] }
        failures = layout.stations.map(\.failures)
        defectsCreated = layout.stations.map { station in
            station.defects.map { (UInt64(1) << UInt64($0.defect), Int32($0.defect), $0.probability) }
        }
        inspects = layout.stations.map { station in
            station.inspection?.detects.map { (UInt64(1) << UInt64($0.defect), Int32($0.defect), $0.probability) } ?? []
        }
        reworkStation = layout.stations.map { Int32($0.inspection?.reworkStation ?? -1) }
        maxReworks = layout.stations.map { Int32($0.inspection?.maxReworks ?? 0) }
        measurement = layout.stations.map(\.measurement)
        branches = layout.products.map { product in
            product.route.map { step in
                guard !step.branches.isEmpty,
                    let choice = try? DiscreteChoice(probabilities: step.branches.map(\.probability))
                else { return nil }
                return (choice, step.branches.map { Int32($0.step) })
            }
        }
        var unlimited = [Int32](repeating: -1, count: layout.stations.count)
        for (index, source) in layout.sources.enumerated() {
            if case .unlimited = source.arrivals, let firstStep = layout.products[source.product].route.first {
                unlimited[firstStep.station] = Int32(index)
            }
        }
        unlimitedSource = unlimited
        sourceProduct = layout.sources.map { Int32($0.product) }
        sourceHasMix = layout.sources.map { !$0.mix.isEmpty }
        sourceRunLength = layout.sources.map(\.runLength)
        sourceMixChoice = layout.sources.map { source in
            source.mix.isEmpty ? nil : try? DiscreteChoice(probabilities: source.mix.map(\.probability))
        }
        sourceMixTable = sourceMixChoice.map { $0?.unownedTable }
        sourceMixProducts = layout.sources.map { source in source.mix.map { Int32($0.product) } }
        power = layout.stations.map(\.power.kilowatts)
        technicianPoolOfStation = layout.stations.map { Int32($0.failures?.technicianPool ?? -1) }
        technicianPoolSizes = layout.technicianPools.map(\.size)
        failureClock = layout.stations.map { station in
            switch station.failures?.clock {
            case nil: 0
            case .operatingTime: 1
            case .calendarTime: 2
            case .units: 3
            }
        }
        hasSetups = layout.stations.map { $0.setupTimes != nil }
        hasDefects = layout.stations.map { !$0.defects.isEmpty }
        isInspection = layout.stations.map { !($0.inspection?.detects.isEmpty ?? true) }
        hasMeasurement = layout.stations.map { $0.measurement != nil }
        specLower = layout.stations.map { $0.measurement?.lowerSpecification ?? -.infinity }
        specUpper = layout.stations.map { $0.measurement?.upperSpecification ?? .infinity }
        outOfSpecKind = layout.stations.map { station -> Int8 in
            switch station.measurement?.outOfSpecification ?? .nothing {
            case .nothing: 0
            case .defect: 1
            case .scrap: 2
            case .rework: 3
            }
        }
        outOfSpecTarget = layout.stations.map { station -> Int32 in
            switch station.measurement?.outOfSpecification ?? .nothing {
            case .defect(let defect): Int32(defect)
            case .rework(let target, _): Int32(target)
            default: -1
            }
        }
        outOfSpecBit = layout.stations.map { station -> UInt64 in
            if case .defect(let defect) = station.measurement?.outOfSpecification { return UInt64(1) << UInt64(defect) }
            return 0
        }
        outOfSpecMaxReworks = layout.stations.map { station -> Int32 in
            if case .rework(_, let most) = station.measurement?.outOfSpecification { return Int32(most) }
            return 0
        }
        falseReject = layout.stations.map { $0.inspection?.falseReject ?? 0 }
        var qualityOffset: [Int] = []
        var qualityCount: [Int] = []
        var lotProbability: [Double] = []
        var lotBit: [UInt64] = []
        var lotIndex: [Int32] = []
        for material in layout.materials {
            let count = (material.lotQuality.map(\.lot).max() ?? -1) + 1
            qualityOffset.append(lotProbability.count)
            qualityCount.append(count)
            var probability = [Double](repeating: 0, count: count)
            var bit = [UInt64](repeating: 0, count: count)
            var index = [Int32](repeating: -1, count: count)
            for entry in material.lotQuality where entry.lot >= 0 {
                probability[entry.lot] = entry.probability
                bit[entry.lot] = UInt64(1) << UInt64(entry.defect)
                index[entry.lot] = Int32(entry.defect)
            }
            lotProbability += probability
            lotBit += bit
            lotIndex += index
        }
        lotQualityOffset = qualityOffset
        lotQualityCount = qualityCount
        lotDefectProbability = lotProbability
        lotDefectBit = lotBit
        lotDefectIndex = lotIndex
        var offsets: [Int] = []
        var flat: [Int32] = []
        var branching: [Bool] = []
        for product in layout.products {
            offsets.append(flat.count)
            flat += product.route.map { Int32($0.station) }
            branching += product.route.map { !$0.branches.isEmpty }
        }
        routeOffset = offsets
        routeLength = layout.products.map { Int32($0.route.count) }
        stepStation = flat
        reworkBackStep = layout.products.flatMap { product in
            product.route.indices.map { k -> Int32 in
                guard let back = layout.stations[product.route[k].station].inspection?.reworkBackTo else { return -1 }
                return Int32(product.route[..<k].lastIndex { $0.station == back } ?? -1)
            }
        }
        stepBranches = branching
        calendarOfStation = layout.stations.map { Int32($0.calendar ?? -1) }
        stationsOnCalendar = layout.calendars.indices.map { c in
            layout.stations.indices.filter { layout.stations[$0].calendar == c }.map { Int32($0) }
        }
        calendars = layout.calendars
        consumption = layout.products.flatMap { product in
            layout.stations.indices.map { s in
                product.billOfMaterials.filter { $0.station == s }.map { (Int32($0.material), Int32($0.quantity)) }
            }
        }
        consumes = consumption.map { !$0.isEmpty }
        lotSizes = layout.materials.map { Int32($0.lotSize) }
        finiteSupply = layout.materials.map { $0.supply != nil }
        initialLotsOnHand = layout.materials.map { Int32(max(($0.supply?.lots ?? 1) - 1, 0)) }
        supplyLeadTime = layout.materials.map { $0.supply?.leadTime ?? 0 }
        shortageLines = layout.stations.indices.map { s in
            var most: [Int: Int] = [:]
            for product in layout.products {
                for item in product.billOfMaterials
                where item.station == s && layout.materials[item.material].supply != nil {
                    most[item.material] = max(most[item.material] ?? 0, item.quantity)
                }
            }
            return most.keys.sorted().map { (Int32($0), Int32(most[$0] ?? 0)) }
        }
        stationsConsuming = layout.materials.indices.map { m in
            layout.stations.indices.filter { s in
                layout.products.contains { $0.billOfMaterials.contains { $0.station == s && $0.material == m } }
            }.map { Int32($0) }
        }
        batchCapacity = layout.stations.map { Int32($0.batch?.capacity ?? 0) }
        batchMaxWait = layout.stations.map { $0.batch?.maxWait ?? 0 }
        operatorPoolOfStation = layout.stations.map { Int32($0.operatorPool ?? -1) }
        interruptible = layout.stations.map {
            $0.calendar != nil || $0.failures?.clock == .calendarTime || $0.interruptible
        }
        traits = .allocate(capacity: Swift.max(layout.stations.count, 1))
        for (s, station) in layout.stations.enumerated() {
            var t: StationTraits = []
            if station.batch != nil { t.insert(.batch) }
            if station.operatorPool != nil { t.insert(.operators) }
            if station.setupTimes != nil { t.insert(.setups) }
            if layout.products.contains(where: { $0.billOfMaterials.contains { $0.station == s } }) {
                t.insert(.materials)
            }
            if interruptible[s] { t.insert(.interruptible) }
            if station.failures?.clock == .operatingTime { t.insert(.operatingTimeFailures) }
            if !station.defects.isEmpty || station.inspection != nil || station.measurement != nil {
                t.insert(.quality)
            }
            if layout.products.contains(where: { $0.route.first?.station == s }) { t.insert(.entry) }
            (traits + s).initialize(to: t)
        }
    }
}

/// Optional features of a station, as bits.
@usableFromInline
struct StationTraits: OptionSet, Sendable {
    @usableFromInline let rawValue: UInt16
    // The traits are computed, not `static let`: a stored static is read through a call to
    // its lazy-initialising addressor, several times per event.

    @inlinable
    init(rawValue: UInt16) { self.rawValue = rawValue }

    @inlinable static var batch: StationTraits { StationTraits(rawValue: 1 << 0) }
    @inlinable static var operators: StationTraits { StationTraits(rawValue: 1 << 1) }
    @inlinable static var setups: StationTraits { StationTraits(rawValue: 1 << 2) }
    @inlinable static var materials: StationTraits { StationTraits(rawValue: 1 << 3) }
    @inlinable static var interruptible: StationTraits { StationTraits(rawValue: 1 << 4) }
    @inlinable static var operatingTimeFailures: StationTraits { StationTraits(rawValue: 1 << 5) }
    @inlinable static var quality: StationTraits { StationTraits(rawValue: 1 << 6) }
    /// Units enter the line here (the first step of some product's route): idling here is
    /// for want of released work, not starvation.
    @inlinable static var entry: StationTraits { StationTraits(rawValue: 1 << 7) }
}
