import Foundation
import TaktExperiment
import TaktScenario

/// Writes results.json a part at a time, byte for byte what `JSONEncoder` with pretty printing
/// and sorted keys writes for the whole ``ExperimentResults``.
///
/// The work orders grow with the run (one per order and replication), so they are streamed
/// row by row through ``BufferedFile``: no `String` per row, no document in memory. The other
/// parts (KPIs, equipment, products, the report's trace) are bounded by the layout and the
/// report's resolution, and go through `JSONEncoder` one part at a time.
public enum ResultsJSON {
    /// Writes `results` to `path` (created or truncated).
    public static func write(_ results: ExperimentResults, to path: String) throws {
        var file = try BufferedFile(creating: path)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        // The keys ExperimentResults encodes, in JSONEncoder's sorted order; nil parts are left out.
        var parts: [(key: String, write: (inout BufferedFile) throws -> Void)] = [
            ("scenario", { try part(results.scenario, encoder, &$0) }),
            ("file", { try part(results.file, encoder, &$0) }),
            ("seed", { try part(results.seed, encoder, &$0) }),
            ("replications", { try part(results.replications, encoder, &$0) }),
            ("horizon", { try part(results.horizon, encoder, &$0) }),
            ("warmup", { try part(results.warmup, encoder, &$0) }),
            ("orders", { try orders(results.orders, &$0) }),
            ("generator", { try part(results.generator, encoder, &$0) }),
            ("gslVersion", { try part(results.gslVersion, encoder, &$0) }),
            ("kpis", { try part(results.kpis, encoder, &$0) }),
            ("products", { try part(results.products, encoder, &$0) }),
        ]
        if let equipment = results.equipment { parts.append(("equipment", { try part(equipment, encoder, &$0) })) }
        if let trace = results.trace { parts.append(("trace", { try part(trace, encoder, &$0) })) }
        parts.sort { $0.key < $1.key }

        file.append("{\n")
        for (index, entry) in parts.enumerated() {
            file.append("  ")
            string(entry.key, &file)
            file.append(" : ")
            try entry.write(&file)
            file.append(index == parts.count - 1 ? "\n" : ",\n")
        }
        file.append(byte: UInt8(ascii: "}"))
        try file.close()
    }

    /// One part encoded whole, indented one level as a member of the document.
    static func part(_ value: some Encodable, _ encoder: JSONEncoder, _ file: inout BufferedFile) throws {
        let data = try encoder.encode(value)
        data.withUnsafeBytes { raw in
            let bytes = raw.bindMemory(to: UInt8.self)
            var start = 0
            for index in bytes.indices where bytes[index] == UInt8(ascii: "\n") {
                file.append(UnsafeBufferPointer(rebasing: bytes[start...index]))
                // JSONEncoder leaves the blank line of an empty array unindented.
                if index + 1 < bytes.count, bytes[index + 1] != UInt8(ascii: "\n") { file.append("  ") }
                start = index + 1
            }
            file.append(UnsafeBufferPointer(rebasing: bytes[start...]))
        }
    }

    /// The work orders, one object per row with its keys sorted, at the second level.
    static func orders(_ orders: [OrderRecord], _ file: inout BufferedFile) throws {
        guard !orders.isEmpty else {
            file.append("[\n\n  ]")
            return
        }
        file.append("[\n")
        for (index, o) in orders.enumerated() {
            file.append("    {\n")
            try member("arrival", o.arrival, &file)
            if let completed = o.completed { try member("completed", completed, &file) }
            try member("due", o.due, &file)
            key("order", &file)
            string(o.order, &file)
            file.append(",\n")
            try member("priority", o.priority, &file)
            key("product", &file)
            string(o.product, &file)
            file.append(",\n")
            member("quantity", o.quantity, &file)
            if let released = o.released { try member("released", released, &file) }
            member("replication", o.replication, &file)
            member("scrapped", o.scrapped, &file)
            member("shipped", o.shipped, &file)
            key("state", &file)
            string(o.state, &file)
            file.append(index == orders.count - 1 ? "\n    }\n  ]" : "\n    },\n")
        }
    }

    static func key(_ name: StaticString, _ file: inout BufferedFile) {
        file.append("      \"")
        name.withUTF8Buffer { file.append($0) }
        file.append("\" : ")
    }

    static func member(_ name: StaticString, _ value: Int, _ file: inout BufferedFile) {
        key(name, &file)
        file.integer(value)
        file.append(",\n")
    }

    static func member(_ name: StaticString, _ value: Double, _ file: inout BufferedFile) throws {
        key(name, &file)
        try number(value, &file)
        file.append(",\n")
    }

    /// A number as JSONEncoder writes it: the shortest text that reads back as `value`, without
    /// a trailing `.0`. Like JSONEncoder, refuses a value that is not finite.
    static func number(_ value: Double, _ file: inout BufferedFile) throws {
        guard value.isFinite else {
            throw EncodingError.invalidValue(
                value,
                .init(codingPath: [], debugDescription: "Unable to encode Double.\(value) directly in JSON."))
        }
        let text = value.description
        file.append(text.hasSuffix(".0") ? String(text.dropLast(2)) : text)
    }

    /// A string in quotes, escaped as JSONEncoder escapes it (including `/`).
    static func string(_ text: String, _ file: inout BufferedFile) {
        file.append(byte: UInt8(ascii: "\""))
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""): file.append("\\\"")
            case UInt8(ascii: "\\"): file.append("\\\\")
            case UInt8(ascii: "/"): file.append("\\/")
            case 0x0A: file.append("\\n")
            case 0x0D: file.append("\\r")
            case 0x09: file.append("\\t")
            case 0x08: file.append("\\b")
            case 0x0C: file.append("\\f")
            case 0..<0x20:
                let hex = Array("0123456789abcdef".utf8)
                file.append("\\u00")
                file.append(byte: hex[Int(byte >> 4)])
                file.append(byte: hex[Int(byte & 0xF)])
            default: file.append(byte: byte)
            }
        }
        file.append(byte: UInt8(ascii: "\""))
    }
}
