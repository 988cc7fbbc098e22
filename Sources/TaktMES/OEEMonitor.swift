import TaktKernel
import TaktPlant

/// A controller that only keeps OEE: it listens to the plant and decides nothing.
public struct OEEMonitor: PlantController {
    /// The OEE accounts it keeps.
    public var calculator: OEECalculator

    /// A monitor for machines with these stations and planned runtimes per unit.
    public init(stationOfMachine: [Int32], idealCycle: [Double], stations: Int) {
        calculator = OEECalculator(stationOfMachine: stationOfMachine, idealCycle: idealCycle, stations: stations)
    }

    public static var observesPlant: Bool { true }

    public mutating func observe(_ observation: PlantObservation, at time: Double, commands: inout [PlantCommand]) {
        calculator.observe(observation, at: time)
    }
}
