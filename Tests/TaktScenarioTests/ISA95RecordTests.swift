import Foundation
import Testing
import TaktExperiment
import TaktMES
import TaktPlant
import TaktScenario

@Suite("ISA-95 records: equipment hierarchy, product definitions, operations")
struct ISA95RecordTests {
    static let placed = validScenario.replacingOccurrences(
        of: "warmup: 1h\n", with: "warmup: 1h\nequipment: { site: eindhoven, area: hall-2, line: brackets }\n"
    ).replacingOccurrences(of: "cycle: exp(50s)", with: "cycle: exp(50s)\n    machines: 2")

    @Test("the line is the work centre, stations its work units, under the enterprise, site and area")
    func hierarchy() throws {
        let scenario = try ScenarioReader.parse(yaml: Self.placed, file: "t.yaml")
        let equipment = scenario.equipment
        #expect([equipment.site, equipment.area, equipment.line] == ["eindhoven", "hall-2", "brackets"])
        #expect(equipment.enterprise == "enterprise")
        #expect(equipment.workUnits.map(\.name) == ["cut", "weld"])
        #expect(equipment.machineNames == ["cut-1", "cut-2", "weld-1"])
        #expect(equipment.path(ofMachine: 1) == "enterprise/eindhoven/hall-2/brackets/cut/cut-2")
        #expect(equipment.path(ofMachine: 2) == "enterprise/eindhoven/hall-2/brackets/weld/weld-1")
    }

    @Test("the enterprise is named with `equipment.enterprise`")
    func namedEnterprise() throws {
        let yaml = Self.placed.replacingOccurrences(
            of: "{ site: eindhoven", with: "{ enterprise: acme, site: eindhoven")
        let equipment = try ScenarioReader.parse(yaml: yaml, file: "t.yaml").equipment
        #expect(equipment.path(ofMachine: 0) == "acme/eindhoven/hall-2/brackets/cut/cut-1")
    }

    @Test("without `equipment:` the line takes the scenario's name")
    func defaultHierarchy() throws {
        let equipment = try ScenarioReader.parse(yaml: validScenario, file: "t.yaml").equipment
        #expect([equipment.site, equipment.area, equipment.line] == ["site", "area", "test"])
    }

    @Test("an unknown key under `equipment:` is reported with the nearest")
    func unknownEquipmentKey() {
        let yaml = Self.placed.replacingOccurrences(of: "site: eindhoven", with: "sit: eindhoven")
        #expect(
            problems(yaml) == [
                "test.yaml:4:14: equipment.sit: unknown key `sit`; expected one of enterprise, site, area, line (did you mean `site`?)"
            ])
    }

    @Test("a product definition lists its operations in route order with standard times")
    func productDefinition() throws {
        let layout = PlantLayout(
            products: [
                Product(
                    name: "board",
                    route: [
                        RouteStep(station: 0),
                        RouteStep(station: 1, branches: [(step: 0, probability: 0.1), (2, 0.9)]),
                    ])
            ],
            stations: [
                Station(name: "print", cycle: try .constant(20), cycleByProduct: [0: try .constant(22)]),
                Station(name: "aoi", cycle: try .exponential(mean: 15)),
            ],
            sources: [])
        let definition = try #require(ProductDefinition.all(in: layout).first)
        #expect(definition.name == "board")
        #expect(definition.operations.map(\.sequence) == [10, 20])
        #expect(definition.operations.map(\.workCentre) == ["print", "aoi"])
        #expect(definition.operations.map(\.standardTime) == [22, 15])
        #expect(definition.operations[1].next == [10, 30])
    }

    @Test("results carry the hierarchy and the product definitions")
    func inResults() async throws {
        let scenario = try ScenarioReader.parse(yaml: Self.placed, file: "t.yaml", overrides: ["replications=2"])
        let results = try await Experiment.run(scenario)
        #expect(results.equipment == scenario.equipment)
        #expect(results.products.map(\.name) == ["bracket"])
        let decoded = try JSONDecoder().decode(ExperimentResults.self, from: JSONEncoder().encode(results))
        #expect(decoded.equipment == scenario.equipment)
    }

    @Test("operation records give each unit's operations with machine, start and end")
    func operationRecords() async throws {
        let yaml = OrderTrackingTests.twoProducts.replacingOccurrences(
            of: "dispatch: fifo", with: "dispatch: fifo\n  record_operations: true")
        let scenario = try scenarioWithBook(yaml, book: "product,quantity,due\na,2,3h\nb,1,3h\n")
        let results = try await Experiment.run(scenario)
        #expect(results.operations.count == 2)
        // By hand (see OrderTrackingTests): a's units 0–1 h and 1–2 h, b's unit 2–4 h.
        let expected = [
            OperationRecord(serial: 1, order: 0, product: 0, station: 0, machine: 0, start: 0, end: 3_600, batch: -1),
            OperationRecord(
                serial: 2, order: 0, product: 0, station: 0, machine: 0, start: 3_600, end: 7_200, batch: -1),
            OperationRecord(
                serial: 3, order: 1, product: 1, station: 0, machine: 0, start: 7_200, end: 14_400, batch: -1),
        ]
        #expect(results.operations[0] == expected)
        #expect(results.operations[1] == expected)
    }

    @Test("every unit that shipped has one operation per route step, in order, none overlapping")
    func operationsFollowTheRoute() async throws {
        let yaml = mesScenario.replacingOccurrences(
            of: "dispatch: edd", with: "dispatch: edd\n  record_operations: true")
        let scenario = try ScenarioReader.parse(yaml: yaml, file: "t.yaml", overrides: ["replications=1"])
        let operations = try await Experiment.run(scenario).operations[0]
        let bySerial = Dictionary(grouping: operations, by: \.serial)
        let complete = bySerial.values.filter { $0.count == 2 }
        #expect(complete.count > 100)
        for unit in bySerial.values {
            #expect(unit.count <= 2)
            #expect(unit.map(\.station) == Array([0, 1].prefix(unit.count)))
            if unit.count == 2 { #expect(unit[0].end <= unit[1].start) }
            #expect(unit.allSatisfy { $0.start <= $0.end && $0.order >= 0 })
        }
    }

    @Test("units of one batch share its number; the next batch gets the next")
    func batchNumbers() async throws {
        let yaml = """
            name: oven
            horizon: 10h
            replications: 1
            stations:
              - { id: load, cycle: const(10m), buffer: 0 }
              - { id: oven, cycle: const(1h), batch: { capacity: 3, max_wait: 10h } }
            products:
              - { id: p, route: [load, oven] }
            mes:
              orders: { book: orders.csv }
              record_operations: true
            """
        let scenario = try scenarioWithBook(yaml, book: "product,quantity,due\np,6,10h\n")
        let operations = try await Experiment.run(scenario).operations[0].filter { $0.station == 1 }
        #expect(operations.map(\.serial).sorted() == [1, 2, 3, 4, 5, 6])
        // Units 1–3 are loaded by 30 min and bake 30–90 min; units 4–6 are loaded by 60 min and
        // bake 90–150 min.
        for record in operations {
            #expect(record.batch == (record.serial <= 3 ? 1 : 2))
            #expect(record.start == (record.serial <= 3 ? 1_800 : 5_400))
            #expect(record.end == record.start + 3_600)
        }
    }

    @Test("`record_operations` must be true or false")
    func recordOperationsIsBoolean() {
        let yaml = mesScenario.replacingOccurrences(
            of: "dispatch: edd", with: "dispatch: edd\n  record_operations: yes")
        #expect(problems(yaml) == ["test.yaml:18:22: mes.record_operations: expected true or false; found `yes`"])
    }
}

@Suite("As-built operation records: changeovers, rework, operators")
struct AsBuiltOperationTests {
    @Test("an operation after a product change is marked as after a changeover, with its operator pool")
    func changeoverAndOperator() async throws {
        // One press, 1 h per unit, 30 min to change from a to b, run by the pool `crew`.
        // Orders a×2 then b×1: unit 1 has no changeover (nothing ran before), unit 2 none
        // (same product), unit 3 one.
        let yaml = OrderTrackingTests.twoProducts
            .replacingOccurrences(
                of: "  - { id: press, cycle: { default: const(1h), b: const(2h) } }",
                with: "  - { id: press, cycle: const(1h), setup: { a: { b: 30m } }, operators: crew }"
            )
            .replacingOccurrences(of: "stations:", with: "operators:\n  - { pool: crew, size: 1 }\nstations:")
            .replacingOccurrences(of: "dispatch: fifo", with: "dispatch: fifo\n  record_operations: true")
        let scenario = try scenarioWithBook(yaml, book: "product,quantity,due\na,2,3h\nb,1,3h\n")
        let operations = try await Experiment.run(scenario).operations[0]
        #expect(operations.map(\.setup) == [false, false, true])
        #expect(operations.allSatisfy { $0.operatorPool == 0 && !$0.rework })
        // Unit 3 goes on the press at 2 h and finishes after the changeover and its hour.
        #expect(operations[2].start == 7_200)
        #expect(operations[2].end == 7_200 + 1_800 + 3_600)
    }
}
