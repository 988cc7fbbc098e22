import Testing
import TaktKernel
import TaktPlant

@Suite("Component lots and bill of materials")
struct MaterialLotTests {
    @Test("units draw pieces from the open lot and a new lot opens when it runs out")
    func lotChange() throws {
        // Lots of 5 chips, 2 per board, consumed at the placer: boards 1 and 2 use lot 1
        // (4 pieces), board 3 takes the last piece of lot 1 and one of lot 2, and so on.
        let layout = PlantLayout(
            products: [
                Product(
                    name: "board", route: [RouteStep(station: 0), RouteStep(station: 1)],
                    billOfMaterials: [BillOfMaterialsItem(material: 0, quantity: 2, station: 1)])
            ],
            stations: [
                Station(name: "print", cycle: Layouts.const(10)), Station(name: "place", cycle: Layouts.const(5)),
            ],
            sources: [Source(product: 0, arrivals: .unlimited)],
            materials: [Material(name: "soc", lotSize: 5)])
        let simulation = try run(layout, ScriptedController(onFirstFinish: []), until: 56)
        let lots = simulation.model.controller.log.compactMap { entry -> String? in
            switch entry.observation {
            case .lotConsumed(let serial, _, let lot, let quantity, let station):
                "unit \(serial) lot \(lot) ×\(quantity) at \(station)"
            case .lotOpened(_, let lot): "open lot \(lot)"
            default: nil
            }
        }
        #expect(
            lots == [
                "unit 1 lot 1 ×2 at 1", "unit 2 lot 1 ×2 at 1", "unit 3 lot 1 ×1 at 1", "open lot 2",
                "unit 3 lot 2 ×1 at 1", "unit 4 lot 2 ×2 at 1", "unit 5 lot 2 ×2 at 1",
            ])
    }

    @Test(
        "bill-of-materials mistakes are rejected with their key path",
        arguments: [
            (
                BillOfMaterialsItem(material: 3, station: 0),
                "products[0].bom[0].material: no material number 3; there are 1"
            ),
            (
                BillOfMaterialsItem(material: 0, quantity: 0, station: 0),
                "products[0].bom[0].qty: expected at least 1 piece; found 0"
            ),
            (
                BillOfMaterialsItem(material: 0, station: 1),
                "products[0].bom[0].station: station 1 is not on the route of p"
            ),
        ])
    func rejected(_ row: (BillOfMaterialsItem, String)) {
        let layout = PlantLayout(
            products: [Product(name: "p", route: [RouteStep(station: 0)], billOfMaterials: [row.0])],
            stations: [Station(name: "a", cycle: Layouts.const(1)), Station(name: "b", cycle: Layouts.const(1))],
            sources: [], materials: [Material(name: "m", lotSize: 10)])
        do {
            try layout.validate()
            Issue.record("no error for \(row.1)")
        } catch {
            #expect(error.description == row.1)
        }
    }

    @Test("a lot size below 1 is rejected")
    func badLotSize() {
        let layout = PlantLayout(
            products: [Product(name: "p", route: [RouteStep(station: 0)])],
            stations: [Station(name: "a", cycle: Layouts.const(1))], sources: [],
            materials: [Material(name: "m", lotSize: 0)])
        #expect(throws: PlantLayoutError("materials[0].lot_size", "expected at least 1 piece per lot; found 0")) {
            try layout.validate()
        }
    }
}
