import Foundation
import TaktExperiment
import TaktMES
import TaktPlant
import TaktScenario

/// The files `--out` writes: results.json, stations.csv, buffers.csv, and orders.csv and
/// operations.csv when the run has them.
public enum ResultsFiles {
    /// Writes the files into `directory` (created if missing): to a temporary directory
    /// first, then moved into place, so a failure leaves nothing half-written. The files that
    /// grow with the run are streamed (``ResultsJSON``, ``BufferedFile``).
    public static func write(_ results: ExperimentResults, scenario: Scenario, to directory: String) throws {
        let manager = FileManager.default
        try manager.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let staging = (directory as NSString).appendingPathComponent(
            ".takt-\(ProcessInfo.processInfo.processIdentifier)")
        try? manager.removeItem(atPath: staging)
        try manager.createDirectory(atPath: staging, withIntermediateDirectories: true)
        defer { try? manager.removeItem(atPath: staging) }

        var names = ["results.json", "stations.csv", "buffers.csv"]
        try ResultsJSON.write(results, to: (staging as NSString).appendingPathComponent("results.json"))
        let small: [(String, Data)] = [
            ("stations.csv", Data(stationsCSV(results, scenario: scenario).utf8)),
            ("buffers.csv", Data(buffersCSV(results, scenario: scenario).utf8)),
        ]
        for (name, data) in small {
            try data.write(to: URL(fileURLWithPath: (staging as NSString).appendingPathComponent(name)))
        }
        // The files that grow with the run are streamed, a block at a time.
        if scenario.mes != nil {
            names.append("orders.csv")
            try writeOrders(results, to: (staging as NSString).appendingPathComponent("orders.csv"))
        }
        if !results.operations.isEmpty {
            names.append("operations.csv")
            try writeOperations(
                results, scenario: scenario, to: (staging as NSString).appendingPathComponent("operations.csv"))
        }
        for name in names {
            let target = (directory as NSString).appendingPathComponent(name)
            try? manager.removeItem(atPath: target)
            try manager.moveItem(atPath: (staging as NSString).appendingPathComponent(name), toPath: target)
        }
    }

    static func stationsCSV(_ results: ExperimentResults, scenario: Scenario) -> String {
        let states = MachineState.allCases.map(Experiment.stateKey)
        let queue = [
            ("units_completed", "units_completed"), ("queue_wait", "queue_wait_s"),
            ("probability_of_wait", "probability_of_wait"), ("time_in_station", "time_in_station_s"),
            ("buffer", "mean_waiting"),
        ]
        var header = ["station"]
        for state in states { header += [state, "\(state)_ci"] }
        header += ["energy_kwh", "energy_kwh_ci"]
        for (_, column) in queue { header += [column, "\(column)_ci"] }
        var rows = [header.joined(separator: ",")]
        for station in scenario.layout.stations {
            var row = [station.name]
            let keys = states + ["energy"] + queue.map(\.0)
            for key in keys.map({ "\($0)[\(station.name)]" }) {
                let kpi = results.kpi(key)
                row += kpi?.cells() ?? ["", ""]
            }
            rows.append(row.joined(separator: ","))
        }
        return rows.joined(separator: "\n") + "\n"
    }

    /// One row per work order and replication: times in hours, empty until they happen.
    static func writeOrders(_ results: ExperimentResults, to path: String) throws {
        var file = try BufferedFile(creating: path)
        func hours(_ seconds: Double?, _ file: inout BufferedFile) {
            file.comma()
            if let seconds { file.number(seconds / 3_600, decimals: 4) }
        }
        file.append(
            "replication,order,product,quantity,priority,arrival_h,due_h,released_h,completed_h,lead_time_h,flow_time_h,lateness_h,state,shipped,scrapped"
        )
        try file.endRow()
        for o in results.orders {
            let lead = o.completed.flatMap { end in o.released.map { end - $0 } }
            file.integer(o.replication)
            file.comma()
            file.append(CSVCell.escaped(o.order))
            file.comma()
            file.append(o.product)
            file.comma()
            file.integer(o.quantity)
            file.comma()
            file.number(o.priority, decimals: 3)
            hours(o.arrival, &file)
            hours(o.due, &file)
            hours(o.released, &file)
            hours(o.completed, &file)
            hours(lead, &file)
            hours(o.completed.map { $0 - o.arrival }, &file)
            hours(o.completed.map { $0 - o.due }, &file)
            file.comma()
            file.append(o.state)
            file.comma()
            file.integer(o.shipped)
            file.comma()
            file.integer(o.scrapped)
            try file.endRow()
        }
        try file.close()
    }

    /// One row per operation of a unit and replication: the as-built route with times in
    /// seconds. Names are turned into bytes once; each row is only digits and copies.
    static func writeOperations(_ results: ExperimentResults, scenario: Scenario, to path: String) throws {
        let layout = scenario.layout
        let machines = CSVNames(scenario.equipment.machineNames)
        let stations = CSVNames(layout.stations.map(\.name))
        let products = CSVNames(layout.products.map(\.name))
        let pools = CSVNames(layout.operatorPools.map(\.name))
        var orderNames: [[String]] = Array(repeating: [], count: results.operations.count)
        for o in results.orders where o.replication < orderNames.count { orderNames[o.replication].append(o.order) }
        var file = try BufferedFile(creating: path)
        file.append(
            "replication,serial,order,product,work_centre,work_unit,start_s,end_s,batch,setup,rework,operator_pool")
        try file.endRow()
        for (replication, operations) in results.operations.enumerated() {
            let orders = CSVNames(orderNames[replication])
            for o in operations {
                file.integer(replication)
                file.comma()
                file.integer(Int(o.serial))
                file.comma()
                if o.order >= 0 && Int(o.order) < orders.count { file.append(orders, Int(o.order)) }
                file.comma()
                if o.product >= 0 { file.append(products, Int(o.product)) }
                file.comma()
                file.append(stations, Int(o.station))
                file.comma()
                file.append(machines, Int(o.machine))
                file.comma()
                file.number(o.start, decimals: 3)
                file.comma()
                file.number(o.end, decimals: 3)
                file.comma()
                if o.batch >= 0 { file.integer(Int(o.batch)) }
                file.comma()
                file.append(byte: o.setup ? UInt8(ascii: "1") : UInt8(ascii: "0"))
                file.comma()
                file.append(byte: o.rework ? UInt8(ascii: "1") : UInt8(ascii: "0"))
                file.comma()
                if o.operatorPool >= 0 { file.append(pools, Int(o.operatorPool)) }
                try file.endRow()
            }
        }
        try file.close()
    }

    static func buffersCSV(_ results: ExperimentResults, scenario: Scenario) -> String {
        var rows = [
            "station,places,mean_level,mean_level_ci,mean_wait_s,mean_wait_s_ci,probability_of_wait,probability_of_wait_ci"
        ]
        for station in scenario.layout.stations {
            let places = station.inputCapacity.map(String.init) ?? "unlimited"
            let cells = ["buffer", "queue_wait", "probability_of_wait"].flatMap {
                results.kpi("\($0)[\(station.name)]")?.cells() ?? ["", ""]
            }
            rows.append(([station.name, places] + cells).joined(separator: ","))
        }
        return rows.joined(separator: "\n") + "\n"
    }
}
