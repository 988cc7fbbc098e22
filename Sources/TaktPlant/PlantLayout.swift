import TaktKernel

/// The physical description of a factory: products and their routes, stations, sources and
/// technician pools. Names are resolved to integer indices here, once, so that nothing on the
/// per-event path looks anything up by name.
public struct PlantLayout: Sendable {
    /// What the factory makes.
    public var products: [Product]
    /// Where work is done.
    public var stations: [Station]
    /// Where units enter.
    public var sources: [Source]
    /// Kinds of defect that stations can create and inspections can find.
    public var defectTypes: [String]
    /// Shared pools of repair technicians.
    public var technicianPools: [TechnicianPool]
    /// Work calendars (shifts and breaks) that stations may follow.
    public var calendars: [WorkCalendar]
    /// Component materials, delivered in lots.
    public var materials: [Material]
    /// Pools of operators that stations need in order to run.
    public var operatorPools: [OperatorPool]

    /// A layout from its parts; ``validate()`` checks that they fit together.
    public init(
        products: [Product], stations: [Station], sources: [Source], defectTypes: [String] = [],
        technicianPools: [TechnicianPool] = [], calendars: [WorkCalendar] = [], materials: [Material] = [],
        operatorPools: [OperatorPool] = []
    ) {
        self.products = products
        self.stations = stations
        self.sources = sources
        self.defectTypes = defectTypes
        self.technicianPools = technicianPools
        self.calendars = calendars
        self.materials = materials
        self.operatorPools = operatorPools
    }
}

/// A product and the route its units take.
public struct Product: Sendable {
    /// The product's name, e.g. `router-ax3000`.
    public var name: String
    /// The route, in order; a unit leaves through the sink after the last step.
    public var route: [RouteStep]
    /// Ideal cycle time per unit, in seconds, for OEE performance (optional).
    public var idealCycle: SimTime?
    /// Components consumed per unit, and where.
    public var billOfMaterials: [BillOfMaterialsItem]

    /// A product following `route`.
    public init(
        name: String, route: [RouteStep], idealCycle: SimTime? = nil, billOfMaterials: [BillOfMaterialsItem] = []
    ) {
        self.name = name
        self.route = route
        self.idealCycle = idealCycle
        self.billOfMaterials = billOfMaterials
    }
}

/// A component material, delivered in lots of a fixed size; a new lot is opened when the
/// current one runs out (there is no shortage).
public struct Material: Sendable {
    /// The material's name, e.g. `wifi-soc`.
    public var name: String
    /// Pieces per lot.
    public var lotSize: Int
    /// Lots of known bad quality (`materials[].lots`), by lot number.
    public var lotQuality: [LotQuality]
    /// How the line is supplied: `nil` never runs out.
    public var supply: MaterialSupply?

    /// A material delivered in lots of `lotSize` pieces.
    public init(name: String, lotSize: Int, lotQuality: [LotQuality] = [], supply: MaterialSupply? = nil) {
        self.name = name
        self.lotSize = lotSize
        self.lotQuality = lotQuality
        self.supply = supply
    }
}

/// A finite supply of a material: lots at the line at the start, and a replacement lot
/// ordered each time a lot is used up, delivered after a lead time (a two-bin kanban loop
/// with `lots` cards).
public struct MaterialSupply: Sendable, Equatable {
    /// Lots at the line at time 0, the open one included (at least 1).
    public var lots: Int
    /// From a lot's last piece taken to its replacement's arrival, seconds.
    public var leadTime: Double

    public init(lots: Int, leadTime: Double) {
        self.lots = lots
        self.leadTime = leadTime
    }
}

/// One line of a bill of materials: `quantity` pieces of `material` per unit, consumed
/// when processing starts at `station`.
public struct BillOfMaterialsItem: Sendable {
    /// The material (index into ``PlantLayout/materials``).
    public var material: Int
    /// Pieces per unit.
    public var quantity: Int
    /// The station where it is consumed (index into ``PlantLayout/stations``).
    public var station: Int

    /// `quantity` pieces of `material` per unit, consumed at `station`.
    public init(material: Int, quantity: Int = 1, station: Int) {
        self.material = material
        self.quantity = quantity
        self.station = station
    }
}

/// One step of a route: a station, and where the unit goes afterwards.
public struct RouteStep: Sendable {
    /// The station (index into ``PlantLayout/stations``).
    public var station: Int
    /// Where units go next: empty means the next step (or the sink after the last). Otherwise
    /// step indices with probabilities summing to 1; the index `route.count` means the sink.
    public var branches: [(step: Int, probability: Double)]

    /// A step at `station` that continues to the next step.
    public init(station: Int, branches: [(step: Int, probability: Double)] = []) {
        self.station = station
        self.branches = branches
    }
}

/// A work centre of one or more identical machines sharing one input buffer.
public struct Station: Sendable {
    /// The station's name, e.g. `reflow`.
    public var name: String
    /// Identical parallel machines.
    public var machines: Int
    /// Processing time per unit, for every product without its own entry.
    public var cycle: Distribution
    /// Processing time per product index, where it differs from ``cycle``.
    public var cycleByProduct: [Int: Distribution]
    /// Waiting places in front of the machines; `nil` is unlimited.
    public var inputCapacity: Int?
    /// Breakdowns, if the machines fail.
    public var failures: Failures?
    /// Changeover times by (previous product, next product), in seconds; `nil` means none.
    public var setupTimes: [[SimTime]]?
    /// Defects a unit may pick up here, each independently.
    public var defects: [DefectCreation]
    /// What this station inspects for, if it is an inspection station.
    public var inspection: Inspection?
    /// Electrical power by machine state, for energy accounting.
    public var power: PowerDraw
    /// A dimension measured on every unit, if any (raw data for SPC).
    public var measurement: Measurement?
    /// The work calendar it follows (index into ``PlantLayout/calendars``); `nil` works
    /// around the clock.
    public var calendar: Int?
    /// Whether work here may be cut short by a command (a scripted breakdown), so its end
    /// events must be cancellable like those of stations with calendars.
    public var interruptible = false
    /// Batch processing (an oven holding several boards), if the machines work in batches.
    public var batch: BatchRule?
    /// The operator pool whose operators run its machines, one per machine while it works on
    /// a unit (index into ``PlantLayout/operatorPools``); `nil` runs unattended.
    public var operatorPool: Int?
    /// Planned runtime per unit for OEE of the products whose own differs from the station's
    /// (by product index), seconds; the plant never reads it.
    public var idealCycleByProduct: [Int: SimTime] = [:]

    /// A station with `machines` machines taking `cycle` per unit; everything else off.
    public init(
        name: String, machines: Int = 1, cycle: Distribution, cycleByProduct: [Int: Distribution] = [:],
        inputCapacity: Int? = nil, failures: Failures? = nil, setupTimes: [[SimTime]]? = nil,
        defects: [DefectCreation] = [], inspection: Inspection? = nil, power: PowerDraw = PowerDraw(),
        measurement: Measurement? = nil, calendar: Int? = nil, operatorPool: Int? = nil, batch: BatchRule? = nil
    ) {
        self.name = name
        self.machines = machines
        self.cycle = cycle
        self.cycleByProduct = cycleByProduct
        self.inputCapacity = inputCapacity
        self.failures = failures
        self.setupTimes = setupTimes
        self.defects = defects
        self.inspection = inspection
        self.power = power
        self.measurement = measurement
        self.calendar = calendar
        self.operatorPool = operatorPool
        self.batch = batch
    }
}

/// How a batch machine fills: it starts when `capacity` units wait, or `maxWait` seconds
/// after the first of them began waiting, with whatever is there. One processing time (drawn
/// for the batch's first unit) covers the whole batch; batch machines do no setups.
public struct BatchRule: Sendable {
    /// Units per batch at most.
    public var capacity: Int
    /// Longest time the first waiting unit waits for the batch to fill, seconds.
    public var maxWait: SimTime

    /// Batches of up to `capacity` units, started at the latest `maxWait` after the first waits.
    public init(capacity: Int, maxWait: SimTime) {
        self.capacity = capacity
        self.maxWait = maxWait
    }
}

/// How a machine breaks down and is repaired.
public struct Failures: Sendable {
    /// What the time between failures counts.
    public enum Clock: Sendable, Equatable {
        /// Processing time only: an idle or blocked machine does not wear (operation-dependent).
        case operatingTime
        /// Calendar time, whatever the machine is doing (time-dependent).
        case calendarTime
        /// A number of units processed; the failure comes after the unit that reaches it.
        case units(Int)
    }

    /// Time (or, for ``Clock/units(_:)``, ignored) between failures.
    public var between: Distribution
    /// Repair time, once a technician is at the machine.
    public var repair: Distribution
    /// What ``between`` counts.
    public var clock: Clock
    /// The technician pool repairs wait for (index into ``PlantLayout/technicianPools``);
    /// `nil` means a repair starts at once.
    public var technicianPool: Int?

    /// Failures every `between` on `clock`, repaired in `repair`.
    public init(between: Distribution, repair: Distribution, clock: Clock = .operatingTime, technicianPool: Int? = nil)
    {
        self.between = between
        self.repair = repair
        self.clock = clock
        self.technicianPool = technicianPool
    }
}

/// A defect a station creates with some probability per unit.
public struct DefectCreation: Sendable {
    /// The defect type (index into ``PlantLayout/defectTypes``).
    public var defect: Int
    /// Probability per unit processed.
    public var probability: Double

    /// Creates defect `defect` with `probability` per unit.
    public init(defect: Int, probability: Double) {
        self.defect = defect
        self.probability = probability
    }
}

/// What an inspection station finds and what happens to units it rejects.
public struct Inspection: Sendable {
    /// Detection probability per defect type it looks for.
    public var detects: [(defect: Int, probability: Double)]
    /// Where rejected units are reworked; `nil` scraps them at once (unless ``reworkBackTo``).
    public var reworkStation: Int?
    /// The earlier station of the route a rejected unit goes back to (`rework: { back_to: … }`):
    /// its defects are cleared and it re-runs that step and every later one.
    public var reworkBackTo: Int?
    /// Reworks a unit may have before the next rejection scraps it.
    public var maxReworks: Int
    /// Probability that a unit the inspection finds nothing on is rejected anyway (a false
    /// call); such a unit goes where rejects go, and is counted as a false reject when it
    /// carried no defect at all.
    public var falseReject: Double = 0

    /// An inspection for `detects`; rejects go to `reworkStation` up to `maxReworks` times.
    public init(detects: [(defect: Int, probability: Double)], reworkStation: Int? = nil, maxReworks: Int = 1) {
        self.detects = detects
        self.reworkStation = reworkStation
        self.maxReworks = maxReworks
    }
}

/// Electrical power drawn in each machine state, in kilowatts.
public struct PowerDraw: Sendable {
    /// kW per ``MachineState`` (by raw value).
    public var kilowatts: [Double]

    /// Power while busy, in setup, idle, blocked, down and in a planned stop.
    public init(
        busy: Double = 0, setup: Double? = nil, idle: Double = 0, blocked: Double? = nil, down: Double = 0,
        plannedStop: Double? = nil
    ) {
        kilowatts = [busy, setup ?? busy, idle, blocked ?? idle, down, plannedStop ?? down]
    }
}

/// A dimension measured on every unit: normal around a nominal value that drifts with
/// operating hours until the MES adjusts the process.
public struct Measurement: Sendable {
    /// The quantity's name, e.g. `paste_thickness`.
    public var name: String
    /// Target value.
    public var nominal: Double
    /// Unit-to-unit standard deviation.
    public var sd: Double
    /// Drift of the mean per operating hour since the last adjustment.
    public var driftPerHour: Double
    /// Specification limits, if given (for capability and out-of-specification counts).
    public var lowerSpecification: Double?
    public var upperSpecification: Double?
    /// What a value outside the specification limits does to the unit.
    public var outOfSpecification = OutOfSpecification.nothing
    /// The unit values are written in (`um`), if any.
    public var unit: String?

    /// A measurement of `name` around `nominal`.
    public init(
        name: String, nominal: Double, sd: Double, driftPerHour: Double = 0, lowerSpecification: Double? = nil,
        upperSpecification: Double? = nil
    ) {
        self.name = name
        self.nominal = nominal
        self.sd = sd
        self.driftPerHour = driftPerHour
        self.lowerSpecification = lowerSpecification
        self.upperSpecification = upperSpecification
    }
}

/// What a measurement outside the specification limits means for the unit.
public enum OutOfSpecification: Sendable, Equatable {
    /// Nothing happens to it (limits only for capability figures).
    case nothing
    /// It carries defect type `defect` (an index into the layout's defect types), found or
    /// missed by the inspections that look for it.
    case defect(Int)
    /// It is scrapped at the measuring station.
    case scrap
    /// It goes to `station` for rework (at most `maxReworks` times; then scrap) and back to
    /// be measured again.
    case rework(station: Int, maxReworks: Int)
}

/// A material lot that is worse than the others: units built with it get `defect` (an index
/// into the layout's defect types) with probability `probability` each time they draw from it.
public struct LotQuality: Sendable, Equatable {
    public var lot: Int
    public var defect: Int
    public var probability: Double

    /// Lot `lot` giving `defect` with `probability`.
    public init(lot: Int, defect: Int, probability: Double) {
        self.lot = lot
        self.defect = defect
        self.probability = probability
    }
}

/// Where units enter the plant.
public struct Source: Sendable {
    /// How units arrive.
    public enum Arrivals: Sendable {
        /// Raw material never runs out: the first station is never starved.
        case unlimited
        /// Units arrive with these interarrival times.
        case process(Distribution)
    }

    /// What happens to an arrival when the first station's buffer is full.
    public enum WhenFull: Sendable {
        /// The arrival is lost (counted), as in an M/M/1/K queue.
        case lose
    }

    /// The product of the units (index into ``PlantLayout/products``), unless ``mix`` is set.
    public var product: Int
    /// A product mix: each unit's product drawn with these probabilities (summing to 1). All
    /// products of a mix must start their routes at the same station.
    public var mix: [(product: Int, probability: Double)]
    /// How units arrive.
    public var arrivals: Arrivals
    /// What happens when there is no room.
    public var whenFull: WhenFull
    /// With a mix: units per run of the same product before the next product is drawn
    /// (1 draws for every unit). Until the MES releases orders, runs keep changeovers realistic.
    public var runLength: Int = 1
    /// For an arrival process: the most units it releases (`nil` is no limit). A job shop
    /// releases each job once.
    public var limit: Int?

    /// A source of `product` units.
    public init(product: Int, arrivals: Arrivals, whenFull: WhenFull = .lose) {
        self.product = product
        self.mix = []
        self.arrivals = arrivals
        self.whenFull = whenFull
    }

    /// A source of a product mix.
    public init(mix: [(product: Int, probability: Double)], arrivals: Arrivals, whenFull: WhenFull = .lose) {
        self.product = mix.first?.product ?? 0
        self.mix = mix
        self.arrivals = arrivals
        self.whenFull = whenFull
    }
}

/// A pool of interchangeable operators; a station that needs one cannot start a unit until
/// one is free. Operators follow the work calendar of the stations they staff.
public struct OperatorPool: Sendable {
    /// The pool's name, e.g. `assemblers`.
    public var name: String
    /// Operators in the pool.
    public var size: Int

    /// A pool of `size` operators.
    public init(name: String, size: Int) {
        self.name = name
        self.size = size
    }
}

/// A pool of interchangeable technicians who repair failed machines one at a time.
public struct TechnicianPool: Sendable {
    /// The pool's name, e.g. `technicians`.
    public var name: String
    /// Technicians in the pool.
    public var size: Int

    /// A pool of `size` technicians.
    public init(name: String, size: Int) {
        self.name = name
        self.size = size
    }
}
