import Testing
import TaktKernel
import TaktPlant

@Suite("Plant layout errors")
struct PlantLayoutErrorTests {
    static let good = Station(name: "s", cycle: Layouts.const(1))

    static let cases: [(String, PlantLayout, String)] = [
        (
            "no stations", PlantLayout(products: [], stations: [], sources: []),
            "stations: expected at least one station; found none"
        ),
        (
            "zero machines", Layouts.line([Station(name: "s", machines: 0, cycle: Layouts.const(1))]),
            "stations[0].machines: expected at least 1 machine; found 0"
        ),
        (
            "negative capacity", Layouts.line([Station(name: "s", cycle: Layouts.const(1), inputCapacity: -1)]),
            "stations[0].input_capacity: expected 0 or more places; found -1"
        ),
        (
            "route names an unknown station",
            PlantLayout(products: [Product(name: "p", route: [RouteStep(station: 4)])], stations: [good], sources: []),
            "products[0].route[0].station: no station number 4; there are 1"
        ),
        (
            "product with no route",
            PlantLayout(products: [Product(name: "p", route: [])], stations: [good], sources: []),
            "products[0].route: product p has no route; expected at least one station"
        ),
        (
            "branch probabilities not summing to 1",
            PlantLayout(
                products: [Product(name: "p", route: [RouteStep(station: 0, branches: [(1, 0.5), (1, 0.4)])])],
                stations: [good], sources: []),
            "products[0].route[0].branches: probabilities must be 0 or more and sum to 1; they sum to 0.9"
        ),
        (
            "a loop with no exit",
            PlantLayout(
                products: [
                    Product(name: "p", route: [RouteStep(station: 0), RouteStep(station: 0, branches: [(0, 1)])])
                ], stations: [good], sources: []),
            "products[0].route[0]: a loop with no exit: units reaching this step can never leave the plant"
        ),
        (
            "unknown defect type",
            Layouts.line([
                Station(name: "s", cycle: Layouts.const(1), defects: [DefectCreation(defect: 2, probability: 0.1)])
            ]),
            "stations[0].defects[0].defect: no defect type number 2; there are 0"
        ),
        (
            "probability above 1",
            Layouts.line(
                [Station(name: "s", cycle: Layouts.const(1), defects: [DefectCreation(defect: 0, probability: 1.5)])],
                defectTypes: ["d"]),
            "stations[0].defects[0].p: expected a probability from 0 to 1; found 1.5"
        ),
        (
            "setup matrix of the wrong size",
            Layouts.line([Station(name: "s", cycle: Layouts.const(1), setupTimes: [[0, 1], [1, 0]])]),
            "stations[0].setup: expected a 1×1 matrix (one row and column per product)"
        ),
        (
            "unknown technician pool",
            Layouts.line([
                Station(
                    name: "s", cycle: Layouts.const(1),
                    failures: Failures(between: Layouts.const(1), repair: Layouts.const(1), technicianPool: 0))
            ]),
            "stations[0].failures.technicians: no technician pool number 0; there are 0"
        ),
        (
            "unknown rework station",
            Layouts.line(
                [Station(name: "s", cycle: Layouts.const(1), inspection: Inspection(detects: [], reworkStation: 7))]),
            "stations[0].rework.station: no station number 7; there are 1"
        ),
        (
            "failure after zero units",
            Layouts.line([
                Station(
                    name: "s", cycle: Layouts.const(1),
                    failures: Failures(between: Layouts.const(1), repair: Layouts.const(1), clock: .units(0)))
            ]),
            "stations[0].failures.after_units: expected at least 1 unit; found 0"
        ),
        (
            "source of an unknown product",
            PlantLayout(
                products: [Product(name: "p", route: [RouteStep(station: 0)])], stations: [good],
                sources: [Source(product: 3, arrivals: .unlimited)]),
            "sources[0].product: no product number 3; there are 1"
        ),
    ]

    @Test("a layout that does not fit together is rejected with its key path", arguments: 0..<cases.count)
    func rejected(_ index: Int) {
        let (label, layout, message) = Self.cases[index]
        #expect(throws: PlantLayoutError.self, "\(label)") { try layout.validate() }
        do {
            try layout.validate()
        } catch {
            #expect(error.description == message, "\(label)")
        }
    }
}
